/**
 * A whole program for one layer on the cluster (docs/kernels.md#programs): the layer's data in L1
 * (input, weight image, quantization, per-core scratch, output), the cores' code from the
 * variant's generator, an end barrier (on more than one core), and optionally a self-check by core 0 against the golden
 * output stored in L2 (exit code 0 when bit-exact, 1 otherwise), so the program can run on another
 * simulator or on RTL. The measured part, everything up to the barrier, is the same either way.
 */
import { PULP_L1 } from '../../../isa/platform/memory-map.js';
import { assemblerEquates } from '../../../isa/platform/symbols.js';
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import { patternName } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import type { LayerData } from '../../layers/data.js';
import { checkLayerData } from '../../layers/data.js';
import { goldenLayer } from '../../layers/golden.js';
import { type LayerSpec, LayerSpecError, type Variant, outputPixels, validateLayer } from '../../layers/spec.js';
import type { InstructionSet } from '../kernel.js';
import { quantizationImage } from './requantize-asm.js';
import type { LayerPlan, WeightImage } from './generator.js';
import { dispatch, epilogue, wordLines } from './program-frame.js';
import { generatorFor } from './registry.js';
import { MAX_CLUSTER_CORES } from '../../../sim/cluster/config.js';

/** L1 bytes of each part of the layer's tile. */
export interface Footprint {
  readonly input: number;
  readonly weights: number;
  readonly quantization: number;
  /** All cores' scratch together. */
  readonly scratch: number;
  readonly output: number;
  readonly total: number;
}

export interface LayerProgram {
  readonly spec: LayerSpec;
  readonly variant: Variant;
  readonly pattern: SparsityPattern | undefined;
  readonly cores: number;
  readonly source: string;
  readonly file: string;
  readonly instructionSet: InstructionSet;
  readonly plan: LayerPlan;
  readonly footprint: Footprint;
  readonly weights: Omit<WeightImage, 'bytes'> & { readonly total: number };
  /** The inner loops' bound for the whole layer (VariantGenerator.bound). */
  readonly bound: Cycles;
  /** Output bytes (HWC). */
  readonly outputBytes: number;
}

export interface LayerProgramOptions {
  /** Append core 0's comparison with the golden output and exit 1 on a mismatch. */
  readonly selfCheck?: boolean;
  /** At most this much scratch per core (a network's tile gets what its tiling leaves), else all L1 has left. */
  readonly scratchBudget?: number;
}

const align4 = (n: number): number => Math.ceil(n / 4) * 4;

export function layerProgram(data: LayerData, variant: Variant, pattern: SparsityPattern | undefined, cores: number, options: LayerProgramOptions = {}): LayerProgram {
  const { spec } = data;
  validateLayer(spec, variant, pattern);
  checkLayerData(data);
  if (!Number.isInteger(cores) || cores < 1 || cores > MAX_CLUSTER_CORES) throw new LayerSpecError('cores', `must be 1 to ${MAX_CLUSTER_CORES}, not ${cores}`);
  const generator = generatorFor(spec, variant);
  const image = generator.weightImage(data, pattern);
  const quantization = quantizationImage(data.quantization);
  const outputBytes = outputPixels(spec) * spec.outC;
  const tensors = {
    input: align4(data.input.length),
    weights: align4(image.bytes.length),
    quantization: quantization.length,
    output: align4(outputBytes),
  };
  const tooLarge = (f: typeof tensors & { readonly scratch?: number }): LayerSpecError => {
    const parts = Object.entries(f).map(([part, bytes]) => `${part} ${bytes}`);
    const total = Object.values(f).reduce((sum, bytes) => sum + bytes, 0);
    const needs = f.scratch === undefined ? `${total} bytes of L1 before any scratch` : `${total} bytes of L1`;
    return new LayerSpecError(
      'tile',
      `layer '${spec.name}' (${variant}${pattern ? ` ${patternName(pattern)}` : ''}, ${cores} cores) needs ${needs} (${parts.join(', ')}), more than its ${PULP_L1.size}: split it into smaller tiles`,
    );
  };
  const left = PULP_L1.size - tensors.input - tensors.weights - tensors.quantization - tensors.output;
  if (left < 0) throw tooLarge(tensors);
  const scratchBytes = generator.scratchBytes(spec, pattern, Math.min(options.scratchBudget ?? Infinity, Math.floor(left / cores / 4) * 4));
  const footprint = { ...tensors, scratch: scratchBytes * cores };
  const total = footprint.input + footprint.weights + footprint.quantization + footprint.scratch + footprint.output;
  if (total > PULP_L1.size) throw tooLarge(footprint);
  const input = PULP_L1.base;
  const weights = input + footprint.input;
  const quant = weights + footprint.weights;
  const scratch = quant + footprint.quantization;
  const output = scratch + footprint.scratch;
  const plan: LayerPlan = { input, weights, quantization: quant, scratch, scratchBytes, output };
  const selfCheck = options.selfCheck ?? false;
  const name = `${spec.name}-${variant}${pattern ? `-${pattern.n}of${pattern.m}` : ''}-${cores}c`;
  const source = [
    `# ${name}: generated by nmsparse (sw/kernels/layers), ${cores} core${cores > 1 ? 's' : ''}`,
    assemblerEquates(),
    '  .text',
    ...dispatch(cores),
    ...generator.code({ data, pattern, cores, plan }),
    ...epilogue(cores, selfCheck ? { output: plan.output, bytes: outputBytes } : undefined),
    // Before the L1 sections: a section without a fixed address follows the one before it, and L2 is where it belongs.
    ...(selfCheck ? ['  .section .rodata.expected', 'expected_output:', ...wordLines(goldenLayer(data))] : []),
    '  .section .l1.input, "aw"',
    'layer_input:',
    ...wordLines(data.input),
    '  .section .l1.weights, "aw"',
    'layer_weights:',
    ...wordLines(image.bytes),
    '  .section .l1.quantization, "aw"',
    'layer_quantization:',
    ...wordLines(quantization),
  ].join('\n');
  return {
    spec,
    variant,
    pattern,
    cores,
    source: `${source}\n`,
    file: `${name}.S`,
    instructionSet: generator.instructionSet,
    plan,
    footprint: { ...footprint, total },
    weights: { valueBytes: image.valueBytes, indexBytes: image.indexBytes, total: image.valueBytes + image.indexBytes },
    bound: generator.bound(spec, pattern, cores, scratchBytes),
    outputBytes,
  };
}
