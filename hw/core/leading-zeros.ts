// Count of leading zeros as a balanced tree: each node merges the counts of its two halves, taking
// the upper half's count unless the upper half is all zeros. Depth grows with log2 of the width,
// where a chain of priority muxes would grow with the width.
import { cat, type Expr, mux, U } from '../hdl/index.js';

interface Count {
  /** Every bit of the slice is zero. */
  readonly zero: Expr;
  /** Leading zeros of the slice (its all-ones value when `zero`), log2(width) bits. */
  readonly count: Expr | undefined;
}

function countSlice(value: Expr, hi: number, lo: number): Count {
  if (hi === lo) return { zero: value.bit(hi).not(), count: undefined };
  const mid = (hi + lo + 1) / 2;
  const upper = countSlice(value, hi, mid);
  const lower = countSlice(value, mid - 1, lo);
  const zero = upper.zero.and(lower.zero);
  const inner = upper.count && lower.count ? mux(upper.zero, lower.count, upper.count) : undefined;
  return { zero, count: inner ? cat(upper.zero, inner) : upper.zero };
}

/** Leading zeros of `value` (a power-of-two width), log2(width) + 1 bits: width when it is zero. */
export function leadingZeros(value: Expr): Expr {
  const width = value.width;
  if (width < 2 || (width & (width - 1)) !== 0) throw new Error(`leadingZeros: width must be a power of two of at least 2, got ${width}`);
  const { zero, count } = countSlice(value, width - 1, 0);
  // An all-zero value leaves count all ones (width - 1): the extra top bit alone makes width.
  const bits = Math.log2(width);
  return cat(zero, mux(zero, U(0, bits), count!));
}
