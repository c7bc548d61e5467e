// What the layer-kernel tests share: a layer with test defaults, and running one variant of it on
// the cluster against the golden model.
import { randomLayerData } from '../../../sw/layers/data.js';
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import { type LayerProgram, layerProgram } from '../../../sw/kernels/layers/program.js';
import { checkLayerOutput, layerElf, type LayerRun, runLayerProgram } from '../../../sw/kernels/layers/run.js';
import type { Engine } from '../../../sw/kernels/run.js';
import { type LayerSpec, NO_PADDING, type Variant } from '../../../sw/layers/spec.js';

/** A 3x3 convolution of a 5x7x8 input into 6 channels, padding 1, uint8 with ReLU: override what a test is about. */
export const testLayer = (name: string, shape: Partial<LayerSpec>): LayerSpec => ({
  name,
  kind: 'conv',
  inH: 5,
  inW: 7,
  inC: 8,
  outC: 6,
  kH: 3,
  kW: 3,
  stride: 1,
  pad: { top: 1, bottom: 1, left: 1, right: 1 },
  inputSigned: false,
  output: 'uint8',
  relu: true,
  ...shape,
});

/** Runs the variant on `cores` cores with the layer's random data of `seed`; throws unless the output is the golden one. */
export function expectBitExact(spec: LayerSpec, variant: Variant, pattern: SparsityPattern | undefined, cores: number, seed: number, engine: Engine = 'compiled'): { program: LayerProgram; run: LayerRun } {
  const data = randomLayerData(spec, seed, pattern);
  const program = layerProgram(data, variant, pattern, cores);
  const run = runLayerProgram(program, layerElf(program), engine);
  checkLayerOutput(program, data, run.output);
  return { program, run };
}

const SHAPE_DEFAULTS = { inputSigned: false, output: 'uint8', relu: true, stride: 1, pad: NO_PADDING } as const;

/**
 * Awkward shapes for the kernels over the transposed activation buffer (the software sparse and
 * Xnmsparse kernels): every edge of the buffer, the passes, the core split and the weight stream.
 */
export const SPARSE_KERNEL_SHAPES: readonly LayerSpec[] = [
  // Cin 3 (odd, not a multiple of 4), K = 27 (not a multiple of M), odd output width, unequal padding on every side, Cout 5.
  { ...SHAPE_DEFAULTS, name: 'conv-odd', kind: 'conv', inH: 5, inW: 9, inC: 3, outC: 5, kH: 3, kW: 3, pad: { top: 1, bottom: 2, left: 2, right: 1 } },
  // Stride 2 with padding, Cout 11 (not a multiple of 4 nor of the cores), int8 input and output.
  { ...SHAPE_DEFAULTS, name: 'conv-stride2', kind: 'conv', inH: 7, inW: 12, inC: 6, outC: 11, kH: 3, kW: 3, stride: 2, pad: { top: 1, bottom: 1, left: 1, right: 0 }, inputSigned: true, output: 'int8', relu: false },
  // A 1x1 input under a padded 3x3 window, one output channel.
  { ...SHAPE_DEFAULTS, name: 'conv-1x1-spatial', kind: 'conv', inH: 1, inW: 1, inC: 16, outC: 1, kH: 3, kW: 3, pad: { top: 1, bottom: 1, left: 1, right: 1 } },
  // Wide rows: two passes per row, the second a tail; 2x5 kernel.
  { ...SHAPE_DEFAULTS, name: 'conv-wide', kind: 'conv', inH: 3, inW: 19, inC: 4, outC: 3, kH: 2, kW: 5, pad: { top: 0, bottom: 1, left: 0, right: 0 } },
  // A 5x5 window over 4 columns: passes of two rows (laneStep 1), 4 seam words per phase, more than laneStep, so three of them are transposed like the others.
  { ...SHAPE_DEFAULTS, name: 'conv-5x5-narrow', kind: 'conv', inH: 4, inW: 4, inC: 5, outC: 3, kH: 5, kW: 5, pad: { top: 2, bottom: 2, left: 2, right: 2 } },
  // Two-row passes with stride 2: the second word two buffer rows on.
  { ...SHAPE_DEFAULTS, name: 'conv-narrow-stride2', kind: 'conv', inH: 7, inW: 7, inC: 8, outC: 6, kH: 3, kW: 3, stride: 2, pad: { top: 1, bottom: 1, left: 1, right: 1 } },
  // Three output rows of three: the last two-row pass has no second row; 200 channels put the second word beyond a 12-bit offset.
  { ...SHAPE_DEFAULTS, name: 'conv-narrow-3-rows', kind: 'conv', inH: 3, inW: 3, inC: 200, outC: 3, kH: 3, kW: 3, pad: { top: 1, bottom: 1, left: 1, right: 1 } },
  { ...SHAPE_DEFAULTS, name: 'pointwise', kind: 'pointwise', inH: 5, inW: 3, inC: 12, outC: 9, kH: 1, kW: 1 },
  { ...SHAPE_DEFAULTS, name: 'fc', kind: 'fc', inH: 1, inW: 1, inC: 40, outC: 6, kH: 1, kW: 1, inputSigned: true, output: 'int8', relu: false },
  // 3 passes of 8 tokens, 16 channels: on 8 cores one team of 8 refills its buffer for each pass (barriers between).
  { ...SHAPE_DEFAULTS, name: 'matmul-24-tokens', kind: 'matmul', inH: 24, inW: 1, inC: 20, outC: 16, kH: 1, kW: 1 },
  // 300 output channels: a pass's outputs lie beyond 12-bit offsets of its first, stored through stepping pointers.
  { ...SHAPE_DEFAULTS, name: 'matmul-300-channels', kind: 'matmul', inH: 9, inW: 1, inC: 8, outC: 300, kH: 1, kW: 1 },
  // One token: a single pixel, one word {x, 0, 0, 0} per position, filled by widening its bytes.
  { ...SHAPE_DEFAULTS, name: 'matmul-1-token', kind: 'matmul', inH: 1, inW: 1, inC: 37, outC: 5, kH: 1, kW: 1 },
  { ...SHAPE_DEFAULTS, name: 'matmul-3-tokens', kind: 'matmul', inH: 3, inW: 1, inC: 24, outC: 7, kH: 1, kW: 1, inputSigned: true, output: 'int8', relu: false },
];

/** Scratch per core that constrains no split (all of L1): for calling a generator's bound() directly. */
export const AMPLE_SCRATCH = 64 * 1024;
