/**
 * CORE-V bit manipulation with immediates (Xcvbitmanip), custom-2: [31:30] selects the operation,
 * [29:25] is Is3 (field length minus one), [24:20] is Is2 (position).
 */
import { bitReverse, clearField, extractSigned, extractUnsigned, insertField, setField } from '../bitfield.js';
import { instruction, type InstructionDef } from '../definition.js';
import { FORMATS as F } from '../formats.js';

const CUSTOM_2 = 0x5b;

export const XCV_BITMANIP: readonly InstructionDef[] = [
  instruction('cv.extract', 'Xcvbitmanip', { opcode: CUSTOM_2, funct3: 0b000, f2: 0b00 }, F.bitField, 'alu', (h, d) => {
    h.regs[d.rd] = extractSigned(h.regs[d.rs1]!, d.imm2, d.imm);
  }),
  instruction('cv.extractu', 'Xcvbitmanip', { opcode: CUSTOM_2, funct3: 0b000, f2: 0b01 }, F.bitField, 'alu', (h, d) => {
    h.regs[d.rd] = extractUnsigned(h.regs[d.rs1]!, d.imm2, d.imm);
  }),
  instruction('cv.insert', 'Xcvbitmanip', { opcode: CUSTOM_2, funct3: 0b000, f2: 0b10 }, F.bitFieldAcc, 'alu', (h, d) => {
    h.regs[d.rd] = insertField(h.regs[d.rs1]!, h.regs[d.rd]!, d.imm2, d.imm);
  }),
  instruction('cv.bclr', 'Xcvbitmanip', { opcode: CUSTOM_2, funct3: 0b001, f2: 0b00 }, F.bitField, 'alu', (h, d) => {
    h.regs[d.rd] = clearField(h.regs[d.rs1]!, d.imm2, d.imm);
  }),
  instruction('cv.bset', 'Xcvbitmanip', { opcode: CUSTOM_2, funct3: 0b001, f2: 0b01 }, F.bitField, 'alu', (h, d) => {
    h.regs[d.rd] = setField(h.regs[d.rs1]!, d.imm2, d.imm);
  }),
  instruction('cv.bitrev', 'Xcvbitmanip', { opcode: CUSTOM_2, funct3: 0b001, f2: 0b11, hi3: 0 }, F.bitrev, 'alu', (h, d) => {
    h.regs[d.rd] = bitReverse(h.regs[d.rs1]!, d.imm2, d.imm);
  }),
];
