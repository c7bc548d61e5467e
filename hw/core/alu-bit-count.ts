/**
 * The ALU's bit counting (Xcvbitmanip cv.ff1, cv.fl1, cv.clb, cv.cnt): one priority encoder finds
 * the lowest set bit of the operand, of its reverse (the highest set bit) or of the reversed bits
 * below the sign that differ from it (the leading sign bits, as CV32E40P counts them); a
 * population count adds up the bits.
 */
import { cat, defineModule, mux, U, UInt, type Expr } from '../hdl/index.js';
import { reverseBits } from './alu-shifter.js';

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

export const BitCountOp = { ff1: 0, fl1: 1, clb: 2, cnt: 3 } as const;

export const AluBitCount = defineModule('AluBitCount', (m) => {
  const value = m.input('value', UInt(32));
  const fn = m.input('fn', UInt(2));
  const count = m.output('count', UInt(6));

  // Leading sign bits: the leading zeros of value ^ sign below the sign bit; the set bit on top
  // stops the search at 31 for 0 and -1.
  const unsignedMagnitude = value.xor(value.bit(31).rep(32));
  const searched = mux(fn.eq(BitCountOp.ff1), value,
    mux(fn.eq(BitCountOp.fl1), reverseBits(value), cat(U(1, 1), reverseBits(unsignedMagnitude.bits(30, 0)))));
  const lowest = lowestSet(m.node('searched', searched));
  const index = m.node('index', lowest.index);
  const position = mux(fn.eq(BitCountOp.fl1), index.not(), index);
  const found = mux(lowest.any, position.zext(6), U(32, 6));
  // cv.clb counts 0 leading sign bits in 0 (the manual's definition), not 31.
  const signBits = mux(value.orR(), index.zext(6), U(0, 6));
  count.assign(mux(fn.eq(BitCountOp.cnt), popcount(value), mux(fn.eq(BitCountOp.clb), signBits, found)));
  return { value, fn, count };
});
