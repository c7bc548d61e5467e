/**
 * The ALU's one shifter: a logarithmic right shifter whose five stages stop at lane boundaries,
 * so each lane (32, 16 or 8 bits) shifts by the amount in its own low bits. Left shifts reverse the
 * bits on the way in and out (CV32E40P's ALU does the same), which costs wiring and two multiplexer
 * rows instead of a second direction in every stage; rotation feeds bits shifted out at the bottom
 * back in at the top (32-bit lane only).
 */
import { cat, defineModule, mux, UInt, type Expr } from '../hdl/index.js';
import { BYTES, type LaneWidthFlags } from './alu-lanes.js';

const STAGES = 5;

/** The bits of `value` in reverse order. */
export function reverseBits(value: Expr): Expr {
  const bits: Expr[] = [];
  for (let i = 0; i < value.width; i++) bits.push(value.bit(i));
  return cat(...bits);
}

/** Each byte's shift amount: the low bits of the amount lane that contains the byte. */
function byteAmounts(w: LaneWidthFlags, amounts: Expr): Expr[] {
  return [0, 1, 2, 3].map((j) => {
    const half = 16 * (j >> 1);
    return mux(w.byte, amounts.bits(8 * j + 2, 8 * j).zext(5), mux(w.half, amounts.bits(half + 3, half).zext(5), amounts.bits(4, 0)));
  });
}

export const AluShifter = defineModule('AluShifter', (m) => {
  const value = m.input('value', UInt(32));
  /** Each lane's amount in its low bits (5 for a word, 4 for a halfword, 3 for a byte); the rest is ignored. */
  const amounts = m.input('amounts', UInt(32));
  const half = m.input('lane_half', UInt(1));
  const byte = m.input('lane_byte', UInt(1));
  const left = m.input('left', UInt(1));
  /** Right shifts fill with the lane's sign bit. */
  const arithmetic = m.input('arithmetic', UInt(1));
  /** Right shifts of the 32-bit lane fill with the bits shifted out. */
  const rotate = m.input('rotate', UInt(1));
  const result = m.output('result', UInt(32));
  /** The result before the output reversal: for a left shift, the shifted value with its bits reversed. */
  const reversed = m.output('reversed', UInt(32));

  const w: LaneWidthFlags = { half, byte };
  const perByte = byteAmounts(w, amounts);
  // A left shift runs right on reversed bits, so reversed byte j is the original byte 3 - j.
  const segmentAmount = perByte.map((amount, j) => m.node(`amount${j}`, mux(left, perByte[BYTES - 1 - j]!, amount)));
  let stage = m.node('stage_in', mux(left, reverseBits(value), value));
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
      if (k < 4) candidate = mux(half, inHalf, candidate);
      if (k < 3) candidate = mux(byte, inByte, candidate);
      bits.push(mux(segmentAmount[i >> 3]!.bit(k), candidate, v.bit(i)));
    }
    stage = m.node(`stage${k}`, cat(...bits));
  }
  reversed.assign(stage);
  m.unused(amounts.bits(7, 5), amounts.bits(15, 11), amounts.bits(23, 20), amounts.bits(31, 27));
  result.assign(mux(left, reverseBits(stage), stage));
  return { value, amounts, half, byte, left, arithmetic, rotate, result, reversed };
});
