// What the layer-kernel tests share: a layer with test defaults, and running one variant of it on
// the cluster against the golden model.
import { randomLayerData } from '../../../sw/layers/data.js';
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import { type LayerProgram, layerProgram } from '../../../sw/kernels/layers/program.js';
import { checkLayerOutput, layerElf, type LayerRun, runLayerProgram } from '../../../sw/kernels/layers/run.js';
import type { Engine } from '../../../sw/kernels/run.js';
import type { LayerSpec, Variant } from '../../../sw/layers/spec.js';

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
