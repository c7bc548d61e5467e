// The average pooling kernel on the cluster, bit-exact against goldenAvgPool: global pooling of
// 4x4x64 and 7x7x512 (channels split between the cores), windows over the padding (summed as
// zeros), strides, channel counts that are not a multiple of 4, int8 and uint8 in and out; its refusals.
import { describe, expect, it } from 'vitest';
import { avgPoolCode } from '../../../sw/kernels/ops/avg-pool.js';
import type { AvgPoolScale, PoolSpec } from '../../../sw/layers/pool.js';
import { NO_PAD, expectAvgPoolBitExact, pad, poolAddresses } from './support.js';

const pool = (name: string, shape: Partial<PoolSpec>): PoolSpec => ({ name, inH: 8, inW: 7, c: 8, kH: 3, kW: 3, stride: 1, pad: pad(1, 1, 1, 1), signed: false, ...shape });
const global = (h: number, w: number, c: number, signed: boolean): PoolSpec => pool(`global ${h}x${w}x${c}`, { inH: h, inW: w, c, kH: h, kW: w, pad: NO_PAD, signed });

/** The usual average: multiplier / 2^shift close to 1 / window, the multiplier in 15 bits. */
const averaging = (positions: number, outputType: AvgPoolScale['outputType']): AvgPoolScale => {
  const shift = 14 + Math.ceil(Math.log2(positions));
  return { multiplier: Math.round(2 ** shift / positions), shift, outputType };
};

const CASES: readonly (readonly [PoolSpec, AvgPoolScale])[] = [
  [global(4, 4, 64, false), averaging(16, 'uint8')],
  [global(7, 7, 136, true), averaging(49, 'int8')],
  [pool('3x3/1 pad 1, uint8 -> uint8', {}), averaging(9, 'uint8')],
  [pool('3x3/2, asymmetric padding, 5 channels, int8 -> uint8', { c: 5, stride: 2, pad: pad(0, 2, 2, 1), signed: true }), averaging(9, 'uint8')],
  [pool('2x2/2, 12 channels, int8, gain 4 (saturates)', { c: 12, kH: 2, kW: 2, stride: 2, pad: NO_PAD, signed: true }), { multiplier: 32767, shift: 13, outputType: 'int8' }],
  [pool('5x3/3, 3 channels, shift 31', { inH: 10, inW: 9, c: 3, kH: 5, kW: 3, stride: 3, pad: pad(2, 2, 1, 0) }), { multiplier: 32767, shift: 31, outputType: 'uint8' }],
];

describe('average pooling kernel against goldenAvgPool', () => {
  it.each(CASES.flatMap(([spec, scale]) => [1, 8].map((cores) => [spec.name, cores, spec, scale] as const)))('%s on %i cores', (_, cores, spec, scale) => {
    expectAvgPoolBitExact(spec, scale, cores, 43);
  });

  it('global 7x7x512, int8, on 8 cores: channels split, under 9 cycles per output byte', () => {
    const run = expectAvgPoolBitExact(global(7, 7, 512, true), averaging(49, 'int8'), 8, 3);
    expect(run.cycles / 512).toBeLessThan(9);
  });

  it('global 4x4x512 on 8 cores: no core waits on a TCDM bank for long', () => {
    const run = expectAvgPoolBitExact(global(4, 4, 512, false), averaging(16, 'uint8'), 8, 4);
    expect(run.cycles).toBeLessThan(1700);
    for (const core of run.perCore) expect(core.tcdmContention).toBeLessThan(100);
  });

  it('a 12x12 window over 2x2 outputs: pixel and row loops longer than a branch reaches, on 1 and 3 cores', () => {
    const spec = pool('12x12/2 over 14x14x6', { inH: 14, inW: 14, c: 6, kH: 12, kW: 12, stride: 2, pad: NO_PAD, signed: true });
    expectAvgPoolBitExact(spec, averaging(144, 'int8'), 1, 12);
    expectAvgPoolBitExact(spec, averaging(144, 'int8'), 3, 13);
  });

  it('misaligned tensors on 5 cores', () => {
    expectAvgPoolBitExact(CASES[3]![0], CASES[3]![1], 5, 9, 2);
  });

  it('refuses scales out of range and windows too large to unroll', () => {
    const [spec] = CASES[2]!;
    const at = poolAddresses(spec);
    expect(() => avgPoolCode(spec, { multiplier: 40000, shift: 10, outputType: 'uint8' }, at, 8)).toThrow(/avgpool '3x3.*': multiplier must be an integer from 0 to 32767, not 40000/);
    expect(() => avgPoolCode(spec, { multiplier: 1, shift: 0, outputType: 'uint8' }, at, 8)).toThrow(/shift must be an integer from 1 to 31, not 0/);
    const huge = global(23, 23, 4, false);
    expect(() => avgPoolCode(huge, averaging(529, 'uint8'), poolAddresses(huge), 8)).toThrow(/a window of 529 positions is more than the 512 the kernel unrolls: pool in two steps/);
  });
});
