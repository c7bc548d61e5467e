/** Instruction words from a table entry and operand values; used by the RVC expander and the assembler. */
import type { InstructionDef } from './definition';
import type { OperandSlots } from './types';

export type OperandValues = Partial<OperandSlots>;

/** Fixed bits from the table, operand bits from `values` (missing operands encode as zero). */
export function encodeInstruction(def: InstructionDef, values: OperandValues): number {
  let word = def.match;
  for (const operand of def.format.operands) word |= operand.insert(values[operand.slot] ?? 0);
  return word >>> 0;
}
