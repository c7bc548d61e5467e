/**
 * The ALU's lane comparisons, from the lane adder computing x - y: a lane's carry out says x >= y
 * unsigned, and flips when signed lanes of different signs are compared; lane equality comes from
 * per-byte equality. One set serves slt, the branches, cv.cmp*, min/max.
 */
import { mux, type Expr, type ModuleBuilder } from '../hdl/index.js';
import { allInLane, atLaneTop, type LaneWidthFlags } from './alu-lanes.js';
import { AluCondition } from './alu-ops.js';

export interface ComparisonInputs {
  readonly lanes: LaneWidthFlags;
  /** Per byte: the adder's carry out of the byte (x - y). */
  readonly carry: readonly Expr[];
  /** Per byte: the sign bits of x's and y's lanes that contain it. */
  readonly xSign: readonly Expr[];
  readonly ySign: readonly Expr[];
  /** Per byte: x's and y's bytes are equal. */
  readonly equalBytes: readonly Expr[];
  /** AluCondition (3 bits). */
  readonly condition: Expr;
  readonly signed: Expr;
}

export interface LaneComparison {
  /** The condition holds in the lane that contains the byte. */
  readonly holds: Expr;
  /** x < y in that lane. */
  readonly less: Expr;
}

/** Per byte, the comparison of the lane that contains it. */
export function compareLanes(m: ModuleBuilder, p: ComparisonInputs): LaneComparison[] {
  const kind = p.condition.bits(2, 1);
  return [0, 1, 2, 3].map((j) => {
    const laneCarry = atLaneTop(p.lanes, p.carry, j);
    const greaterOrEqual = laneCarry.xor(p.signed.and(p.xSign[j]!.xor(p.ySign[j]!)));
    const equal = allInLane(p.lanes, p.equalBytes, j);
    const base = mux(kind.eq(AluCondition.eq >> 1), equal,
      mux(kind.eq(AluCondition.ge >> 1), greaterOrEqual, greaterOrEqual.and(equal.not())));
    return { holds: m.node(`condition${j}`, base.xor(p.condition.bit(0))), less: greaterOrEqual.not() };
  });
}
