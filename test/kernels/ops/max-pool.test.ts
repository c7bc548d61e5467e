// The max pooling kernel on the cluster, bit-exact against goldenMaxPool: the ResNet stem's 3x3/2
// with padding 1, padding on every side, strides 1 to 3, channel counts that are not a multiple of
// 4 (misaligned words and leftover bytes), 1x1 and global windows, misaligned tensors; its refusals.
import { describe, expect, it } from 'vitest';
import { maxPoolCode } from '../../../sw/kernels/ops/max-pool.js';
import { poolL1Bytes } from '../../../sw/kernels/ops/pool-windows.js';
import type { PoolSpec } from '../../../sw/layers/pool.js';
import { NO_PAD, expectMaxPoolBitExact, pad, poolAddresses } from './support.js';

const pool = (name: string, shape: Partial<PoolSpec>): PoolSpec => ({ name, inH: 9, inW: 10, c: 8, kH: 3, kW: 3, stride: 2, pad: pad(1, 1, 1, 1), signed: false, ...shape });

const SHAPES: readonly PoolSpec[] = [
  pool('ResNet stem 3x3/2 pad 1, 16x16x64, uint8', { inH: 16, inW: 16, c: 64 }),
  pool('ResNet stem 3x3/2 pad 1, 9x10x8, int8', { signed: true }),
  pool('asymmetric padding on every side, 7 channels, int8', { inH: 7, inW: 6, c: 7, kH: 3, kW: 2, stride: 1, pad: pad(2, 1, 0, 1), signed: true }),
  pool('3 channels (bytes only), 2x2/2, padding right and bottom', { inH: 5, inW: 5, c: 3, kH: 2, kW: 2, pad: pad(0, 1, 0, 1) }),
  pool('stride 3, 5x4 window, 13 channels', { inH: 11, inW: 13, c: 13, kH: 5, kW: 4, stride: 3, pad: pad(2, 2, 3, 1), signed: true }),
  pool('1x1 window, stride 2 (subsampling)', { inH: 4, inW: 5, c: 8, kH: 1, kW: 1, pad: NO_PAD, signed: true }),
  pool('global 4x4x64', { inH: 4, inW: 4, c: 64, kH: 4, kW: 4, stride: 1, pad: NO_PAD }),
  pool('one column, 6 channels', { inH: 6, inW: 1, c: 6, kH: 3, kW: 1, stride: 1, pad: pad(1, 1, 0, 0) }),
];

describe('max pooling kernel against goldenMaxPool', () => {
  it.each(SHAPES.flatMap((spec) => [1, 8].map((cores) => [spec.name, cores, spec] as const)))('%s on %i cores', (_, cores, spec) => {
    expectMaxPoolBitExact(spec, cores, 41);
  });

  it('misaligned tensors, 3 and 8 cores', () => {
    expectMaxPoolBitExact(SHAPES[0]!, 3, 5, 1);
    expectMaxPoolBitExact(SHAPES[2]!, 8, 6, 3);
  });

  it('runs the stem pooling at under 4.6 cycles per output byte on one core and 0.65 on 8 (18 instructions per word)', () => {
    const spec = pool('stem', { inH: 16, inW: 16, c: 64 });
    const outputBytes = 8 * 8 * 64;
    const one = expectMaxPoolBitExact(spec, 1, 1);
    const eight = expectMaxPoolBitExact(spec, 8, 1);
    expect(one.cycles / outputBytes).toBeLessThan(4.6);
    expect(eight.cycles / outputBytes).toBeLessThan(0.65);
  });

  it('needs the input and output in L1 and refuses padding as large as the window, and overlaps', () => {
    const spec = SHAPES[0]!;
    expect(poolL1Bytes(spec)).toBe(16 * 16 * 64 + 8 * 8 * 64);
    const at = poolAddresses(spec);
    expect(() => maxPoolCode({ ...spec, pad: pad(3, 1, 1, 1) }, at, 8)).toThrow(/maxpool 'ResNet.*': pad.top must be an integer from 0 to 2, not 3/);
    expect(() => maxPoolCode(spec, { ...at, output: at.output - 8 }, 8)).toThrow(/the output .* overlaps the input/);
    expect(() => maxPoolCode({ ...spec, c: 0 }, at, 8)).toThrow(/c must be an integer from 1/);
    expect(() => maxPoolCode(spec, at, 17)).toThrow(/cores must be an integer from 1 to 16/);
  });
});
