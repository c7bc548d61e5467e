/**
 * The ALU's lane permutation (Xcvsimd cv.shuffle*, cv.pack*): a byte crossbar. Each result byte is
 * a byte of x or of z picked by its lane's selector in `selectors` (for halfword lanes, the lane's
 * halfword: its low byte for the lane's low byte, its high byte for the high one), or the byte of
 * `kept` in its own place when `keep` says so (the half of rd that cv.packhi.b/packlo.b leave).
 */
import { cat, mux, U, type Expr } from '../hdl/index.js';
import { byteOf, joinBytes } from './alu-lanes.js';

/**
 * The packs as two-source permutations of x = rs1 and z = rs2, by AluPackFunction: cv.pack and
 * cv.pack.h in halfword lanes, cv.packhi.b and cv.packlo.b in byte lanes keeping rd's other half.
 */
export const PACK_PERMUTATIONS: readonly { readonly selectors: number; readonly keep: number }[] = [
  { selectors: 0x0002_0000, keep: 0b0000 }, // rs1 lane 0 | rs2 lane 0
  { selectors: 0x0003_0001, keep: 0b0000 }, // rs1 lane 1 | rs2 lane 1
  { selectors: 0x0400_0000, keep: 0b0011 }, // rs1 byte 0 | rs2 byte 0 | rd's low half
  { selectors: 0x0000_0400, keep: 0b1100 }, // rd's high half | rs1 byte 0 | rs2 byte 0
];

/** Byte `index` (2 bits) of a 32-bit value. */
function pickByte(value: Expr, index: Expr): Expr {
  const pair = (hi: number): Expr => mux(index.bit(0), byteOf(value, hi), byteOf(value, hi - 1));
  return mux(index.bit(1), pair(3), pair(1));
}

export interface PermuteInputs {
  readonly x: Expr;
  readonly z: Expr;
  readonly kept: Expr;
  /** Byte lanes (else halfword lanes). */
  readonly byteLanes: Expr;
  /** The selectors' next bit up picks x (1) or z (0); otherwise every byte comes from x. */
  readonly twoSources: Expr;
  /** Per lane, in the lane's low bits: the source lane, then (with twoSources) x or z. */
  readonly selectors: Expr;
  /** Per byte: the byte of `kept` instead. */
  readonly keep: readonly Expr[];
}

/** The crossbar's result. */
export function permuteLanes(p: PermuteInputs): Expr {
  const { selectors, byteLanes } = p;
  return joinBytes([0, 1, 2, 3].map((j) => {
    const halfLane = 16 * (j >> 1);
    const index = mux(byteLanes, selectors.bits(8 * j + 1, 8 * j), cat(selectors.bit(halfLane), U(j & 1, 1)));
    const fromX = p.twoSources.not().or(mux(byteLanes, selectors.bit(8 * j + 2), selectors.bit(halfLane + 1)));
    return mux(p.keep[j]!, byteOf(p.kept, j), mux(fromX, pickByte(p.x, index), pickByte(p.z, index)));
  }));
}
