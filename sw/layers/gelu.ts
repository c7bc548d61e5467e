/**
 * Integer-only GELU, int8 in and int8 out (docs/integer-nonlinear.md#gelu): I-BERT's i-GELU
 * (Kim et al., arXiv 2101.01321), GELU(x) = x/2 (1 + erf(x / sqrt 2)) with erf on
 * [0, 1.769] replaced by the second-order polynomial 1 - 0.2888 (1.769 - |u|)^2, odd, and 1 beyond.
 * The polynomial's leading coefficient goes into the scale, so the integer work is a clamp, a
 * square and two multiplies; the result is rescaled to the output scale by a pre-shift and a
 * multiplier chosen from the largest product any int8 input gives.
 *
 * i-GELU rather than I-ViT's ShiftGELU (x * sigmoid(1.702 x), arXiv 2207.01405): an int8 input
 * has 256 values, so the kernel looks the output up in a 256-byte table built from this function,
 * and the cost on the cores does not depend on the approximation; the more accurate one wins, and
 * the sigmoid form carries its own error of about 0.02 before any integer step.
 */
import { type ApproximationError, approximationError } from './approximation-error.js';

/** erf(u) ~ sign(u) (1 - A (B - min(|u|, B))^2). */
const ERF_POLYNOMIAL = { a: 0.2888, b: 1.769 } as const;

/** The pre-shifted product stays below 2^PRODUCT_BITS, the multiplier below 2^MULTIPLIER_BITS: their product fits int32. */
const PRODUCT_BITS = 15;
const MULTIPLIER_BITS = 15;

export interface GeluParameters {
  /** round(B / (inputScale / sqrt 2)): where the erf polynomial reaches 1, in input steps. */
  readonly clampAt: number;
  /** round(1 / (A * (inputScale / sqrt 2)^2)): the integer 1 in the polynomial's scale. */
  readonly one: number;
  /** The product x * (one + erf) is shifted right by preShift with rounding... */
  readonly preShift: number;
  /** ...then (p * multiplier + 2^(shift-1)) >> shift is the output before saturation to int8. */
  readonly multiplier: number;
  readonly shift: number;
}

const roundingShift = (value: number, shift: number): number => (shift === 0 ? value : (value + (1 << (shift - 1))) >> shift);

/** x * (one + sign(x) * erf polynomial), in the scale inputScale * A * (inputScale / sqrt 2)^2 / 2. */
function geluProduct(clampAt: number, one: number, x: number): number {
  const distance = clampAt - Math.min(Math.abs(x), clampAt);
  const erf = one - Math.imul(distance, distance);
  return Math.imul(x, x < 0 ? one - erf : one + erf);
}

export function geluParameters(inputScale: number, outputScale: number): GeluParameters {
  for (const [what, scale] of [['input', inputScale], ['output', outputScale]] as const) {
    if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`gelu: ${what} scale ${scale} is not a positive number`);
  }
  const erfScale = inputScale / Math.SQRT2;
  const clampAt = Math.round(ERF_POLYNOMIAL.b / erfScale);
  const one = Math.round(1 / (ERF_POLYNOMIAL.a * erfScale ** 2));
  // |x| <= 128 and |one +- erf| <= 2 one: the product must stay an int32.
  if (128 * 2 * one >= 2 ** 31 || clampAt ** 2 >= 2 ** 31) throw new RangeError(`gelu: input scale ${inputScale} is too small for int32 arithmetic`);
  let largest = 0;
  for (let x = -128; x < 128; x++) largest = Math.max(largest, Math.abs(geluProduct(clampAt, one, x)));
  const preShift = Math.max(0, Math.ceil(Math.log2(largest + 1)) - PRODUCT_BITS);
  const productScale = (inputScale * ERF_POLYNOMIAL.a * erfScale ** 2) / 2;
  const ratio = (productScale * 2 ** preShift) / outputScale;
  let shift = 31;
  while (shift > 0 && Math.round(ratio * 2 ** shift) >= 2 ** MULTIPLIER_BITS) shift--;
  const multiplier = Math.round(ratio * 2 ** shift);
  if (multiplier >= 2 ** MULTIPLIER_BITS) throw new RangeError(`gelu: output scale ${outputScale} is too small for input scale ${inputScale}`);
  if (multiplier < 1) throw new RangeError(`gelu: output scale ${outputScale} is too large for input scale ${inputScale}`);
  return { clampAt, one, preShift, multiplier, shift };
}

/** The int8 output of one int8 input. */
export function geluValue(params: GeluParameters, x: number): number {
  const product = roundingShift(geluProduct(params.clampAt, params.one, x), params.preShift);
  const scaled = roundingShift(Math.imul(product, params.multiplier), params.shift);
  return Math.min(127, Math.max(-128, scaled));
}

/** The output byte of every input byte: table[b] is the GELU of the int8 value of byte b. */
export function geluTable(params: GeluParameters): Uint8Array {
  return Uint8Array.from({ length: 256 }, (_, byte) => geluValue(params, (byte << 24) >> 24) & 0xff);
}

/** GELU of every element of an int8 tensor. */
export function goldenGelu(params: GeluParameters, input: Uint8Array): Uint8Array {
  return input.map((byte) => geluValue(params, (byte << 24) >> 24) & 0xff);
}

/**
 * erf with an error below 1.2e-7 (the complementary error function `erfcc` of W. H. Press et al.,
 * Numerical Recipes in C, 2nd ed., section 6.2): the float reference the approximation is
 * measured against.
 */
export function erf(u: number): number {
  const z = Math.abs(u);
  const t = 1 / (1 + z / 2);
  const poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const result = 1 - t * Math.exp(poly);
  return u < 0 ? -result : result;
}

/** Float GELU of the real input x. */
export const floatGelu = (x: number): number => (x / 2) * (1 + erf(x / Math.SQRT2));

/** The golden model's error against the float GELU over all 256 inputs. */
export function geluError(inputScale: number, outputScale: number): ApproximationError {
  const params = geluParameters(inputScale, outputScale);
  const inputs = Array.from({ length: 256 }, (_, i) => i - 128);
  return approximationError(inputs.map((x) => geluValue(params, x)), inputs.map((x) => floatGelu(x * inputScale) / outputScale), { min: -128, max: 127 });
}
