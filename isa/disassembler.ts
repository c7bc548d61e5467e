/**
 * Disassembly from the table's syntax templates. Compressed instructions print as their 32-bit
 * equivalents (as objdump does by default), since that is what executes.
 */
import { hex } from './bits.js';
import { decode } from './decoder.js';
import type { DecodedInstruction } from './definition.js';
import type { InstructionTable } from './table.js';
import type { Addr } from './types.js';

export function formatInstruction(insn: DecodedInstruction): string {
  let operandIndex = 0;
  const operands = insn.def.format.syntax.replace(/\{\w+\}/g, () => {
    const operand = insn.def.format.operands[operandIndex++]!;
    return operand.render(insn[operand.slot], insn.pc);
  });
  return operands === '' ? insn.def.mnemonic : `${insn.def.mnemonic} ${operands}`;
}

/** An instruction word in hex at its own width: 8 digits, or 4 for a compressed instruction. */
export function instructionHex(word: number): string {
  return (word & 3) === 3 ? hex(word) : hex(word & 0xffff, 4);
}

/** Disassemble a raw word at `pc`; illegal encodings print as a data directive. */
export function disassemble(table: InstructionTable, word: number, pc: Addr = 0): string {
  const insn = decode(table, word, pc);
  if (insn) return formatInstruction(insn);
  return `${(word & 3) === 3 ? '.word' : '.half'} ${instructionHex(word)}`;
}
