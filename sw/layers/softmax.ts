/**
 * Integer-only softmax over each row of a token matrix (docs/integer-nonlinear.md#softmax):
 * int8 input at a real scale, uint8 probabilities at the fixed scale 1/255, after the I-BERT
 * integer-only softmax (Kim et al., arXiv 2101.01321): subtract the row's maximum, split the
 * exponent into a power of two and a remainder, approximate the remainder's exponential by a
 * second-order polynomial whose scale absorbs its leading coefficient, shift by the power of two,
 * and divide by the row's sum.
 *
 * This file's choice of internal scale, ln 2 / 2^10, makes the split a shift and a mask (no
 * division per element), and the only per-element division is the final normalization, done with
 * rounding. Every step is one core instruction on int32/uint32 values: the kernel
 * (sw/kernels/ops/softmax.ts) computes exactly this.
 */
import { type ApproximationError, approximationError, int8Values } from './approximation-error.js';

/** Real value of one output step: 255 is probability 1, so a one-hot row is exact. */
export const SOFTMAX_OUTPUT_SCALE = 1 / 255;

/** Fraction bits of the exponent in base 2: the internal scale is ln 2 / 2^FRACTION_BITS. */
export const SOFTMAX_FRACTION_BITS = 10;

/** I-BERT's fit exp(p) ~ A (p + B)^2 + C on p in (-ln 2, 0]. */
const EXP_POLYNOMIAL = { a: 0.3585, b: 1.353, c: 0.344 } as const;

/** The largest distance from the row maximum: int8 inputs span 255 steps. */
const MAX_DISTANCE = 255;

export interface SoftmaxParameters {
  /**
   * The distance n = max - x (0..255) becomes t = (n * inputMultiplier + 2^(inputShift-1)) >> inputShift,
   * n * inputScale * log2(e) in units of 2^-FRACTION_BITS (the rounding term is 0 for a zero shift).
   */
  readonly inputMultiplier: number;
  readonly inputShift: number;
  /** round(B / internal scale): the polynomial is (polynomialOffset - fraction)^2 + polynomialConstant. */
  readonly polynomialOffset: number;
  /** round(C / (A * internal scale^2)). */
  readonly polynomialConstant: number;
  /** The polynomial at 0, the largest exponential (the row maximum's). */
  readonly maxExponential: number;
  /** The longest row whose sum and rounded division stay within 32 bits unsigned. */
  readonly maxColumns: number;
}

export function softmaxParameters(inputScale: number): SoftmaxParameters {
  if (!(inputScale > 0) || !Number.isFinite(inputScale)) throw new RangeError(`softmax: input scale ${inputScale} is not a positive number`);
  // n * inputMultiplier must stay below 2^31: the multiplier gets every bit that allows.
  const maxMultiplier = Math.floor((2 ** 31 - 1) / MAX_DISTANCE);
  const exact = inputScale * Math.LOG2E * 2 ** SOFTMAX_FRACTION_BITS;
  let inputShift = 31;
  while (inputShift > 0 && Math.round(exact * 2 ** inputShift) > maxMultiplier) inputShift--;
  const inputMultiplier = Math.round(exact * 2 ** inputShift);
  if (inputMultiplier > maxMultiplier) throw new RangeError(`softmax: input scale ${inputScale} is too large (a step is more than ${maxMultiplier} / 2^${SOFTMAX_FRACTION_BITS} octaves)`);
  if (inputMultiplier < 1) throw new RangeError(`softmax: input scale ${inputScale} is too small to represent`);
  const internalScale = Math.LN2 / 2 ** SOFTMAX_FRACTION_BITS;
  const polynomialOffset = Math.round(EXP_POLYNOMIAL.b / internalScale);
  const polynomialConstant = Math.round(EXP_POLYNOMIAL.c / (EXP_POLYNOMIAL.a * internalScale ** 2));
  const maxExponential = polynomialOffset ** 2 + polynomialConstant;
  // Per output: e * 255 + floor(sum / 2) < 2^32 with e <= maxExponential and sum <= columns * maxExponential.
  const maxColumns = Math.floor(((2 ** 32 - 1 - 255 * maxExponential) * 2) / maxExponential);
  return { inputMultiplier, inputShift, polynomialOffset, polynomialConstant, maxExponential, maxColumns };
}

/** The exponential of -n steps below the row maximum, in the polynomial's scale (A * internal scale^2). */
export function softmaxExponential(params: SoftmaxParameters, distance: number): number {
  const rounding = params.inputShift === 0 ? 0 : 1 << (params.inputShift - 1);
  const t = (Math.imul(distance, params.inputMultiplier) + rounding) >> params.inputShift;
  const octaves = t >> SOFTMAX_FRACTION_BITS;
  const fraction = t & ((1 << SOFTMAX_FRACTION_BITS) - 1);
  const base = params.polynomialOffset - fraction;
  const polynomial = Math.imul(base, base) + params.polynomialConstant;
  // A shift of 31 clears the polynomial (below 2^31), as any larger one would.
  return polynomial >> Math.min(octaves, 31);
}

export function checkSoftmaxShape(params: SoftmaxParameters, rows: number, cols: number): void {
  if (!Number.isInteger(rows) || rows < 1) throw new RangeError(`softmax: ${rows} rows`);
  if (!Number.isInteger(cols) || cols < 1) throw new RangeError(`softmax: ${cols} columns`);
  if (cols > params.maxColumns) throw new RangeError(`softmax: rows of ${cols} columns exceed the ${params.maxColumns} whose sum fits 32 bits`);
}

/**
 * uint8 probabilities (scale 1/255) of each row of an int8 rows x cols matrix:
 * out = floor((e * 255 + floor(sum / 2)) / sum), unsigned 32-bit, e the element's exponential.
 */
export function goldenSoftmax(params: SoftmaxParameters, rows: number, cols: number, input: Uint8Array): Uint8Array {
  checkSoftmaxShape(params, rows, cols);
  if (input.length !== rows * cols) throw new RangeError(`softmax: ${input.length} input bytes for ${rows} x ${cols}`);
  const x = int8Values(input);
  const out = new Uint8Array(rows * cols);
  const exponentials = new Array<number>(cols);
  for (let r = 0; r < rows; r++) {
    const row = x.subarray(r * cols, (r + 1) * cols);
    const max = row.reduce((m, v) => Math.max(m, v), -128);
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      exponentials[j] = softmaxExponential(params, max - row[j]!);
      sum += exponentials[j]!;
    }
    const half = Math.floor(sum / 2);
    // Below 2^32 (maxColumns): exact in doubles, as divu computes it.
    for (let j = 0; j < cols; j++) out[r * cols + j] = Math.floor((exponentials[j]! * 255 + half) / sum);
  }
  return out;
}

/** Float softmax of each row, in output steps (probability * 255). */
export function floatSoftmax(inputScale: number, rows: number, cols: number, input: Uint8Array): Float64Array {
  const x = int8Values(input);
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = Array.from(x.subarray(r * cols, (r + 1) * cols), (v) => v * inputScale);
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, v) => a + v, 0);
    e.forEach((v, j) => (out[r * cols + j] = (v / sum) / SOFTMAX_OUTPUT_SCALE));
  }
  return out;
}

/** The golden model's error against the float softmax over these rows. */
export function softmaxError(inputScale: number, rows: number, cols: number, input: Uint8Array): ApproximationError {
  const golden = goldenSoftmax(softmaxParameters(inputScale), rows, cols, input);
  return approximationError(golden, floatSoftmax(inputScale, rows, cols, input), { min: 0, max: 255 });
}
