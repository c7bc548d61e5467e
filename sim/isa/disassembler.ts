/**
 * Disassembly from the table's syntax templates. Compressed instructions print as their 32-bit
 * equivalents (as objdump does by default), since that is what executes.
 */
import { hex } from './bits';
import { decode } from './decoder';
import type { DecodedInstruction } from './definition';
import type { InstructionTable } from './table';
import type { Addr } from './types';

export function formatInstruction(insn: DecodedInstruction): string {
  let operandIndex = 0;
  const operands = insn.def.format.syntax.replace(/\{\w+\}/g, () => {
    const operand = insn.def.format.operands[operandIndex++]!;
    return operand.render(insn[operand.slot], insn.pc);
  });
  return operands === '' ? insn.def.mnemonic : `${insn.def.mnemonic} ${operands}`;
}

/** Disassemble a raw word at `pc`; illegal encodings print as a data directive. */
export function disassemble(table: InstructionTable, word: number, pc: Addr = 0): string {
  const insn = decode(table, word, pc);
  if (insn) return formatInstruction(insn);
  return (word & 3) === 3 ? `.word ${hex(word)}` : `.half ${hex(word & 0xffff, 4)}`;
}
