/**
 * How far an integer approximation of a non-linear operator (softmax.ts, layernorm.ts, gelu.ts)
 * lands from the float operator: each output compared with the float result rounded to the output
 * type, in output steps (LSB). 0 everywhere would be the best any integer output can do.
 */

export interface ApproximationError {
  /** Largest |integer output - rounded float output|, in output LSB. */
  readonly maxAbs: number;
  /** Mean of the same over every output compared. */
  readonly meanAbs: number;
  /** Outputs compared. */
  readonly count: number;
}

/** The error of `outputs` (integer values) against `references` (float values already in output LSB, unrounded and unclamped). */
export function approximationError(outputs: ArrayLike<number>, references: ArrayLike<number>, range: { readonly min: number; readonly max: number }): ApproximationError {
  if (outputs.length !== references.length) throw new RangeError(`approximationError: ${outputs.length} outputs against ${references.length} references`);
  let maxAbs = 0;
  let total = 0;
  for (let i = 0; i < outputs.length; i++) {
    const best = Math.min(range.max, Math.max(range.min, Math.round(references[i]!)));
    const error = Math.abs(outputs[i]! - best);
    maxAbs = Math.max(maxAbs, error);
    total += error;
  }
  return { maxAbs, meanAbs: outputs.length === 0 ? 0 : total / outputs.length, count: outputs.length };
}

/** int8 bytes (two's complement) as numbers. */
export const int8Values = (bytes: Uint8Array): Int8Array => new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
