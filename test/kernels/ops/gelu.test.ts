// The integer GELU: its golden model against float over all 256 inputs (the bounds
// docs/integer-nonlinear.md states), and the table kernel on the cluster against the golden
// model, byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { geluCode, geluTableImage } from '../../../sw/kernels/ops/gelu.js';
import { erf, floatGelu, geluError, geluParameters, geluValue, goldenGelu } from '../../../sw/layers/gelu.js';
import { Random } from '../../../util/random.js';
import { layOut, runOp } from './nonlinear-support.js';

function randomBytes(count: number, seed: number): Uint8Array {
  const random = new Random(seed);
  return Uint8Array.from({ length: count }, () => random.uint32() & 0xff);
}

function runGelu(inputScale: number, outputScale: number, rows: number, cols: number, cores: number, input: Uint8Array) {
  const params = geluParameters(inputScale, outputScale);
  const table = geluTableImage(params);
  const [inputAt, outputAt, tableAt] = layOut(rows * cols, rows * cols, table.length) as [number, number, number];
  const code = geluCode({ rows, cols }, { input: inputAt, output: outputAt, table: tableAt }, cores);
  const inputs = [{ name: 'input', address: inputAt, bytes: input }, { name: 'table', address: tableAt, bytes: table }];
  return { run: runOp(code, cores, inputs, { address: outputAt, bytes: rows * cols }), golden: goldenGelu(params, input) };
}

describe('integer GELU against float', () => {
  it('has an erf reference good to 1e-7', () => {
    // erf(0.5), erf(1), erf(2) to 10 digits (Abramowitz and Stegun, table 7.1).
    expect(Math.abs(erf(0.5) - 0.5204998778)).toBeLessThan(1e-7);
    expect(Math.abs(erf(1) - 0.8427007929)).toBeLessThan(1e-7);
    expect(Math.abs(erf(-2) + 0.995322265)).toBeLessThan(1e-7);
  });

  // The polynomial erf puts GELU off by up to 0.0182 (real units, at x = -2.35): within 1 LSB at these output steps.
  it.each([
    [0.05, 0.05],
    [0.05, 0.03],
    [0.1, 0.08],
    [0.2, 0.1],
    [0.02, 0.02],
  ])('input scale %f, output scale %f: every input at most 1 LSB off the rounded float GELU', (inputScale, outputScale) => {
    const error = geluError(inputScale, outputScale);
    expect(error.count).toBe(256);
    expect(error.maxAbs).toBeLessThanOrEqual(1);
    expect(error.meanAbs).toBeLessThan(0.45);
  });

  it('is off by at most 0.019 in real units whatever the scales (the polynomial alone: 0.0182), besides the rounding of the output', () => {
    for (const [inputScale, outputScale] of [[0.004, 0.002], [0.01, 0.005], [0.05, 0.01]] as const) {
      const params = geluParameters(inputScale, outputScale);
      for (let x = -128; x < 128; x++) {
        const representable = Math.min(127 * outputScale, Math.max(-128 * outputScale, floatGelu(x * inputScale)));
        expect(Math.abs(geluValue(params, x) * outputScale - representable)).toBeLessThan(0.019 + outputScale / 2);
      }
    }
  });

  it('maps 0 to 0, large inputs to themselves and large negative ones to 0', () => {
    const params = geluParameters(0.1, 0.1);
    expect(geluValue(params, 0)).toBe(0);
    expect(geluValue(params, 127)).toBe(127);
    expect(geluValue(params, -128)).toBe(0);
  });

  it('refuses scales it cannot represent', () => {
    expect(() => geluParameters(Number.NaN, 0.1)).toThrow(/input scale NaN/);
    expect(() => geluParameters(1e-6, 0.1)).toThrow(/too small for int32/);
    expect(() => geluParameters(0.1, 1e-12)).toThrow(/too small for input scale/);
  });
});

describe('GELU kernel on the cluster', () => {
  it.each([
    [17, 64, 1],
    [17, 64, 8],
    [65, 384, 8],
    [1, 3, 8], // fewer elements than cores
    [7, 13, 3], // odd sizes: the last core's range is not whole words
    [1, 1, 1],
  ])('%i x %i on %i cores equals the golden model', (rows, cols, cores) => {
    const { run, golden } = runGelu(0.05, 0.03, rows, cols, cores, randomBytes(rows * cols, rows * cols));
    expect(run.output).toEqual(golden);
  });

  it('every input byte, and all -128 and all 127', () => {
    const every = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const input of [every, new Uint8Array(64).fill(0x80), new Uint8Array(64).fill(0x7f)]) {
      const { run, golden } = runGelu(0.1, 0.05, 1, input.length, 8, input);
      expect(run.output).toEqual(golden);
    }
  });

  it('65 x 384 (a ViT-Ti MLP) on 8 cores takes under 4 cycles per element of the busiest core', () => {
    const { run } = runGelu(0.05, 0.03, 65, 384, 8, randomBytes(65 * 384, 1));
    expect(run.cycles / ((65 * 384) / 8)).toBeLessThan(4);
  });

  it('any shape, scales and core count (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.nat(),
        (rows, cols, cores, inputScale, outputScale, seed) => {
          const { run, golden } = runGelu(inputScale, outputScale, rows, cols, cores, randomBytes(rows * cols, seed));
          expect(run.output).toEqual(golden);
        },
      ),
      { numRuns: 12, seed: 5 },
    );
  });
});
