// Lane inserter: picks the element out of the aligned 32-bit word the data bus returns (byte
// offset from the address) and writes it into one lane of the destination, keeping the other lanes.
// Mirrors the golden model's lane insertion (insertLane() of isa/simd.ts).
import { cat, defineModule, mux, type Expr, U, UInt } from '../hdl/index.js';
import { type GatherFormat, laneWidth } from './format.js';

export const LaneInserter = defineModule('LaneInserter', (m, p: Pick<GatherFormat, 'bytes'>) => {
  const lanes = 4 / p.bytes;
  const bits = 8 * p.bytes;
  const word = m.input('word', UInt(32));
  const rdata = m.input('rdata', UInt(32));
  const offset = m.input('offset', UInt(2));
  const lane = m.input('lane', UInt(laneWidth(p)));
  const result = m.output('result', UInt(32));

  // A halfword at an even address sits in the low or high half: offset bit 1 selects it
  // (an odd halfword address traps before the load, so offset bit 0 is always 0 here).
  const position = p.bytes === 1 ? offset : offset.bit(1);
  if (p.bytes === 2) m.unused(offset.bit(0));
  const shifted = rdata.shr(cat(position, U(0, Math.log2(bits))).zext(32));
  const element = m.node('element', shifted.bits(bits - 1, 0));
  const lanesOut: Expr[] = [];
  for (let l = lanes - 1; l >= 0; l--) {
    lanesOut.push(mux(lane.eq(l), element, word.bits(bits * l + bits - 1, bits * l)));
  }
  result.assign(cat(...lanesOut));
  return { word, rdata, offset, lane, result };
});
