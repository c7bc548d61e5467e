// Decoder for revision 2 of Xnmsparse (custom-1, funct3 111, docs/isa-extension.md R2.3), for the
// decode stage of the core: `mac` marks a legal nm.mac4.u/.s, `racc` a legal nm.racc, `illegal` a
// word of the family that must raise illegal instruction (f2 = 11 or a must-be-zero field set).
// Mirrors decodeMac() of the golden model (isa/xnmsparse/mac.ts).
import { defineModule, UInt } from '../../hdl/index.js';
import { MAC_F2, macFunct3, macOpcode } from '../../../isa/xnmsparse/mac.js';

export const MacDecoder = defineModule('MacDecoder', (m) => {
  const instr = m.input('instr', UInt(32));
  const mac = m.output('mac', UInt(1));
  const racc = m.output('racc', UInt(1));
  const illegal = m.output('illegal', UInt(1));
  const signedAct = m.output('signed_act', UInt(1));
  const half = m.output('half', UInt(1));
  const lane = m.output('lane', UInt(2));
  const acc = m.output('acc', UInt(2));
  const rd = m.output('rd', UInt(5));
  const rs1 = m.output('rs1', UInt(5));
  const rs2 = m.output('rs2', UInt(5));
  const rs3 = m.output('rs3', UInt(5));

  const family = m.node('family', instr.bits(6, 0).eq(macOpcode).and(instr.bits(14, 12).eq(macFunct3)));
  const f2 = m.node('f2', instr.bits(26, 25));
  // nm.mac4: f2 = 0x (nm.mac4.u 00, nm.mac4.s 01: bit 25 is the signedness), bits 11:10 zero.
  const macForm = m.node('mac_form', f2.bit(1).not().and(instr.bits(11, 10).eq(0)));
  // nm.racc: f2 = 10, rs3, the upper bits of the rs2 field and rs1 zero.
  const raccForm = m.node('racc_form', f2.eq(MAC_F2['nm.racc']).and(instr.bits(31, 27).eq(0)).and(instr.bits(24, 22).eq(0)).and(instr.bits(19, 15).eq(0)));

  mac.assign(family.and(macForm));
  racc.assign(family.and(raccForm));
  illegal.assign(family.and(macForm.or(raccForm).not()));
  signedAct.assign(f2.bit(0));
  half.assign(instr.bit(9));
  lane.assign(instr.bits(8, 7));
  acc.assign(instr.bits(21, 20));
  rd.assign(instr.bits(11, 7));
  rs1.assign(instr.bits(19, 15));
  rs2.assign(instr.bits(24, 20));
  rs3.assign(instr.bits(31, 27));
  return { instr, mac, racc, illegal, signedAct, half, lane, acc, rd, rs1, rs2, rs3 };
});
