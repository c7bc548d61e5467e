/** Integer register names: ABI names for printing, both spellings accepted when parsing. */
import type { RegIndex } from './types.js';

export const ABI_NAMES: readonly string[] = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2',
  's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7',
  's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

export function regName(index: RegIndex): string {
  return ABI_NAMES[index] ?? `x${index}`;
}

const BY_NAME: ReadonlyMap<string, RegIndex> = new Map([
  ...ABI_NAMES.map((name, index) => [name, index] as const),
  ...Array.from({ length: 32 }, (_, index) => [`x${index}`, index] as const),
  ['fp', 8],
]);

/** Register number for `x5`, `t0`, `fp`...; undefined when the text names no register. */
export function parseReg(text: string): RegIndex | undefined {
  return BY_NAME.get(text.trim().toLowerCase());
}
