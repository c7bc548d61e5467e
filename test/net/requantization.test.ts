// The rescaling parameters: a layer's shift and multiplier minimize the end-to-end error (better
// than the largest multiplier), keep saturation right, and the add and pool rescales stay in their
// ranges.
import { describe, expect, it } from 'vitest';
import { MAX_MULTIPLIER, shiftRoundQ15Requantize } from '../../sw/layers/requantize.js';
import { MAX_LAYER_FACTOR, addRescale, avgPoolRescale, layerRescale, type Rescale } from '../../sw/net/quantize/requantization.js';
import { Random } from '../../util/random.js';

/** The largest multiplier that fits, as sw/layers/data.ts chooses for random layers. */
function largestMultiplier(factor: number): Rescale {
  const shift = Math.min(31, Math.max(0, Math.floor(Math.log2(MAX_MULTIPLIER / (factor * 2 ** 15)))));
  return { shift, multiplier: Math.round(factor * 2 ** (15 + shift)) };
}

/** Largest |requantized - exact| over accumulators whose exact output lies in the int8 range. */
function worstError(factor: number, rescale: Rescale, random: Random): number {
  let worst = 0;
  for (let i = 0; i < 2000; i++) {
    const acc = Math.round(((random.uint32() / 2 ** 32) * 255 - 127.5) / factor);
    if (Math.abs(acc) >= 2 ** 31) continue;
    worst = Math.max(worst, Math.abs(shiftRoundQ15Requantize(acc, { bias: 0, ...rescale }, 'int8', false) - acc * factor));
  }
  return worst;
}

describe('layerRescale', () => {
  it('stays within 0.6 of an output step of the exact product, where the largest multiplier reaches about 1', () => {
    const random = new Random(7);
    let ours = 0;
    let largest = 0;
    for (let i = 0; i < 40; i++) {
      const factor = 2 ** (-24 * (random.uint32() / 2 ** 32)) * 0.9;
      ours = Math.max(ours, worstError(factor, layerRescale(factor, 'int8', false), random));
      largest = Math.max(largest, worstError(factor, largestMultiplier(factor), random));
    }
    expect(ours).toBeLessThan(0.6);
    expect(largest).toBeGreaterThan(0.9);
  });

  it('saturates large accumulators even when the shifted value saturates int16 first', () => {
    for (const factor of [0.9, 0.3, 0.01]) {
      for (const [output, relu, max] of [['int8', false, 127], ['uint8', true, 255]] as const) {
        const q = { bias: 0, ...layerRescale(factor, output, relu) };
        expect(shiftRoundQ15Requantize(2 ** 30, q, output, relu)).toBe(max);
        expect(shiftRoundQ15Requantize(-(2 ** 30), q, output, relu)).toBe(output === 'int8' ? -128 : 0);
      }
    }
  });

  it('rejects a factor it cannot represent; zero is a zero multiplier', () => {
    expect(() => layerRescale(MAX_LAYER_FACTOR * 1.01, 'int8', false)).toThrow(RangeError);
    expect(layerRescale(0, 'int8', false)).toEqual({ shift: 0, multiplier: 0 });
  });
});

describe('add and average-pool rescales', () => {
  it('addRescale: both multipliers fit 15 bits at the largest shift', () => {
    const r = addRescale(0.7, 1.9)!;
    expect(r.multiplierB).toBeLessThanOrEqual(MAX_MULTIPLIER);
    expect(r.multiplierB * 2).toBeGreaterThan(MAX_MULTIPLIER);
    expect(r.multiplierA / 2 ** r.shift).toBeCloseTo(0.7, 4);
    expect(addRescale(20_000, 1)).toBeUndefined();
  });

  it('avgPoolRescale keeps the largest sum times the multiplier below 2^31', () => {
    const maxSum = 56 * 56 * 255;
    const r = avgPoolRescale(1 / (56 * 56), maxSum)!;
    expect(maxSum * r.multiplier + 2 ** (r.shift - 1)).toBeLessThan(2 ** 31);
    expect(r.multiplier / 2 ** r.shift).toBeCloseTo(1 / 3136, 6);
  });
});
