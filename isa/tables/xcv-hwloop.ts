/**
 * CORE-V hardware loops (Xcvhwlp): custom-1 funct3 100, funct4 in [11:8], loop index in [7].
 * Register forms require the unused immediate to be zero and immediate forms an unused rs1 field,
 * as the CV32E40P decoder does.
 */
import { instruction, type Execute, type InstructionDef } from '../definition.js';
import { FORMATS as F, type Format } from '../formats.js';
import type { FixedFields } from '../definition.js';

const LOOP = { opcode: 0x2b, funct3: 0b100 } as const;

function loopInstruction(mnemonic: string, fields: FixedFields, format: Format, update: Execute): InstructionDef {
  return instruction(mnemonic, 'Xcvhwlp', { ...LOOP, ...fields }, format, 'alu', (h, d) => {
    update(h, d);
    h.hwloopChanged(d.loop);
  }, { hwloop: true });
}

export const XCV_HWLOOP: readonly InstructionDef[] = [
  loopInstruction('cv.starti', { funct4: 0b0000, rs1: 0 }, F.loopImm, (h, d) => {
    h.hwloop.start[d.loop] = h.pc + d.imm;
  }),
  loopInstruction('cv.start', { funct4: 0b0001, imm12: 0 }, F.loopReg, (h, d) => {
    h.hwloop.start[d.loop] = h.regs[d.rs1]!;
  }),
  loopInstruction('cv.endi', { funct4: 0b0010, rs1: 0 }, F.loopImm, (h, d) => {
    h.hwloop.end[d.loop] = h.pc + d.imm;
  }),
  loopInstruction('cv.end', { funct4: 0b0011, imm12: 0 }, F.loopReg, (h, d) => {
    h.hwloop.end[d.loop] = h.regs[d.rs1]!;
  }),
  loopInstruction('cv.counti', { funct4: 0b0100, rs1: 0 }, F.loopCountImm, (h, d) => {
    h.hwloop.count[d.loop] = d.imm2;
  }),
  loopInstruction('cv.count', { funct4: 0b0101, imm12: 0 }, F.loopReg, (h, d) => {
    h.hwloop.count[d.loop] = h.regs[d.rs1]!;
  }),
  loopInstruction('cv.setupi', { funct4: 0b0110 }, F.loopSetupImm, (h, d) => {
    h.hwloop.start[d.loop] = h.pc + 4;
    h.hwloop.end[d.loop] = h.pc + d.imm;
    h.hwloop.count[d.loop] = d.imm2;
  }),
  loopInstruction('cv.setup', { funct4: 0b0111 }, F.loopSetupReg, (h, d) => {
    h.hwloop.start[d.loop] = h.pc + 4;
    h.hwloop.end[d.loop] = h.pc + d.imm;
    h.hwloop.count[d.loop] = h.regs[d.rs1]!;
  }),
];
