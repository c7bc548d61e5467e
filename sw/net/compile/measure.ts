/**
 * The kernels' measured cycles for the cost model (cost.ts): one tile of a layer, run alone on the
 * cluster with the scratch the tiling gives each core, from random data of its shape (a kernel's
 * cycles depend on the shape, the N:M pattern and the scratch, not on the values). Measurements
 * are kept for the process, since a network's layers repeat their tile shapes.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import { PULP_L1 } from '../../../isa/platform/memory-map.js';
import { assemblerEquates } from '../../../isa/platform/symbols.js';
import type { Cycles } from '../../../isa/types.js';
import { writeElf } from '../../../isa/elf/writer.js';
import { assemble } from '../../asm/assembler.js';
import { INSTRUCTION_TABLES } from '../../kernels/instance.js';
import type { VariantGenerator } from '../../kernels/layers/generator.js';
import { dispatch, epilogue, wordLines } from '../../kernels/layers/program-frame.js';
import { runClusterElf } from '../../kernels/layers/run.js';
import { wordsToBytes } from '../../kernels/words.js';
import { randomLayerData } from '../../layers/data.js';
import { type LayerSpec, outputPixels } from '../../layers/spec.js';
import { align4 } from './tile.js';

const measured = new Map<string, Cycles>();

export function measureTile(generator: VariantGenerator, spec: LayerSpec, pattern: SparsityPattern | undefined, cores: number, scratchBytes: number): Cycles {
  const key = JSON.stringify({ variant: generator.variant, spec: { ...spec, name: '' }, pattern, cores, scratchBytes });
  const known = measured.get(key);
  if (known !== undefined) return known;
  const data = randomLayerData(spec, 1, pattern);
  const image = generator.weightImage(data, pattern).bytes;
  const quantization = wordsToBytes(data.quantization.flatMap((q) => [q.bias, q.shift, q.multiplier]));
  const input = PULP_L1.base;
  const weights = input + align4(data.input.length);
  const quant = weights + align4(image.length);
  const scratch = quant + align4(quantization.length);
  const output = scratch + scratchBytes * cores;
  if (output + outputPixels(spec) * spec.outC > PULP_L1.base + PULP_L1.size) throw new Error(`measure: a tile of layer '${spec.name}' does not fit L1 alone`);
  const source = [
    assemblerEquates(),
    '  .text',
    ...dispatch(cores),
    ...generator.code({ data, pattern, cores, plan: { input, weights, quantization: quant, scratch, scratchBytes, output } }),
    ...epilogue(cores),
    '  .section .l1.input, "aw"',
    ...wordLines(data.input),
    '  .section .l1.weights, "aw"',
    ...wordLines(image),
    '  .section .l1.quantization, "aw"',
    ...wordLines(quantization),
  ].join('\n');
  const file = `measure-${spec.name}.S`;
  const elf = writeElf(assemble(`${source}\n`, { table: INSTRUCTION_TABLES[generator.instructionSet], file }));
  const cycles = runClusterElf(elf, generator.instructionSet, cores, file).cycles;
  measured.set(key, cycles);
  return cycles;
}
