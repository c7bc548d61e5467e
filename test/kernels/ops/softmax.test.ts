// The integer softmax: its golden model against float (the bounds docs/integer-nonlinear.md
// states), and the kernel on the cluster against the golden model, byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { softmaxCode, softmaxScratchBytes } from '../../../sw/kernels/ops/softmax.js';
import { goldenSoftmax, softmaxError, softmaxExponential, softmaxParameters, SOFTMAX_OUTPUT_SCALE } from '../../../sw/layers/softmax.js';
import { Random } from '../../../util/random.js';
import { layOut, runOp } from './nonlinear-support.js';

const randomBytes = (count: number, seed: number): Uint8Array => {
  const random = new Random(seed);
  return Uint8Array.from({ length: count }, () => random.uint32() & 0xff);
};

/** Rows of every kind at once: random, all equal, one-hot, two-hot, and all at the extremes. */
function mixedRows(rows: number, cols: number, seed: number): Uint8Array {
  const input = randomBytes(rows * cols, seed);
  const row = (r: number): Uint8Array => input.subarray(r * cols, (r + 1) * cols);
  if (rows > 1) row(1).fill(0x80);
  if (rows > 2) row(2).fill(0x7f);
  if (rows > 3) row(3).fill(0x80)[cols >> 1] = 0x7f;
  if (rows > 4) row(4).fill(0xf0).fill(0x10, 0, 2);
  return input;
}

function runSoftmax(inputScale: number, rows: number, cols: number, cores: number, input: Uint8Array) {
  const params = softmaxParameters(inputScale);
  const scratch = cores * softmaxScratchBytes(cols);
  const [inputAt, outputAt, scratchAt] = layOut(rows * cols, rows * cols, scratch) as [number, number, number];
  const code = softmaxCode(params, { rows, cols }, { input: inputAt, output: outputAt, scratch: scratchAt }, cores);
  const run = runOp(code, cores, [{ name: 'input', address: inputAt, bytes: input }], { address: outputAt, bytes: rows * cols }, { address: scratchAt, bytes: scratch });
  return { run, golden: goldenSoftmax(params, rows, cols, input) };
}

describe('integer softmax against float', () => {
  it.each([0.01, 0.03, 0.05, 0.1, 0.3, 1])('input scale %f: at most 1 LSB off the rounded float probability, 0.02 LSB on average', (scale) => {
    const error = softmaxError(scale, 100, 65, mixedRows(100, 65, 7));
    expect(error.maxAbs).toBeLessThanOrEqual(1);
    expect(error.meanAbs).toBeLessThan(0.02);
  });

  it('each exponential is within 0.4% of the float one, relative, and 1 for the final shift, for every distance of int8 inputs', () => {
    for (const scale of [0.01, 0.05, 0.2]) {
      const params = softmaxParameters(scale);
      for (let distance = 0; distance < 256; distance++) {
        const exact = params.maxExponential * Math.exp(-distance * scale);
        // The polynomial's own error (I-BERT's fit), then the shift by the power of two truncates.
        expect(Math.abs(softmaxExponential(params, distance) - exact)).toBeLessThanOrEqual(0.004 * exact + 1);
      }
    }
  });

  it('gives a one-hot row 255 and 0s, and a constant row its equal share', () => {
    const cols = 65;
    const oneHot = new Uint8Array(cols).fill(0x80);
    oneHot[10] = 0x7f;
    const out = goldenSoftmax(softmaxParameters(0.1), 1, cols, oneHot);
    expect(out[10]).toBe(255);
    expect(out.reduce((a, v) => a + v, 0)).toBe(255);
    const flat = goldenSoftmax(softmaxParameters(0.1), 1, cols, new Uint8Array(cols).fill(0x55));
    expect(new Set(flat)).toEqual(new Set([Math.round(1 / cols / SOFTMAX_OUTPUT_SCALE)]));
  });

  it('refuses scales it cannot represent and rows whose sum would not fit 32 bits', () => {
    expect(() => softmaxParameters(0)).toThrow(/not a positive number/);
    expect(() => softmaxParameters(1e6)).toThrow(/too large/);
    const params = softmaxParameters(0.05);
    expect(() => goldenSoftmax(params, 1, params.maxColumns + 1, new Uint8Array(params.maxColumns + 1))).toThrow(/exceed/);
    expect(() => goldenSoftmax(params, 2, 3, new Uint8Array(5))).toThrow(/5 input bytes/);
  });
});

describe('softmax kernel on the cluster', () => {
  it.each([
    [17, 64, 1],
    [17, 64, 8],
    [65, 65, 8],
    [5, 3, 8], // fewer rows than cores, rows shorter than the unrolling
    [9, 130, 3], // an odd core count; rows longer than 128, not word multiples
    [1, 1, 1],
    [6, 197, 4], // ViT-B's 197 tokens
  ])('%i x %i on %i cores equals the golden model', (rows, cols, cores) => {
    const { run, golden } = runSoftmax(0.05, rows, cols, cores, mixedRows(rows, cols, rows * cols));
    expect(run.output).toEqual(golden);
  });

  it.each([
    ['all -128', 0x80],
    ['all 127', 0x7f],
  ])('%s', (_, byte) => {
    const { run, golden } = runSoftmax(0.1, 9, 65, 8, new Uint8Array(9 * 65).fill(byte));
    expect(run.output).toEqual(golden);
    expect(new Set(run.output)).toEqual(new Set([4]));
  });

  it('one-hot rows give 255 at the hot element', () => {
    const input = new Uint8Array(8 * 65).fill(0x80);
    for (let r = 0; r < 8; r++) input[r * 65 + r * 7] = 0x7f;
    const { run, golden } = runSoftmax(0.1, 8, 65, 8, input);
    expect(run.output).toEqual(golden);
    for (let r = 0; r < 8; r++) expect(run.output[r * 65 + r * 7]).toBe(255);
  });

  it('65 x 65 (ViT-Ti attention, one head) on 8 cores takes under 2000 cycles per row of the busiest core', () => {
    const { run } = runSoftmax(0.05, 65, 65, 8, mixedRows(65, 65, 3));
    // 9 rows on the busiest core.
    expect(run.cycles / 9).toBeLessThan(2000);
  });

  it('any shape, scale and core count (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1, max: 8 }), fc.double({ min: 0.005, max: 2, noNaN: true }), fc.nat(), (rows, cols, cores, scale, seed) => {
        const { run, golden } = runSoftmax(scale, rows, cols, cores, mixedRows(rows, cols, seed));
        expect(run.output).toEqual(golden);
      }),
      { numRuns: 12, seed: 5 },
    );
  });
});
