/** Instruction words from a table entry and operand values; used by the RVC expander and the assembler. */
import type { InstructionDef } from './definition.js';
import type { OperandKind } from './operands.js';
import type { OperandSlots } from './types.js';

export type OperandValues = Partial<OperandSlots>;

/** Fixed bits from the table, operand bits from `values` (missing operands encode as zero). */
export function encodeInstruction(def: InstructionDef, values: OperandValues): number {
  let word = def.match;
  for (const operand of def.format.operands) word |= operand.insert(values[operand.slot] ?? 0);
  return word >>> 0;
}

/** Why `value` cannot be encoded in `operand`, or undefined when it can. */
export function operandRangeError(operand: OperandKind, value: number): string | undefined {
  if (!Number.isInteger(value) || value < operand.min || value > operand.max) {
    return `${operand.name} must be in [${operand.min}, ${operand.max}], got ${value}`;
  }
  if (value % operand.align !== 0) return `${operand.name} must be a multiple of ${operand.align}, got ${value}`;
  return undefined;
}

/** As encodeInstruction, but every operand must be given and in range. */
export function encodeChecked(def: InstructionDef, values: OperandValues): number {
  for (const operand of def.format.operands) {
    const value = values[operand.slot];
    if (value === undefined) throw new RangeError(`${def.mnemonic}: missing operand ${operand.name}`);
    const problem = operandRangeError(operand, value);
    if (problem) throw new RangeError(`${def.mnemonic}: ${problem}`);
  }
  return encodeInstruction(def, values);
}
