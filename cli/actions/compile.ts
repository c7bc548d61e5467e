// `nmsparse compile`: a model to one program for the cluster, written with its tables.
import path from 'node:path';
import { figuresAlign, formatTable } from '../../gen/text-table.js';
import { kernelOf, opOf } from '../../sw/net/layer-table.js';
import { readOnnx } from '../../sw/onnx/read.js';
import type { Graph } from '../../sw/onnx/graph.js';
import { compileModel } from '../../sw/net/pipeline.js';
import { checkOutputDirectory, writeFileAtomic } from '../../util/atomic-write.js';
import { runCommand } from '../errors.js';
import { messageLine } from '../messages.js';
import { readModelFile } from '../net/model-file.js';
import { type ModelCommandOptions, parseModelOptions } from '../net/model-options.js';
import { memoryLines, memorySummary } from '../net/report.js';

export interface CompileOptions extends ModelCommandOptions {
  out: string;
}

const HEADER = ['layer', 'op', 'output', 'kernel', 'tiles', 'rows/tile', 'channels/group', 'L1 bytes', 'weight bytes', 'estimate'];

export function compile(model: string, options: CompileOptions): Promise<void> {
  return runCommand(() => {
    checkOutputDirectory(options.out);
    const file = readModelFile(model);
    let graph: Graph | undefined;
    const modelOptions = parseModelOptions(options, () => (graph ??= readOnnx(file.bytes, file.source)));
    const result = compileModel(file.bytes, file.source, modelOptions);
    for (const note of result.notes) process.stderr.write(messageLine(`warning: ${note}`));
    const { compiled } = result;
    const layers = compiled.nodes.map((n) => {
      const output = compiled.network.tensors.get(n.node.output)!.shape;
      return {
        name: n.node.name,
        op: opOf(n.node),
        output: `${output.h}x${output.w}x${output.c}`,
        kernel: kernelOf(n.node, n.implementation),
        tiles: n.tiling.tiles,
        rowsPerTile: n.tiling.rowsPerTile,
        channelsPerGroup: n.tiling.channelsPerGroup,
        l1Bytes: n.tiling.l1Bytes,
        weightBytes: n.weightBytes,
        estimatedCycles: n.tiling.estimate,
      };
    });
    const memory = memorySummary(compiled);
    writeFileAtomic(path.join(options.out, `${file.name}.elf`), compiled.elf);
    writeFileAtomic(path.join(options.out, `${file.name}.S`), compiled.source);
    writeFileAtomic(path.join(options.out, 'layers.json'), JSON.stringify(layers, null, 2) + '\n');
    writeFileAtomic(path.join(options.out, 'memory.json'), JSON.stringify(memory, null, 2) + '\n');
    const rows = layers.map((l) => [l.name, l.op, l.output, l.kernel, String(l.tiles), String(l.rowsPerTile), String(l.channelsPerGroup), String(l.l1Bytes), String(l.weightBytes), String(l.estimatedCycles)]);
    const align = figuresAlign(HEADER);
    for (const column of [1, 2, 3]) align[column] = 'left';
    process.stdout.write(`${formatTable(HEADER, rows, align)}\n\n${memoryLines(memory)}\n`);
    process.stdout.write(`wrote ${['.elf', '.S'].map((e) => path.join(options.out, file.name + e)).join(', ')}, ${path.join(options.out, 'layers.json')}, ${path.join(options.out, 'memory.json')}\n`);
  });
}
