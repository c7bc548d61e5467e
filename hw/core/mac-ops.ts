// The Xnmsparse revision-2 rows of the instruction table (nm.mac4.u/.s, nm.mul4.u/.s) as the core
// sees them: which rows they are and their two control bits, read from each row's own encoding
// by the golden model's decoder, so that nothing repeats the f2 assignments.
import type { InstructionDef } from '../../isa/definition.js';
import { decodeMac } from '../../isa/xnmsparse/mac.js';

export interface MacControl {
  /** .s: int8 activations. */
  readonly signed: boolean;
  /** nm.mul4: the sums start from zero. */
  readonly start: boolean;
}

/** The control bits of an nm.mac4 / nm.mul4 row, or undefined for any other row. */
export function macControl(def: InstructionDef): MacControl | undefined {
  if (def.extension !== 'Xnmsparse') return undefined;
  const decoded = decodeMac(def.match);
  return decoded.ok ? { signed: decoded.insn.signed, start: decoded.insn.start } : undefined;
}
