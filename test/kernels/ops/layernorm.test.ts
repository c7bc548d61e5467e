// The integer LayerNormalization: its golden model against float (the bounds
// docs/integer-nonlinear.md states), its square root, and the kernel on the cluster against the
// golden model, byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layerNormCode, layerNormParameterImage } from '../../../sw/kernels/ops/layernorm.js';
import { goldenLayerNorm, integerSquareRoot, layerNormError, layerNormParameters, type LayerNormScales } from '../../../sw/layers/layernorm.js';
import { Random } from '../../../util/random.js';
import { layOut, runOp } from './nonlinear-support.js';

const uniform = (random: Random): number => random.uint32() / 2 ** 32;

/** gamma in [0.5, 1.5) and beta in [-0.5, 0.5), as trained ViTs have them, at these scales. */
function scales(features: number, seed: number, inputScale = 0.05, outputScale = 0.04): LayerNormScales {
  const random = new Random(seed);
  return {
    inputScale,
    outputScale,
    gamma: Array.from({ length: features }, () => 0.5 + uniform(random)),
    beta: Array.from({ length: features }, () => uniform(random) - 0.5),
    epsilon: 1e-5,
  };
}

/** Tokens of every kind: each with its own spread (1 to 128 steps) and offset, plus constant and extreme rows. */
function tokens(rows: number, features: number, seed: number): Uint8Array {
  const random = new Random(seed);
  const input = new Uint8Array(rows * features);
  for (let r = 0; r < rows; r++) {
    const spread = 1 + (random.uint32() % 128);
    const offset = (random.uint32() % 64) - 32;
    for (let j = 0; j < features; j++) input[r * features + j] = Math.max(-128, Math.min(127, offset + (random.uint32() % (2 * spread + 1)) - spread)) & 0xff;
  }
  const row = (r: number): Uint8Array => input.subarray(r * features, (r + 1) * features);
  if (rows > 1) row(1).fill(0x80);
  if (rows > 2) row(2).fill(0x7f);
  if (rows > 3) row(3).fill(0x80)[features >> 1] = 0x7f;
  if (rows > 4) row(4).forEach((_, j, bytes) => (bytes[j] = j % 2 === 0 ? 0x80 : 0x7f));
  return input;
}

function runLayerNorm(scale: LayerNormScales, rows: number, cores: number, input: Uint8Array) {
  const params = layerNormParameters(scale);
  const d = params.features;
  const image = layerNormParameterImage(params);
  const [inputAt, outputAt, parametersAt] = layOut(rows * d, rows * d, image.length) as [number, number, number];
  const code = layerNormCode(params, { rows, cols: d }, { input: inputAt, output: outputAt, parameters: parametersAt }, cores);
  const inputs = [{ name: 'input', address: inputAt, bytes: input }, { name: 'parameters', address: parametersAt, bytes: image }];
  return { run: runOp(code, cores, inputs, { address: outputAt, bytes: rows * d }), golden: goldenLayerNorm(params, rows, input) };
}

describe('integer LayerNormalization against float', () => {
  it.each([1, 3, 64, 192, 384, 768])('%i features: at most 1 LSB off the rounded float output, 0.03 LSB on average', (features) => {
    const error = layerNormError(scales(features, features), 60, tokens(60, features, features));
    expect(error.maxAbs).toBeLessThanOrEqual(1);
    expect(error.meanAbs).toBeLessThan(0.03);
  });

  it.each([
    [0.01, 0.01],
    [0.2, 0.1],
    [0.02, 0.1],
  ])('input scale %f, output scale %f: at most 1 LSB off', (inputScale, outputScale) => {
    const error = layerNormError(scales(192, 4, inputScale, outputScale), 40, tokens(40, 192, 4));
    expect(error.maxAbs).toBeLessThanOrEqual(1);
  });

  it('takes the floor square root of any uint32', () => {
    const random = new Random(1);
    const samples = [0, 1, 2, 3, 4, 2 ** 29, 2 ** 30 - 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1, ...Array.from({ length: 2000 }, () => random.uint32())];
    for (const n of samples) expect(integerSquareRoot(n)).toBe(Math.floor(Math.sqrt(n)));
  });

  it('gives a constant token its betas (epsilon keeps the divisor non-zero)', () => {
    const scale = scales(16, 2);
    const params = layerNormParameters(scale);
    const out = new Int8Array(goldenLayerNorm(params, 1, new Uint8Array(16).fill(0x30)).buffer);
    expect(Array.from(out)).toEqual(Array.from(scale.beta, (b) => Math.round(b / scale.outputScale) + 0)); // + 0: no -0
  });

  it('refuses what its arithmetic cannot hold', () => {
    expect(() => layerNormParameters({ ...scales(4, 1), beta: [0, 0, 0] })).toThrow(/3 betas for 4 gammas/);
    expect(() => layerNormParameters({ ...scales(4, 1), outputScale: 1e-9 })).toThrow(/too large for int32/);
    expect(() => layerNormParameters({ ...scales(4, 1), inputScale: -1 })).toThrow(/not a positive number/);
    expect(() => goldenLayerNorm(layerNormParameters(scales(4, 1)), 2, new Uint8Array(7))).toThrow(/7 input bytes/);
    expect(() => layerNormCode(layerNormParameters(scales(4, 1)), { rows: 2, cols: 5 }, { input: 0, output: 0, parameters: 0 }, 1)).toThrow(/5 features, parameters for 4/);
  });
});

describe('LayerNormalization kernel on the cluster', () => {
  it.each([
    [17, 64, 1],
    [17, 64, 8],
    [65, 192, 8],
    [5, 7, 8], // fewer tokens than cores, features not a multiple of 4 (misaligned rows)
    [9, 130, 3],
    [1, 1, 1],
    [3, 384, 2],
  ])('%i tokens x %i features on %i cores equals the golden model', (rows, features, cores) => {
    const { run, golden } = runLayerNorm(scales(features, rows), rows, cores, tokens(rows, features, rows * features));
    expect(run.output).toEqual(golden);
  });

  it.each([
    ['all -128', 0x80],
    ['all 127', 0x7f],
  ])('%s', (_, byte) => {
    const { run, golden } = runLayerNorm(scales(64, 9), 9, 8, new Uint8Array(9 * 64).fill(byte));
    expect(run.output).toEqual(golden);
  });

  it('65 x 192 (a ViT-Ti block) on 8 cores takes under 3500 cycles per token of the busiest core', () => {
    const { run } = runLayerNorm(scales(192, 1), 65, 8, tokens(65, 192, 3));
    // 9 tokens on the busiest core.
    expect(run.cycles / 9).toBeLessThan(3500);
  });

  it('any shape, scales and core count (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 8 }),
        fc.double({ min: 0.005, max: 0.5, noNaN: true }),
        fc.double({ min: 0.01, max: 0.5, noNaN: true }),
        fc.nat(),
        (rows, features, cores, inputScale, outputScale, seed) => {
          const { run, golden } = runLayerNorm(scales(features, seed, inputScale, outputScale), rows, cores, tokens(rows, features, seed));
          expect(run.output).toEqual(golden);
        },
      ),
      { numRuns: 12, seed: 5 },
    );
  });
});
