/**
 * Zicsr. Per the privileged spec, csrrw with rd = x0 does not read and csrrs/csrrc with a zero
 * source do not write; that matters for read-only CSRs, where a write is an illegal instruction.
 */
import { instruction, type InstructionDef } from '../definition.js';
import { FORMATS as F } from '../formats.js';
import type { HartContext } from '../types.js';

type Update = (old: number, operand: number) => number;

const replace: Update = (_old, operand) => operand;
const setBits: Update = (old, operand) => old | operand;
const clearBits: Update = (old, operand) => old & ~operand;

/** Shared body: `alwaysWrites` is true for csrrw(i), where even a zero operand is written. */
function access(h: HartContext, rd: number, csr: number, operand: number, update: Update, alwaysWrites: boolean, writes: boolean): void {
  const reads = rd !== 0 || !alwaysWrites;
  const old = reads ? h.csrRead(csr) : 0;
  if (alwaysWrites || writes) h.csrWrite(csr, update(old, operand));
  h.regs[rd] = old;
}

function csrReg(mnemonic: string, funct3: number, update: Update, alwaysWrites: boolean): InstructionDef {
  return instruction(mnemonic, 'Zicsr', { opcode: 0x73, funct3 }, F.csr, 'csr', (h, d) =>
    access(h, d.rd, d.imm, h.regs[d.rs1]!, update, alwaysWrites, d.rs1 !== 0),
  );
}

function csrImm(mnemonic: string, funct3: number, update: Update, alwaysWrites: boolean): InstructionDef {
  return instruction(mnemonic, 'Zicsr', { opcode: 0x73, funct3 }, F.csrImm, 'csr', (h, d) =>
    access(h, d.rd, d.imm, d.imm2, update, alwaysWrites, d.imm2 !== 0),
  );
}

export const ZICSR: readonly InstructionDef[] = [
  csrReg('csrrw', 1, replace, true),
  csrReg('csrrs', 2, setBits, false),
  csrReg('csrrc', 3, clearBits, false),
  csrImm('csrrwi', 5, replace, true),
  csrImm('csrrsi', 6, setBits, false),
  csrImm('csrrci', 7, clearBits, false),
];
