/**
 * The layer kernels fed random layers: any kind, window, stride, padding on each side, channel
 * counts, element types, variant, N:M pattern and core count. A layer the kernels refuse must be
 * refused with a LayerSpecError naming the parameter (a shape that is no layer, a tile too large
 * for L1); a layer they accept must run on the cluster to the golden model's output, byte for byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { patterns, type SparsityPattern } from '../../isa/xnmsparse/gather.js';
import { layerProgram } from '../../sw/kernels/layers/program.js';
import { checkLayerOutput, runLayerProgram } from '../../sw/kernels/layers/run.js';
import { randomLayerData } from '../../sw/layers/data.js';
import { LAYER_KINDS, type LayerSpec, LayerSpecError, VARIANTS, type Variant, variantApplies } from '../../sw/layers/spec.js';
import { fuzzParameters, fuzzTimeout, unlessRefused } from './support.js';

interface Case {
  readonly spec: LayerSpec;
  readonly variant: Variant;
  readonly pattern: SparsityPattern | undefined;
  readonly cores: number;
  readonly seed: number;
}

const side = fc.integer({ min: 0, max: 3 });
const cases: fc.Arbitrary<Case> = fc
  .record({
    kind: fc.constantFrom(...LAYER_KINDS),
    inH: fc.integer({ min: 1, max: 9 }),
    inW: fc.integer({ min: 1, max: 9 }),
    inC: fc.integer({ min: 1, max: 40 }),
    outC: fc.integer({ min: 1, max: 21 }),
    kH: fc.integer({ min: 1, max: 5 }),
    kW: fc.integer({ min: 1, max: 5 }),
    stride: fc.integer({ min: 1, max: 3 }),
    pad: fc.record({ top: side, bottom: side, left: side, right: side }),
    inputSigned: fc.boolean(),
    output: fc.constantFrom('int8' as const, 'uint8' as const),
    relu: fc.boolean(),
    activationWeights: fc.boolean(),
    variant: fc.constantFrom(...VARIANTS),
    pattern: fc.constantFrom(...patterns),
    cores: fc.constantFrom(1, 2, 3, 8),
    seed: fc.integer({ min: 0, max: 1000 }),
  })
  .map(({ variant, pattern, cores, seed, kind, activationWeights, ...shape }): Case => {
    // Shape the draw into the kind it names, so that most cases are layers; the rest test refusals.
    const linear = kind === 'pointwise' || kind === 'fc' || kind === 'matmul';
    const spec: LayerSpec = {
      name: 'fuzz',
      kind,
      ...shape,
      ...(linear ? { kH: 1, kW: 1, stride: 1, pad: { top: 0, bottom: 0, left: 0, right: 0 } } : {}),
      ...(kind === 'fc' ? { inH: 1, inW: 1 } : {}),
      ...(kind === 'matmul' ? { inW: 1 } : {}),
      ...(kind === 'dw' ? { outC: shape.inC } : {}),
      ...(kind === 'matmul' && activationWeights ? { activationWeights: true } : {}),
    };
    const applies = variantApplies(spec, variant);
    return { spec, variant: applies ? variant : 'dense', pattern: applies && variant !== 'dense' ? pattern : undefined, cores, seed };
  });

describe('layer kernels on random layers', () => {
  it('refuse a layer only with a LayerSpecError, and compute every other to the golden model', () => {
    const counts = { ran: 0, refused: 0 };
    const check = ({ spec, variant, pattern, cores, seed }: Case): void => {
      const data = randomLayerData(spec, seed, pattern);
      const program = unlessRefused([LayerSpecError], () => layerProgram(data, variant, pattern, cores));
      if (program === undefined) {
        counts.refused++;
        return;
      }
      checkLayerOutput(program, data, runLayerProgram(program).output);
      counts.ran++;
    };
    fc.assert(fc.property(cases, check), fuzzParameters(60));
    // Most draws must be layers that run, or the property checks little.
    expect(counts.ran).toBeGreaterThan(counts.refused);
  }, fuzzTimeout ?? 60_000);
});
