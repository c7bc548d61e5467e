/**
 * Integer-only LayerNormalization over each token's D features (docs/integer-nonlinear.md#layernorm):
 * int8 in, int8 out at the output scale, per-feature gamma and beta. As in I-BERT (Kim et al.,
 * arXiv 2101.01321) and I-ViT's I-LayerNorm (Li and Gu, arXiv 2207.01405), the mean
 * and variance are integer sums and the standard deviation an integer square root; this file's
 * choices keep every value an int32 (or uint32) while losing little:
 *
 * - the mean keeps MEAN_FRACTION_BITS fraction bits, so the centred values c = x * 2^7 - mean are
 *   exact to 1/128 of an input step and fit 16 bits;
 * - the squares are summed after a right shift by ceil(log2 D) so that any row's sum fits 30 bits;
 * - the variance sum (plus epsilon, at least 1 so a constant row divides by no zero) is normalized
 *   by an even left shift t to 29..30 bits before its square root, so the root has 15 bits
 *   whatever the row's spread, and t / 2 comes back as a smaller right shift later;
 * - the root is the exact floor square root (bit by bit: 16 steps of compare and subtract, what the
 *   cores run; I-BERT iterates Newton's method instead, which needs a division per step);
 * - one division per row, 2^30 / root, then per element a multiply and a rounding shift give the
 *   normalized value with NORM_FRACTION_BITS fraction bits, and a multiply-add by the feature's
 *   gamma and beta (with sqrt(D / 2^s) / outputScale folded in on the host) and a rounding shift
 *   give the output.
 *
 * The input scale cancels in (x - mean) / std; it only converts epsilon into integer units.
 */
import { type ApproximationError, approximationError, int8Values } from './approximation-error.js';

/** Fraction bits of the mean (and of the centred values). */
export const MEAN_FRACTION_BITS = 7;
/** Fraction bits of the normalized value (x - mean) / std scaled by 2^(s/2) / sqrt(D). */
export const NORM_FRACTION_BITS = 10;
/** The row factor is 2^ROOT_NUMERATOR_BITS / root. */
const ROOT_NUMERATOR_BITS = 30;
/** The variance sum is normalized so that its highest bit is at most this one. */
const NORMALIZED_TOP_BIT = 30;

export interface LayerNormParameters {
  /** D, the features of each token. */
  readonly features: number;
  /** s = ceil(log2 D): each square is shifted right by s before it is summed. */
  readonly squareShift: number;
  /** epsilon in units of the variance sum, at least 1. */
  readonly epsilon: number;
  /** Per feature: the multiplier of the normalized value (gamma) and the addend (beta), both in units of 2^-outputShift output steps. */
  readonly gamma: Int32Array;
  readonly beta: Int32Array;
  /** The output is (norm * gamma + beta + 2^(outputShift-1)) >> outputShift, saturated to int8. */
  readonly outputShift: number;
}

export interface LayerNormScales {
  readonly inputScale: number;
  readonly outputScale: number;
  readonly gamma: ArrayLike<number>;
  readonly beta: ArrayLike<number>;
  /** Added to the variance (ONNX's default is 1e-5). */
  readonly epsilon: number;
}

const squareShiftOf = (features: number): number => Math.ceil(Math.log2(features));

/** The largest |norm| any row can give (see the file comment): 2^(m + s/2), the root's floor and the rounding aside. */
function maxNorm(squareShift: number): number {
  return Math.floor(2 ** (NORM_FRACTION_BITS + squareShift / 2) * (1 + 1 / 2 ** 14)) + 1;
}

export function layerNormParameters(scales: LayerNormScales): LayerNormParameters {
  const features = scales.gamma.length;
  if (features < 1 || features > 4096) throw new RangeError(`layernorm: ${features} features (1 to 4096)`);
  if (scales.beta.length !== features) throw new RangeError(`layernorm: ${scales.beta.length} betas for ${features} gammas`);
  for (const [what, scale] of [['input', scales.inputScale], ['output', scales.outputScale]] as const) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`layernorm: ${what} scale ${scale} is not a positive number`);
  }
  if (!(scales.epsilon >= 0)) throw new RangeError(`layernorm: epsilon ${scales.epsilon} is negative`);
  const squareShift = squareShiftOf(features);
  // variance sum = sum(c^2) / 2^s, c in 2^-7 input steps: epsilon (real) * D * 2^(14 - s) / inputScale^2.
  const epsilon = Math.max(1, Math.round((scales.epsilon * features * 2 ** (2 * MEAN_FRACTION_BITS - squareShift)) / scales.inputScale ** 2));
  if (epsilon >= 2 ** 30) throw new RangeError(`layernorm: epsilon ${scales.epsilon} is too large for input scale ${scales.inputScale}`);
  // y = norm * 2^-m * sqrt(D / 2^s); q = y * gamma / outputScale + beta / outputScale.
  const gammaReal = Array.from(scales.gamma, (g) => (g * Math.sqrt(features / 2 ** squareShift)) / scales.outputScale / 2 ** NORM_FRACTION_BITS);
  const betaReal = Array.from(scales.beta, (b) => b / scales.outputScale);
  const norm = maxNorm(squareShift);
  const fits = (shift: number): boolean => {
    const g = Math.max(0, ...gammaReal.map((v) => Math.abs(Math.round(v * 2 ** shift))));
    const b = Math.max(0, ...betaReal.map((v) => Math.abs(Math.round(v * 2 ** shift))));
    return g * norm + b + 2 ** (shift - 1) < 2 ** 31;
  };
  let outputShift = 31;
  while (outputShift > 1 && !fits(outputShift)) outputShift--;
  if (!fits(outputShift)) throw new RangeError('layernorm: gamma / outputScale or beta / outputScale too large for int32 arithmetic');
  return {
    features,
    squareShift,
    epsilon,
    gamma: Int32Array.from(gammaReal, (v) => Math.round(v * 2 ** outputShift)),
    beta: Int32Array.from(betaReal, (v) => Math.round(v * 2 ** outputShift)),
    outputShift,
  };
}

/** floor(sqrt(n)) of a uint32, bit by bit from the highest even bit, as the cores run it. */
export function integerSquareRoot(n: number): number {
  let rest = n >>> 0;
  let root = 0;
  for (let bit = 1 << 30; bit !== 0; bit >>>= 2) {
    const trial = (root + bit) >>> 0;
    if (rest >= trial) {
      rest = (rest - trial) >>> 0;
      root = (root >>> 1) + bit;
    } else {
      root >>>= 1;
    }
  }
  return root;
}

/** The per-row integers the kernel computes once per token. */
export interface LayerNormRow {
  /** round(sum * 2^7 / D), the mean in 2^-7 input steps. */
  readonly mean: number;
  /** 2^30 / floor(sqrt(variance sum << t)). */
  readonly factor: number;
  /** 30 - m - t/2: the rounding right shift of c * factor. */
  readonly normShift: number;
}

export function layerNormRow(params: LayerNormParameters, row: Int8Array): LayerNormRow {
  const d = params.features;
  const sum = row.reduce((a, v) => a + v, 0);
  // Offset by 128 per element so that the rounded division is of non-negative numbers (divu).
  const mean = Math.floor(((sum + 128 * d) * 2 ** MEAN_FRACTION_BITS + (d >> 1)) / d) - (128 << MEAN_FRACTION_BITS);
  let variance = params.epsilon;
  for (const x of row) {
    const c = (x << MEAN_FRACTION_BITS) - mean;
    variance += Math.imul(c, c) >>> params.squareShift;
  }
  const topBit = 31 - Math.clz32(variance);
  const normalizeShift = (NORMALIZED_TOP_BIT - topBit) & ~1;
  const root = integerSquareRoot(variance << normalizeShift);
  return { mean, factor: Math.floor(2 ** ROOT_NUMERATOR_BITS / root), normShift: ROOT_NUMERATOR_BITS - NORM_FRACTION_BITS - normalizeShift / 2 };
}

const roundingShift = (value: number, shift: number): number => (shift === 0 ? value : (value + (1 << (shift - 1))) >> shift);

/** LayerNormalization of each of `rows` tokens of an int8 rows x D matrix. */
export function goldenLayerNorm(params: LayerNormParameters, rows: number, input: Uint8Array): Uint8Array {
  const d = params.features;
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`layernorm: ${rows} rows`);
  if (input.length !== rows * d) throw new RangeError(`layernorm: ${input.length} input bytes for ${rows} x ${d}`);
  const x = int8Values(input);
  const out = new Uint8Array(rows * d);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * d, (r + 1) * d);
    const { mean, factor, normShift } = layerNormRow(params, row);
    for (let j = 0; j < d; j++) {
      const c = (row[j]! << MEAN_FRACTION_BITS) - mean;
      const norm = roundingShift(Math.imul(c, factor), normShift);
      const value = roundingShift((Math.imul(norm, params.gamma[j]!) + params.beta[j]!) | 0, params.outputShift);
      out[r * d + j] = Math.min(127, Math.max(-128, value)) & 0xff;
    }
  }
  return out;
}

/** Float LayerNormalization of each row, in output steps. */
export function floatLayerNorm(scales: LayerNormScales, rows: number, input: Uint8Array): Float64Array {
  const d = scales.gamma.length;
  const x = int8Values(input);
  const out = new Float64Array(rows * d);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(x.subarray(r * d, (r + 1) * d), (v) => v * scales.inputScale);
    const mean = row.reduce((a, v) => a + v, 0) / d;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / d;
    const std = Math.sqrt(variance + scales.epsilon);
    row.forEach((v, j) => (out[r * d + j] = (scales.gamma[j]! * ((v - mean) / std) + scales.beta[j]!) / scales.outputScale));
  }
  return out;
}

/** The golden model's error against the float LayerNormalization over these rows. */
export function layerNormError(scales: LayerNormScales, rows: number, input: Uint8Array): ApproximationError {
  const golden = goldenLayerNorm(layerNormParameters(scales), rows, input);
  return approximationError(int8Values(golden), floatLayerNorm(scales, rows, input), { min: -128, max: 127 });
}
