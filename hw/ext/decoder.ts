// Decoder for the nm.lg family (custom-1, funct3 110), for the decode stage of the core. `gather`
// marks a legal instruction for this hardware's format; `illegal` marks a word of the family that
// must raise illegal instruction (reserved field values, rd = rs2 with consume, another format).
// Mirrors decodeGather() of the golden model.
import { defineModule, U, UInt } from '../hdl/index.js';
import { gatherFunct3, gatherOpcode } from '../../isa/xnmsparse/gather.js';
import { type GatherFormat, laneWidth } from './format.js';

export const GatherDecoder = defineModule('GatherDecoder', (m, p: GatherFormat) => {
  const instr = m.input('instr', UInt(32));
  const gather = m.output('gather', UInt(1));
  const illegal = m.output('illegal', UInt(1));
  const lane = m.output('lane', UInt(laneWidth(p)));
  const consume = m.output('consume', UInt(1));
  const rd = m.output('rd', UInt(5));
  const rs1 = m.output('rs1', UInt(5));
  const rs2 = m.output('rs2', UInt(5));

  const family = m.node('family', instr.bits(6, 0).eq(gatherOpcode).and(instr.bits(14, 12).eq(gatherFunct3)));
  const laneField = instr.bits(26, 25);
  const matchesFormat = m.node(
    'matches_format',
    instr.bit(31).eq(p.bytes - 1).and(instr.bit(30).eq(p.n - 1)).and(instr.bits(29, 28).eq(Math.log2(p.m) - 2)),
  );
  // Halfword elements have two lanes: a lane field of 2 or 3 is reserved.
  const laneExists = m.node('lane_exists', p.bytes === 1 ? U(1, 1) : laneField.bit(1).not());
  const doubleWrite = m.node('double_write', consume.and(rd.eq(rs2)).and(rd.ne(0)));
  const legal = m.node('legal', matchesFormat.and(laneExists).and(doubleWrite.not()));

  gather.assign(family.and(legal));
  illegal.assign(family.and(legal.not()));
  lane.assign(laneField.bits(laneWidth(p) - 1, 0));
  consume.assign(instr.bit(27));
  rd.assign(instr.bits(11, 7));
  rs1.assign(instr.bits(19, 15));
  rs2.assign(instr.bits(24, 20));
  return { instr, gather, illegal, lane, consume, rd, rs1, rs2 };
});
