/**
 * The ALU's one adder, cut into lanes: x' + y' + carry-in per lane, where each byte's operands may
 * be inverted (subtraction, absolute value, clipping). Written as one 37-bit addition whose operands
 * carry a control bit pair between the bytes (the technique of CV32E40P's ALU): (1, 0) lets the
 * carry of the byte below through, (c, c) stops it and starts the next lane with carry-in c. The
 * sum bit at each such position is then the carry out of the byte below it.
 */
import { cat, mux, U, type Expr, type ModuleBuilder } from '../hdl/index.js';
import { BYTES, byteOf, joinBytes, startsLane, type LaneWidthFlags } from './alu-lanes.js';

export interface LaneAdderInputs {
  readonly x: Expr;
  readonly y: Expr;
  readonly lanes: LaneWidthFlags;
  /** Per byte: invert x's byte (x' = ~x). */
  readonly invertX: readonly Expr[];
  /** Invert every byte of y (y' = ~y). */
  readonly invertY: Expr;
  /** Per byte: the carry into the lane that starts at this byte (ignored for bytes inside a lane). */
  readonly laneCarry: readonly Expr[];
}

export interface LaneAdderOutputs {
  readonly sum: Expr;
  /** Per byte: the carry out of its top bit (the lane's carry out when the byte ends a lane). */
  readonly carry: readonly Expr[];
}

/** The lane adder, built into module `m` (inline: a module boundary would cost depth across the operand selection). */
export function laneAdder(m: ModuleBuilder, p: LaneAdderInputs): LaneAdderOutputs {
  const xParts: Expr[] = [];
  const yParts: Expr[] = [];
  for (let j = BYTES - 1; j >= 0; j--) {
    xParts.push(byteOf(p.x, j).xor(p.invertX[j]!.rep(8)));
    yParts.push(byteOf(p.y, j).xor(p.invertY.rep(8)));
    const starts = startsLane(p.lanes, j);
    const cin = p.laneCarry[j]!;
    // Lane start: (c, c) generates or kills; otherwise (1, 0) propagates.
    xParts.push(starts === true ? cin : mux(starts, cin, U(1, 1)));
    yParts.push(starts === true ? cin : starts.and(cin));
  }
  const total = m.node('adder_total', cat(U(0, 1), ...xParts).add(cat(U(0, 1), ...yParts)));
  m.unused(total.bit(0));
  return {
    sum: m.node('adder_sum', joinBytes([0, 1, 2, 3].map((j) => total.bits(9 * j + 8, 9 * j + 1)))),
    carry: [0, 1, 2, 3].map((j) => total.bit(9 * (j + 1))),
  };
}
