/**
 * The error for a statement whose operands fit none of its mnemonic's forms. A mnemonic can name
 * machine instructions, pseudo-instructions or both (`jal`, `jalr`, `fence`); the error lists every
 * form under the name the source used, so `li a0, 42,,` says what `li` takes, not what it expands to.
 */
import type { InstructionTable } from '../../isa/table.js';
import { machineSyntaxes } from './instructions.js';
import { pseudoSyntaxes } from './pseudo.js';
import { SourceError } from './errors.js';

export function operandMismatch(table: InstructionTable, mnemonic: string): SourceError {
  const forms = [...machineSyntaxes(table, mnemonic), ...pseudoSyntaxes(mnemonic)]
    .map((syntax) => (syntax === '' ? `${mnemonic} (no operands)` : `${mnemonic} ${syntax}`));
  if (forms.length === 0) return new SourceError(`unknown instruction '${mnemonic}'`);
  return new SourceError(`invalid operands for ${mnemonic}; expected ${forms.join(' | ')}`);
}
