/**
 * The ALU's bit counting (Xcvbitmanip cv.ff1, cv.fl1, cv.clb, cv.cnt): one priority encoder finds
 * the lowest set bit of the operand, of its reverse (the highest set bit) or of the reversed bits
 * below the sign that differ from it (the leading sign bits, as CV32E40P counts them); a
 * population count adds up the bits.
 */
import { cat, mux, U, type Expr, type ModuleBuilder } from '../hdl/index.js';
import { reverseBits } from './alu-lanes.js';
import { AluCountFunction } from './alu-ops.js';

/** The lowest set bit of `value` (a power-of-two width of at least 2): whether there is one, and its index. */
function lowestSet(value: Expr): { any: Expr; index: Expr } {
  if (value.width === 2) return { any: value.orR(), index: value.bit(0).not() };
  const half = value.width / 2;
  const low = lowestSet(value.bits(half - 1, 0));
  const high = lowestSet(value.bits(value.width - 1, half));
  return { any: low.any.or(high.any), index: cat(low.any.not(), mux(low.any, low.index, high.index)) };
}

/** Sum of the bits of `value`, as a tree of adders. */
function popcount(value: Expr): Expr {
  let terms: Expr[] = [];
  for (let i = 0; i < value.width; i++) terms.push(value.bit(i));
  while (terms.length > 1) {
    const next: Expr[] = [];
    for (let i = 0; i < terms.length; i += 2) {
      const width = terms[i]!.width + 1;
      next.push(terms[i]!.zext(width).add(terms[i + 1]!.zext(width)));
    }
    terms = next;
  }
  return terms[0]!;
}

/** The count that `fn` (AluCountFunction) asks for, of `value`, in 6 bits. */
export function countBits(m: ModuleBuilder, value: Expr, fn: Expr): Expr {
  // Leading sign bits: the leading zeros of value ^ sign below the sign bit; the set bit on top
  // stops the search at 31 for 0 and -1.
  const differsFromSign = value.xor(value.bit(31).rep(32));
  const searched = mux(fn.eq(AluCountFunction.ff1), value,
    mux(fn.eq(AluCountFunction.fl1), reverseBits(value), cat(U(1, 1), reverseBits(differsFromSign.bits(30, 0)))));
  const lowest = lowestSet(m.node('count_searched', searched));
  const index = m.node('count_index', lowest.index);
  const position = mux(fn.eq(AluCountFunction.fl1), index.not(), index);
  const found = mux(lowest.any, position.zext(6), U(32, 6));
  // cv.clb counts 0 leading sign bits in 0 (the manual's definition), not 31.
  const signBits = mux(value.orR(), index.zext(6), U(0, 6));
  return mux(fn.eq(AluCountFunction.cnt), popcount(value), mux(fn.eq(AluCountFunction.clb), signBits, found));
}
