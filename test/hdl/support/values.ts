// Random operand values for hardware tests. Uniform values almost never hit the cases where
// arithmetic goes wrong (0, all ones, the most negative value), so a quarter of the draws are
// corner values.
import type { Random } from '../../../util/random.js';

/** The w-bit pattern of v. */
export const unsigned = (v: bigint, w: number): bigint => BigInt.asUintN(w, v);

/** The two's complement value of the w-bit pattern v. */
export const signed = (v: bigint, w: number): bigint => BigInt.asIntN(w, v);

export function cornerValues(width: number): bigint[] {
  const w = BigInt(width);
  const ones = (1n << w) - 1n;
  const sign = 1n << (w - 1n);
  return [0n, 1n, ones, sign, sign - 1n, ones - 1n].map((v) => unsigned(v, width));
}

/** A bit pattern of `width` bits: a corner value one time in four, else uniform. */
export function randomBits(rng: Random, width: number): bigint {
  return rng.chance(0.25) ? rng.pick(cornerValues(width)) : rng.bits(width);
}
