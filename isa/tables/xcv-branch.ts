/** CORE-V branches comparing with a 5-bit signed immediate (Xcvbi), custom-0 funct3 110/111. */
import { instruction, type InstructionDef } from '../definition.js';
import { FORMATS as F } from '../formats.js';

export const XCV_BRANCH: readonly InstructionDef[] = [
  instruction('cv.beqimm', 'Xcvbi', { opcode: 0x0b, funct3: 0b110 }, F.branchImm, 'branch', (h, d) => {
    if (h.regs[d.rs1] === d.imm2) h.jump((h.pc + d.imm) >>> 0);
  }),
  instruction('cv.bneimm', 'Xcvbi', { opcode: 0x0b, funct3: 0b111 }, F.branchImm, 'branch', (h, d) => {
    if (h.regs[d.rs1] !== d.imm2) h.jump((h.pc + d.imm) >>> 0);
  }),
];
