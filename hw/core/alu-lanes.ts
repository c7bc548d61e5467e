/**
 * Lane geometry of the ALU's packed-SIMD datapath: a 32-bit word is four bytes, grouped into one
 * 32-bit lane, two halfword lanes or four byte lanes. Every lane-aware circuit of the ALU works
 * per byte and asks here which lane a byte belongs to, so the three lane widths share one circuit
 * (CV32E40P's ALU is built the same way: one adder and one comparator set cut at lane boundaries).
 */
import { cat, mux, type Expr } from '../hdl/index.js';

export const BYTES = 4;

export interface LaneWidthFlags {
  /** Halfword lanes. */
  readonly half: Expr;
  /** Byte lanes. */
  readonly byte: Expr;
}

/** Byte j of a 32-bit value. */
export function byteOf(value: Expr, j: number): Expr {
  return value.bits(8 * j + 7, 8 * j);
}

/** The bits of `value` in reverse order. */
export function reverseBits(value: Expr): Expr {
  const bits: Expr[] = [];
  for (let i = 0; i < value.width; i++) bits.push(value.bit(i));
  return cat(...bits);
}

/** Per-byte parts, byte 0 first, as one value (byte 3 the most significant). */
export function joinBytes(parts: readonly Expr[]): Expr {
  return cat(...[...parts].reverse());
}

/** Whether byte j starts a lane (byte 0 always does). */
export function startsLane(w: LaneWidthFlags, j: number): Expr | true {
  if (j === 0) return true;
  return j === 2 ? w.half.or(w.byte) : w.byte;
}

/** The value, among per-byte `values`, held by the top byte of the lane that contains byte j. */
export function atLaneTop(w: LaneWidthFlags, values: readonly Expr[], j: number): Expr {
  const inHalf = values[j | 1]!;
  return mux(w.byte, values[j]!, mux(w.half, inHalf, values[3]!));
}

/**
 * Whether every byte of the lane that contains byte j has its flag set (lane equality from byte
 * equality).
 */
export function allInLane(w: LaneWidthFlags, flags: readonly Expr[], j: number): Expr {
  const half = flags[j & 2]!.and(flags[(j & 2) + 1]!);
  const word = flags[0]!.and(flags[1]!).and(flags[2]!).and(flags[3]!);
  return mux(w.byte, flags[j]!, mux(w.half, half, word));
}
