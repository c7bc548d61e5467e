/**
 * Building blocks for instruction semantics. Each returns an Execute closure; the closures are
 * created once when the table is built, so the hot loop only calls them.
 */
import { withAccess, withOperation, type Execute } from '../definition.js';
import type { AccessSize } from '../types.js';

export type BinaryOp = (a: number, b: number) => number;

/** rd = op(rs1, rs2) */
export const regReg = (op: BinaryOp): Execute => withOperation((h, d) => {
  h.regs[d.rd] = op(h.regs[d.rs1]!, h.regs[d.rs2]!);
}, { operands: ['rs1', 'rs2'], op });

/** rd = op(rs1, imm) */
export const regImm = (op: BinaryOp): Execute => withOperation((h, d) => {
  h.regs[d.rd] = op(h.regs[d.rs1]!, d.imm);
}, { operands: ['rs1', 'imm'], op });

/** rd = op(rs1) */
export const unary = (op: (a: number) => number): Execute => withOperation((h, d) => {
  h.regs[d.rd] = op(h.regs[d.rs1]!);
}, { operands: ['rs1'], op });

/** rd = op(rs1, rs2, rd): three-source operations that accumulate into rd (`expression`: RegisterOperation.expression). */
export const accumulate = (op: (a: number, b: number, acc: number) => number, expression?: string): Execute => withOperation((h, d) => {
  h.regs[d.rd] = op(h.regs[d.rs1]!, h.regs[d.rs2]!, h.regs[d.rd]!);
}, { operands: ['rs1', 'rs2', 'rd'], op, ...(expression === undefined ? {} : { expression }) });

/** rd = op(rs1, imm, rd): an immediate operation that keeps part of rd (lane insert, .sci accumulators). */
export const accumulateImm = (op: (a: number, imm: number, acc: number) => number): Execute => withOperation((h, d) => {
  h.regs[d.rd] = op(h.regs[d.rs1]!, d.imm, h.regs[d.rd]!);
}, { operands: ['rs1', 'imm', 'rd'], op });

/** Standard load: rd = M[rs1 + imm]. */
export const loadOffset = (size: AccessSize, signed: boolean): Execute => withAccess((h, d) => {
  h.regs[d.rd] = h.load((h.regs[d.rs1]! + d.imm) >>> 0, size, signed);
}, { kind: 'load', size, signed, mode: 'offset', offset: 'imm' });

/** Standard store: M[rs1 + imm] = rs2. */
export const storeOffset = (size: AccessSize): Execute => withAccess((h, d) => {
  h.store((h.regs[d.rs1]! + d.imm) >>> 0, size, h.regs[d.rs2]!);
}, { kind: 'store', size, signed: false, mode: 'offset', offset: 'imm' });
