/**
 * The ALU's one adder, cut into lanes: x' + y' + carry-in per lane, where each byte's operands may
 * be inverted (subtraction, absolute value, clipping). Written as one 37-bit addition whose operands
 * carry a control bit pair between the bytes (the technique of CV32E40P's ALU): (1, 0) lets the
 * carry of the byte below through, (c, c) stops it and starts the next lane with carry-in c. The
 * sum bit at each such position is then the carry out of the byte below it.
 */
import { cat, defineModule, mux, U, UInt, type Expr } from '../hdl/index.js';
import { BYTES, byteOf, joinBytes, startsLane, type LaneWidthFlags } from './alu-lanes.js';

export const AluAdder = defineModule('AluAdder', (m) => {
  const x = m.input('x', UInt(32));
  const y = m.input('y', UInt(32));
  const half = m.input('lane_half', UInt(1));
  const byte = m.input('lane_byte', UInt(1));
  /** Per byte: invert x's byte (x' = ~x). */
  const invertX = m.input('invert_x', UInt(BYTES));
  /** Invert every byte of y (y' = ~y). */
  const invertY = m.input('invert_y', UInt(1));
  /** Per byte: the carry into the lane that starts at this byte (bits of bytes inside a lane are ignored). */
  const laneCarry = m.input('lane_carry', UInt(BYTES));
  const sum = m.output('sum', UInt(32));
  /** Per byte: the carry out of its top bit (the lane's carry out when the byte ends a lane). */
  const carry = m.output('carry', UInt(BYTES));

  const w: LaneWidthFlags = { half, byte };
  const xParts: Expr[] = [];
  const yParts: Expr[] = [];
  for (let j = BYTES - 1; j >= 0; j--) {
    xParts.push(byteOf(x, j).xor(invertX.bit(j).rep(8)));
    yParts.push(byteOf(y, j).xor(invertY.rep(8)));
    const starts = startsLane(w, j);
    const cin = laneCarry.bit(j);
    // Lane start: (c, c) generates or kills; otherwise (1, 0) propagates.
    xParts.push(starts === true ? cin : mux(starts, cin, U(1, 1)));
    yParts.push(starts === true ? cin : starts.and(cin));
  }
  const total = m.node('total', cat(U(0, 1), ...xParts).add(cat(U(0, 1), ...yParts)));
  sum.assign(joinBytes([0, 1, 2, 3].map((j) => total.bits(9 * j + 8, 9 * j + 1))));
  carry.assign(joinBytes([0, 1, 2, 3].map((j) => total.bit(9 * (j + 1)))));
  m.unused(total.bit(0));
  return { x, y, half, byte, invertX, invertY, laneCarry, sum, carry };
});
