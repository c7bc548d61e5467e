/**
 * Bit fields of the ALU (Xcvbitmanip extract/insert/bclr/bset, the lane extract and insert of
 * Xcvsimd, cv.ext*): where the field is, and the mask of its bits. The shifter moves the field;
 * the mask merges it with what surrounds it.
 */
import { cat, mux, U, type Expr } from '../hdl/index.js';
import type { LaneWidthFlags } from './alu-lanes.js';
import { onesBelow, onesFrom } from './alu-masks.js';
import { AluParam } from './alu-ops.js';

export interface FieldPlace {
  /** The field's length minus one (5 bits). */
  readonly length1: Expr;
  /** Its lowest bit (5 bits). */
  readonly position: Expr;
}

export interface FieldSources {
  /** AluParam: rs2[9:5] and rs2[4:0], imm2 and imm, the lane whose index is imm, or lane 0. */
  readonly param: Expr;
  readonly lanes: LaneWidthFlags;
  readonly b: Expr;
  readonly imm: Expr;
  readonly imm2: Expr;
}

export function fieldPlace(p: FieldSources): FieldPlace {
  const is = (source: keyof typeof AluParam): Expr => p.param.eq(AluParam[source]);
  const laneLength1 = mux(p.lanes.byte, U(7, 5), U(15, 5));
  const lanePosition = mux(p.lanes.byte, cat(p.imm.bits(1, 0), U(0, 3)), cat(p.imm.bit(0), U(0, 4)));
  return {
    length1: mux(is('b'), p.b.bits(9, 5), mux(is('imm'), p.imm2.bits(4, 0), laneLength1)),
    position: mux(is('b'), p.b.bits(4, 0), mux(is('imm'), p.imm.bits(4, 0), mux(is('lane'), lanePosition, U(0, 5)))),
  };
}

/** Ones in bits low .. low + length1, those beyond bit 31 cut off. */
export function fieldMask(low: Expr, length1: Expr): Expr {
  const high = low.zext(6).add(length1.zext(6));
  return onesFrom(low).and(onesBelow(high.add(1)));
}
