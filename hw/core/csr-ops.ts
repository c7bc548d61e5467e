// The `csr_op` of the CSR unit (hw/core/csr.ts) for each Zicsr row. The write, set and clear
// values equal funct3[1:0] of csrrw/csrrs/csrrc (and their immediate forms), so a decoder may take
// them from the word; read (0) is what a set or clear becomes when its rs1 field (or zimm) is 0:
// such an instruction does not write (privileged spec; isa/tables/zicsr.ts), which matters for the
// read-only CSRs, where a write is an illegal instruction.
import type { InstructionDef } from '../../isa/definition.js';

export const CSR_OP = { read: 0, write: 1, set: 2, clear: 3 } as const;
export type CsrOp = (typeof CSR_OP)[keyof typeof CSR_OP];
export const CSR_OP_WIDTH = 2;

/** The Zicsr rows and their operation; the immediate forms take zimm as the operand instead of rs1. */
const CSR_ROWS: Readonly<Record<string, CsrOp>> = {
  csrrw: CSR_OP.write,
  csrrs: CSR_OP.set,
  csrrc: CSR_OP.clear,
  csrrwi: CSR_OP.write,
  csrrsi: CSR_OP.set,
  csrrci: CSR_OP.clear,
};

/**
 * The `csr_op` of a Zicsr row (write, set or clear), or undefined for any other row. The pipeline
 * gives CSR_OP.read instead of set or clear when the instruction's rs1 field is 0.
 */
export function csrControl(def: InstructionDef): CsrOp | undefined {
  return def.extension === 'Zicsr' ? CSR_ROWS[def.mnemonic] : undefined;
}
