// A decoder built from instruction-table rows: one match/mask comparator per row (the rows of the
// table never overlap, so at most one hits), control fields whose bits are ORs of the hits of the
// rows that set them, and the operand slots wired from the rows' operand kinds. The caller names the outputs. Everything comes
// from the rows themselves: an encoding, an operand layout or a control value is written once, in
// isa/ or in the unit that owns the control.
import type { InstructionDef } from '../../isa/definition.js';
import type { OperandSlots } from '../../isa/types.js';
import { cat, type Expr, type ModuleBuilder, U } from '../hdl/index.js';
import { operandBitMap } from './operand-bits.js';

/** One output of the decoder: a value per row, 0 for the rows it does not concern. */
export interface ControlField {
  /** The output port's name (snake_case). */
  readonly name: string;
  readonly width: number;
  readonly value: (def: InstructionDef) => number;
}

export interface DecodeTable {
  readonly rows: readonly InstructionDef[];
  readonly fields: readonly ControlField[];
}

/** Operand slots the decoder outputs as 32-bit values. */
export const VALUE_SLOTS = ['imm', 'imm2'] as const satisfies readonly (keyof OperandSlots)[];

export interface DecodedFields {
  /** Some row matched. */
  readonly legal: Expr;
  readonly fields: ReadonlyMap<string, Expr>;
  readonly slots: Readonly<Record<(typeof VALUE_SLOTS)[number], Expr>>;
  /** The hit of each row, in table order. */
  readonly hits: readonly Expr[];
}

const nodeName = (def: InstructionDef, i: number): string => `hit_${def.mnemonic.replace(/\./g, '_')}_${i}`;

/** OR of the expressions, or a zero bit when there are none. */
function any(terms: readonly Expr[]): Expr {
  return terms.length === 0 ? U(0, 1) : terms.reduce((acc, t) => acc.or(t));
}

/** The value of an operand kind, wired from the instruction bits its extraction selects. */
function wiredOperand(instr: Expr, map: readonly number[]): Expr {
  const bits: Expr[] = [];
  for (let bit = 31; bit >= 0; bit--) bits.push(map[bit]! >= 0 ? instr.bit(map[bit]!) : U(0, 1));
  return cat(...bits);
}

export function decodeTable(m: ModuleBuilder, instr: Expr, table: DecodeTable): DecodedFields {
  const hits = table.rows.map((def, i) => m.node(nodeName(def, i), instr.and(U(def.mask, 32)).eq(U(def.match, 32))));
  const fields = new Map<string, Expr>();
  for (const field of table.fields) {
    const values = table.rows.map((def) => {
      const value = field.value(def);
      if (!Number.isInteger(value) || value < 0 || value >= 2 ** field.width) {
        throw new RangeError(`decoder field ${field.name}: row ${def.mnemonic} gives ${value}, which does not fit ${field.width} bits`);
      }
      return value;
    });
    const bits: Expr[] = [];
    for (let bit = field.width - 1; bit >= 0; bit--) bits.push(any(hits.filter((_, i) => (values[i]! >>> bit) & 1)));
    fields.set(field.name, cat(...bits));
  }
  const slots = {} as Record<(typeof VALUE_SLOTS)[number], Expr>;
  for (const slot of VALUE_SLOTS) {
    // Rows grouped by the operand kind that fills the slot: one wiring per kind.
    const byKind = new Map<string, { map: readonly number[]; hits: Expr[] }>();
    table.rows.forEach((def, i) => {
      const kind = def.format.operands.find((operand) => operand.slot === slot);
      if (!kind) return;
      const group = byKind.get(kind.name) ?? { map: operandBitMap(kind), hits: [] };
      group.hits.push(hits[i]!);
      byKind.set(kind.name, group);
    });
    const terms = [...byKind.values()].map((group) => any(group.hits).rep(32).and(wiredOperand(instr, group.map)));
    slots[slot] = terms.length === 0 ? U(0, 32) : terms.reduce((acc, t) => acc.or(t));
  }
  return { legal: any(hits), fields, slots, hits };
}
