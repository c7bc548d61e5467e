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

/** funct3[1:0] of csrrw and csrrwi, which write even a zero operand. */
const ALWAYS_WRITES = 1;

/**
 * Whether the Zicsr instruction `word` (32 bits) writes its CSR: csrrw(i) always, csrrs/csrrc(i)
 * only when their operand field [19:15] (rs1 or the immediate) is not zero. A write to a CSR that
 * is read-only or absent is an illegal instruction, so a core can tell from the word alone,
 * before the access, whether it traps.
 */
export function writesCsr(word: number): boolean {
  return ((word >>> 12) & 3) === ALWAYS_WRITES || ((word >>> 15) & 31) !== 0;
}

/** Shared body: `alwaysWrites` is true for csrrw(i), which reads nothing with rd = x0. */
function access(h: HartContext, rd: number, csr: number, operand: number, update: Update, alwaysWrites: boolean, writes: boolean): void {
  const reads = rd !== 0 || !alwaysWrites;
  const old = reads ? h.csrRead(csr) : 0;
  if (writes) h.csrWrite(csr, update(old, operand));
  h.regs[rd] = old;
}

function csrReg(mnemonic: string, funct3: number, update: Update, alwaysWrites: boolean): InstructionDef {
  return instruction(mnemonic, 'Zicsr', { opcode: 0x73, funct3 }, F.csr, 'csr', (h, d) =>
    access(h, d.rd, d.imm, h.regs[d.rs1]!, update, alwaysWrites, writesCsr(d.expanded)),
  );
}

function csrImm(mnemonic: string, funct3: number, update: Update, alwaysWrites: boolean): InstructionDef {
  return instruction(mnemonic, 'Zicsr', { opcode: 0x73, funct3 }, F.csrImm, 'csr', (h, d) =>
    access(h, d.rd, d.imm, d.imm2, update, alwaysWrites, writesCsr(d.expanded)),
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
