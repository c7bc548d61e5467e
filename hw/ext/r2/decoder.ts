// Decoder for revision 2 of Xnmsparse (custom-1, funct3 111, docs/isa-extension.md R2.3), for the
// decode stage of a core: `mac` marks a legal nm.mac4.u/.s or nm.mul4.u/.s, `illegal` a word of
// the family that must raise illegal instruction (bits 11:10 set: every f2 value is used).
// Mirrors decodeMac() of the golden model (isa/xnmsparse/mac.ts).
import { defineModule, UInt } from '../../hdl/index.js';
import { macFunct3, macOpcode } from '../../../isa/xnmsparse/mac.js';

export const MacDecoder = defineModule('MacDecoder', (m) => {
  const instr = m.input('instr', UInt(32));
  const mac = m.output('mac', UInt(1));
  const illegal = m.output('illegal', UInt(1));
  const signedAct = m.output('signed_act', UInt(1));
  const start = m.output('start', UInt(1));
  const half = m.output('half', UInt(1));
  const lane = m.output('lane', UInt(2));
  const rs1 = m.output('rs1', UInt(5));
  const rs2 = m.output('rs2', UInt(5));
  const rs3 = m.output('rs3', UInt(5));

  const family = m.node('family', instr.bits(6, 0).eq(macOpcode).and(instr.bits(14, 12).eq(macFunct3)));
  const reservedZero = m.node('reserved_zero', instr.bits(11, 10).eq(0));

  mac.assign(family.and(reservedZero));
  illegal.assign(family.and(reservedZero.not()));
  // f2 (bits 26:25): bit 25 the activations' signedness, bit 26 nm.mul4 (the sums start from zero).
  signedAct.assign(instr.bit(25));
  start.assign(instr.bit(26));
  half.assign(instr.bit(9));
  lane.assign(instr.bits(8, 7));
  rs1.assign(instr.bits(19, 15));
  rs2.assign(instr.bits(24, 20));
  rs3.assign(instr.bits(31, 27));
  return { instr, mac, illegal, signedAct, start, half, lane, rs1, rs2, rs3 };
});
