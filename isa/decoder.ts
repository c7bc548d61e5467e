/**
 * Decoding of one instruction at an address into a DecodedInstruction. The simulator calls this
 * once per address and caches the result (Hart.fetch in sim/core/hart.ts keeps it in the memory
 * region's `decoded` array).
 */
import { DecodedInstruction } from './definition.js';
import type { InstructionTable } from './table.js';
import type { Addr } from './types.js';

/** Length of the instruction whose low halfword is `half`: RVC unless bits 1:0 are 11. */
export function instructionLength(half: number): 2 | 4 {
  return (half & 3) === 3 ? 4 : 2;
}

/**
 * Decode `word` fetched at `pc` (for a compressed instruction only its low 16 bits are used).
 * Returns undefined for an illegal or unsupported encoding.
 */
export function decode(table: InstructionTable, word: number, pc: Addr): DecodedInstruction | undefined {
  if (instructionLength(word) === 4) {
    const def = table.lookup(word);
    return def && new DecodedInstruction(pc, word >>> 0, 4, def, word >>> 0);
  }
  const half = word & 0xffff;
  const expanded = table.lookupCompressed(half)?.expand(half);
  if (expanded === undefined) return undefined;
  const def = table.lookup(expanded);
  return def && new DecodedInstruction(pc, half, 2, def, expanded);
}
