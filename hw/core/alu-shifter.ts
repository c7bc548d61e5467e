/**
 * The ALU's one shifter: a logarithmic right shifter whose five stages stop at lane boundaries,
 * so each lane (32, 16 or 8 bits) shifts by the amount in its own low bits. Left shifts reverse the
 * bits on the way in and out (CV32E40P's ALU does the same), which costs wiring and two multiplexer
 * rows instead of a second direction in every stage; rotation feeds bits shifted out at the bottom
 * back in at the top (32-bit lane only).
 */
import { cat, mux, U, type Expr, type ModuleBuilder } from '../hdl/index.js';
import { BYTES, reverseBits, type LaneWidthFlags } from './alu-lanes.js';

const STAGES = 5;

/** Each byte's shift amount: the low bits of the amount lane that contains the byte. */
function byteAmounts(w: LaneWidthFlags, amounts: Expr): Expr[] {
  return [0, 1, 2, 3].map((j) => {
    const half = 16 * (j >> 1);
    return mux(w.byte, amounts.bits(8 * j + 2, 8 * j).zext(5), mux(w.half, amounts.bits(half + 3, half).zext(5), amounts.bits(4, 0)));
  });
}

export interface ShifterInputs {
  readonly value: Expr;
  /** Each lane's amount in its low bits (5 for a word, 4 for a halfword, 3 for a byte); the rest is ignored. */
  readonly amounts: Expr;
  readonly lanes: LaneWidthFlags;
  readonly left: Expr;
  /** Right shifts fill with the lane's sign bit. */
  readonly arithmetic: Expr;
  /** Right shifts of the 32-bit lane fill with the bits shifted out. */
  readonly rotate: Expr;
}

export interface ShifterOutputs {
  readonly result: Expr;
  /** The result before the output reversal: for a left shift, the shifted value with its bits reversed. */
  readonly reversed: Expr;
}

/** The shifter, built into module `m` (inline, like the adder, so that synthesis optimizes across it). */
export function laneShifter(m: ModuleBuilder, p: ShifterInputs): ShifterOutputs {
  const { left, arithmetic, rotate } = p;
  const perByte = byteAmounts(p.lanes, p.amounts);
  // A left shift runs right on reversed bits, so reversed byte j is the original byte 3 - j.
  const segmentAmount = perByte.map((amount, j) => m.node(`shift_amount${j}`, mux(left, perByte[BYTES - 1 - j]!, amount)));
  let stage = m.node('shift_in', mux(left, reverseBits(p.value), p.value));
  for (let k = 0; k < STAGES; k++) {
    const distance = 1 << k;
    const v = stage;
    const fill = (msb: number): Expr => arithmetic.and(v.bit(msb));
    const bits: Expr[] = [];
    for (let i = 31; i >= 0; i--) {
      const source = i + distance;
      const word = source < 32 ? v.bit(source) : mux(rotate, v.bit(source - 32), fill(31));
      const halfTop = (i | 15);
      const inHalf = source <= halfTop ? v.bit(source) : fill(halfTop);
      const byteTop = (i | 7);
      const inByte = source <= byteTop ? v.bit(source) : fill(byteTop);
      // Amount bits a lane does not have are zero, so a stage beyond the lane's needs no candidate.
      let candidate = word;
      if (k < 4) candidate = mux(p.lanes.half, inHalf, candidate);
      if (k < 3) candidate = mux(p.lanes.byte, inByte, candidate);
      bits.push(mux(segmentAmount[i >> 3]!.bit(k), candidate, v.bit(i)));
    }
    stage = m.node(`shift_stage${k}`, cat(...bits));
  }
  return { result: mux(left, reverseBits(stage), stage), reversed: stage };
}

/**
 * cv.bitrev's digit reversal of `reversed`, the bit reversal of the shifted value (the shifter's
 * `reversed` output of a left shift): radix 1 swaps the bits of each pair, radix 2 reverses each
 * group of three from bit 0 (the two top bits, left over, are zero), 0 and 3 keep the bits.
 */
export function reverseDigits(reversed: Expr, radix: Expr): Expr {
  const pairs: Expr[] = [];
  const triples: Expr[] = [];
  for (let i = 31; i >= 0; i--) {
    pairs.push(reversed.bit(i ^ 1));
    const group = i - (i % 3);
    triples.push(i >= 30 ? U(0, 1) : reversed.bit(group + 2 - (i % 3)));
  }
  return mux(radix.eq(1), cat(...pairs), mux(radix.eq(2), cat(...triples), reversed));
}
