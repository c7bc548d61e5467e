/**
 * Hook for project-defined instructions, such as the Xnmsparse gathers of isa/tables/xnmsparse.ts. Such
 * an instruction is one more InstructionDef, passed to `buildInstructionTable`; its semantics may call
 * the extension's golden model directly (isa/xnmsparse/gather.ts for Xnmsparse), so the simulator and
 * the golden model cannot diverge.
 *
 * The CV32E40P decoder leaves custom-1 (0x2B) funct3 110 and 111 unused (docs/cv32e40p.md#free-encoding-space).
 * A project instruction must sit entirely inside that space; the table builder also rejects any overlap.
 */
import { encoding, type InstructionDef } from './definition.js';

export const EXTENSION_SPACE: readonly { readonly match: number; readonly mask: number }[] = [
  encoding({ opcode: 0x2b, funct3: 0b110 }),
  encoding({ opcode: 0x2b, funct3: 0b111 }),
];

/** True when every word `def` matches lies in the free extension space. */
export function inExtensionSpace(def: InstructionDef): boolean {
  return EXTENSION_SPACE.some((space) => (def.mask & space.mask) === space.mask && (def.match & space.mask) === space.match);
}
