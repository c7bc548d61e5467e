// The RVC expansion as hardware needs it, derived from the ISA's own table (RV32C of
// isa/compressed.ts, in the order the instruction table tries it) rather than written a second time. RVC was designed so that every 32-bit
// equivalent is a rearrangement of the halfword's bits plus constants (immediates are scattered
// and sign-extended, the 3-bit register fields name x8..x15); so for each compressed form each bit
// of the expansion is a constant or a copy of one halfword bit, and the reserved operand values
// (a zero immediate, rd = x0, shamt[5] set) depend on a few bits only. Both are found by probing the
// form's `expand` and then checked against it on every halfword the form owns, so a form that is
// not of this shape is refused here rather than mis-built.
import type { CompressedDef } from '../../isa/compressed.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { hex } from '../../isa/bits.js';

/** One bit of a 32-bit expansion: a constant, or halfword bit `from` (inverted when `invert`). */
export type ExpansionBit = { readonly kind: 'constant'; readonly value: 0 | 1 } | { readonly kind: 'copy'; readonly from: number; readonly invert: boolean };

export interface RvcForm {
  readonly mnemonic: string;
  /** The form owns the halfwords h with (h & mask) === match that no earlier form matches. */
  readonly match: number;
  readonly mask: number;
  /** Halfword bits its reserved values depend on (0 when every value is legal). */
  readonly reservedMask: number;
  /** Values of the `reservedMask` bits that make the halfword illegal. */
  readonly reservedValues: readonly number[];
  /** Bit i of the 32-bit equivalent, i = 0..31. */
  readonly expansion: readonly ExpansionBit[];
}

const HALFWORDS = 1 << 16;

/** Above this many reserved values a form's legality is no longer a handful of comparisons. */
const MAX_RESERVED_VALUES = 4;

function owner(defs: readonly CompressedDef[], half: number): CompressedDef | undefined {
  return defs.find((d) => ((half ^ d.match) & d.mask) === 0);
}

function deriveForm(def: CompressedDef, owned: readonly number[], isOwned: (h: number) => boolean): RvcForm {
  const expanded = new Map(owned.map((h) => [h, def.expand(h)]));
  const legal = (h: number): boolean => expanded.get(h) !== undefined;
  const free = Array.from({ length: 16 }, (_, j) => j).filter((j) => ((def.mask >> j) & 1) === 0);

  let reservedMask = 0;
  for (const j of free) {
    if (owned.some((h) => isOwned(h ^ (1 << j)) && legal(h) !== legal(h ^ (1 << j)))) reservedMask |= 1 << j;
  }
  const reservedValues = [...new Set(owned.filter((h) => !legal(h)).map((h) => h & reservedMask))].sort((a, b) => a - b);
  if (reservedValues.length > MAX_RESERVED_VALUES) {
    throw new Error(`${def.mnemonic}: ${reservedValues.length} reserved operand patterns, more than the ${MAX_RESERVED_VALUES} the decoder builds`);
  }

  const base = owned.find(legal);
  if (base === undefined) throw new Error(`${def.mnemonic}: no legal halfword`);
  const baseWord = expanded.get(base)!;
  const sourceOf = new Map<number, number>();
  for (const j of free) {
    const probe = owned.find((h) => legal(h) && isOwned(h ^ (1 << j)) && legal(h ^ (1 << j)));
    if (probe === undefined) continue; // a bit that only selects reserved values
    const follows = (expanded.get(probe)! ^ expanded.get(probe ^ (1 << j))!) >>> 0;
    for (let b = 0; b < 32; b++) {
      if (((follows >>> b) & 1) === 0) continue;
      if (sourceOf.has(b)) throw new Error(`${def.mnemonic}: expansion bit ${b} depends on halfword bits ${sourceOf.get(b)} and ${j}`);
      sourceOf.set(b, j);
    }
  }
  const expansion: ExpansionBit[] = Array.from({ length: 32 }, (_, b) => {
    const value = ((baseWord >>> b) & 1) as 0 | 1;
    const from = sourceOf.get(b);
    return from === undefined ? { kind: 'constant', value } : { kind: 'copy', from, invert: value !== ((base >> from) & 1) };
  });

  const form: RvcForm = { mnemonic: def.mnemonic, match: def.match, mask: def.mask, reservedMask, reservedValues, expansion };
  for (const h of owned) {
    const want = expanded.get(h);
    const got = expandWith(form, h);
    if (want !== got) throw new Error(`${def.mnemonic}: halfword ${hex(h, 4)} expands to ${want === undefined ? 'illegal' : hex(want)}, the derived form gives ${got === undefined ? 'illegal' : hex(got)}`);
  }
  return form;
}

/** What the derived form gives for halfword `h` it owns: the 32-bit equivalent, undefined when reserved. */
export function expandWith(form: RvcForm, h: number): number | undefined {
  if (form.reservedValues.includes(h & form.reservedMask)) return undefined;
  let word = 0;
  form.expansion.forEach((bit, b) => {
    const value = bit.kind === 'constant' ? bit.value : ((h >> bit.from) & 1) ^ Number(bit.invert);
    word |= value << b;
  });
  return word >>> 0;
}

/** The forms of `defs`, in their priority order (an earlier form wins a halfword both match). */
export function deriveRvcForms(defs: readonly CompressedDef[]): RvcForm[] {
  const owned = new Map<CompressedDef, number[]>(defs.map((d) => [d, []]));
  const ownerOf: (CompressedDef | undefined)[] = [];
  for (let h = 0; h < HALFWORDS; h++) {
    const d = owner(defs, h);
    ownerOf.push(d);
    if (d) owned.get(d)!.push(h);
  }
  return defs.map((d) => deriveForm(d, owned.get(d)!, (h) => ownerOf[h] === d));
}

let cached: readonly RvcForm[] | undefined;

/** The forms of the instruction table's RVC entries, in its lookup order (derived once per process). */
export function tableRvcForms(): readonly RvcForm[] {
  cached ??= deriveRvcForms(CV32E40P_TABLE.compressed);
  return cached;
}
