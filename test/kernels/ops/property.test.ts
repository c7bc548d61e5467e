// Random operators on random shapes, scales, placements and core counts, each bit-exact against its
// golden model on the cluster (fast-check; a fixed seed and a few runs in `npm test`, more under
// `npm run fuzz` with FUZZ_RUNS).
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { AddScale } from '../../../sw/layers/add.js';
import type { AvgPoolScale, PoolSpec } from '../../../sw/layers/pool.js';
import { fuzzParameters, fuzzTimeout } from '../../fuzz/support.js';
import { type AddLayout, expectAddBitExact, expectAvgPoolBitExact, expectMaxPoolBitExact } from './support.js';

const outputType = fc.constantFrom('int8' as const, 'uint8' as const);

const addScale: fc.Arbitrary<AddScale> = fc.record({
  multiplierA: fc.integer({ min: 0, max: 32767 }),
  multiplierB: fc.integer({ min: 0, max: 32767 }),
  shift: fc.integer({ min: 1, max: 31 }),
  outputType,
  relu: fc.boolean(),
});

/** A pooling whose window fits the padded input, each pad smaller than the window. */
const poolSpec: fc.Arbitrary<PoolSpec> = fc
  .record({ inH: fc.integer({ min: 1, max: 7 }), inW: fc.integer({ min: 1, max: 7 }), c: fc.integer({ min: 1, max: 13 }), kH: fc.integer({ min: 1, max: 4 }), kW: fc.integer({ min: 1, max: 4 }), stride: fc.integer({ min: 1, max: 3 }), signed: fc.boolean() })
  .chain((s) =>
    fc.record({ top: fc.nat(s.kH - 1), bottom: fc.nat(s.kH - 1), left: fc.nat(s.kW - 1), right: fc.nat(s.kW - 1) }).map((pad) => ({ ...s, name: 'random', pad })),
  )
  .filter((s) => s.kH <= s.inH + s.pad.top + s.pad.bottom && s.kW <= s.inW + s.pad.left + s.pad.right);

const avgScale: fc.Arbitrary<AvgPoolScale> = fc.record({ multiplier: fc.integer({ min: 0, max: 32767 }), shift: fc.integer({ min: 1, max: 31 }), outputType });

const cores = fc.integer({ min: 1, max: 8 });
const seed = fc.nat();

describe('operator kernels on random shapes against their golden models', () => {
  it('add', { timeout: fuzzTimeout }, () => {
    const layout = fc.constantFrom<AddLayout>('aligned', 'misaligned', 'in-place');
    const op = fc.record({ count: fc.integer({ min: 1, max: 300 }), signedA: fc.boolean(), signedB: fc.boolean(), scale: addScale });
    fc.assert(fc.property(op, cores, seed, layout, (o, n, s, l) => void expectAddBitExact(o, n, s, l)), fuzzParameters(25));
  });

  it('max pooling', { timeout: fuzzTimeout }, () => {
    fc.assert(fc.property(poolSpec, cores, seed, fc.nat(3), (spec, n, s, offset) => void expectMaxPoolBitExact(spec, n, s, offset)), fuzzParameters(25));
  });

  it('average pooling', { timeout: fuzzTimeout }, () => {
    fc.assert(fc.property(poolSpec, avgScale, cores, seed, fc.nat(3), (spec, scale, n, s, offset) => void expectAvgPoolBitExact(spec, scale, n, s, offset)), fuzzParameters(25));
  });
});
