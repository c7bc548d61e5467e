// `nmsparse run`: compile a model, run it on the simulated cluster, check it against the golden
// integer network and report its output, its cycles and where they went.
import type { Graph } from '../../sw/onnx/graph.js';
import { readOnnx } from '../../sw/onnx/read.js';
import { runGolden } from '../../sw/net/golden.js';
import { layerRows } from '../../sw/net/layer-table.js';
import { compileModel } from '../../sw/net/pipeline.js';
import { dequantize, quantizeInput, randomCalibration } from '../../sw/net/quantize/index.js';
import { runNetwork } from '../../sw/net/run.js';
import { runCommand } from '../errors.js';
import { messageLine } from '../messages.js';
import { readInputFile } from '../net/input-file.js';
import { readModelFile } from '../net/model-file.js';
import { type ModelCommandOptions, parseModelOptions } from '../net/model-options.js';
import { layerTable, memoryLines, memorySummary, topFive } from '../net/report.js';

export interface RunOptions extends ModelCommandOptions {
  input?: string;
  imagenetNormalize?: boolean;
  checkAll?: boolean;
  json?: boolean;
}

/** The seed of the random input `run` takes without --input (the calibration's is 1). */
const RANDOM_INPUT_SEED = 7;

/** A tensor of the run that differs from the golden network's is a bug of nmsparse, never a result. */
function checkTensor(name: string, actual: Uint8Array, expected: Uint8Array): void {
  const first = expected.findIndex((byte, i) => actual[i] !== byte);
  if (first >= 0) throw new Error(`tensor '${name}' differs from the golden integer network at byte ${first} (${actual[first]} against ${expected[first]})`);
}

export function run(model: string, options: RunOptions): Promise<void> {
  return runCommand(() => {
    const file = readModelFile(model);
    let graph: Graph | undefined;
    const graphOf = (): Graph => (graph ??= readOnnx(file.bytes, file.source));
    const modelOptions = parseModelOptions(options, graphOf);
    const floatInput = options.input === undefined ? randomCalibration(graphOf(), 1, RANDOM_INPUT_SEED)[0]! : readInputFile(options.input, graphOf().inputs[0]!.dims, options.imagenetNormalize ?? false);
    const result = compileModel(file.bytes, file.source, { ...modelOptions, ...(options.checkAll ? { keepTensors: true } : {}) });
    for (const note of result.notes) process.stderr.write(messageLine(`warning: ${note}`));
    const { network, compiled } = result;
    const input = quantizeInput(network, floatInput);
    const started = Date.now();
    // Progress on a terminal only: stdout carries the report, and a log wants no rewritten lines.
    const onNode = process.stderr.isTTY
      ? (index: number, total: number): void => {
          process.stderr.write(`\r\x1b[K[layer ${index + 1} of ${total}] ${compiled.network.nodes[index]!.name}${index + 1 === total ? '\n' : ''}`);
        }
      : undefined;
    const outcome = runNetwork(compiled, { input, ...(onNode ? { onNode } : {}) });
    const seconds = (Date.now() - started) / 1000;
    const golden = runGolden(network, input);
    const checked = options.checkAll ? [...network.tensors.keys()].filter((t) => golden.has(t)) : network.outputs;
    for (const name of checked) checkTensor(name, outcome.readTensor(name), golden.get(name)!);
    const rows = layerRows(compiled, outcome);
    const outputs = network.outputs.map((name) => {
      const values = dequantize(network.tensors.get(name)!, outcome.outputs.get(name)!);
      return { name, values, top5: values.length > 1 ? topFive(values) : [] };
    });
    if (options.json) {
      const json = {
        model: file.source,
        cycles: outcome.cycles,
        simulationSeconds: seconds,
        checkedTensors: checked.length,
        outputs: outputs.map((o) => ({ name: o.name, top5: o.top5, values: Array.from(o.values) })),
        memory: memorySummary(compiled),
        layers: rows,
      };
      process.stdout.write(JSON.stringify(json, null, 2) + '\n');
      return;
    }
    const lines = [
      `${file.source}: ${compiled.network.nodes.length} layers on ${compiled.options.cores} core${compiled.options.cores > 1 ? 's' : ''}, ${outcome.cycles} cycles (simulated in ${seconds.toFixed(1)} s)`,
      `${checked.length === 1 ? 'the output' : `${checked.length} tensors`} bit-exact against the golden integer network`,
      ...outputs.flatMap((o) => (o.top5.length === 0 ? [] : [`top-5 of ${o.name}: ${o.top5.map((r) => `${r.index} (${r.value.toFixed(3)})`).join(', ')}`])),
      '',
      layerTable(rows),
      '',
      memoryLines(memorySummary(compiled)),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  });
}
