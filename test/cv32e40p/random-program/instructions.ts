/**
 * The random generator's instruction candidates, taken from the rows of the base CV32E40P table
 * (no Xnmsparse: the real core lacks it) by their declared effects, timing class and format, so
 * that a row added to the table is generated without touching the generator. Only the structured
 * instructions (hardware-loop set-up, jumps) are named, and each name is checked against the table.
 */
import { DecodedInstruction, type InstructionDef, type TimingClass } from '../../../isa/definition.js';
import { decode } from '../../../isa/decoder.js';
import { isRegisterOnly } from '../../../isa/effects.js';
import { encodeChecked, type OperandValues } from '../../../isa/encoder.js';
import { CV32E40P_TABLE } from '../../../isa/table.js';
import { RecordingHart, type Recording } from '../../isa/recording-hart.js';

export const TABLE = CV32E40P_TABLE;

const ROWS = TABLE.instructions;

/** Rows that only compute registers, by timing class (alu, mulh, divSigned, divUnsigned). */
export const REGISTER_OPS: readonly InstructionDef[] = ROWS.filter((d) => isRegisterOnly(d.effects));

export function registerOpsOf(...classes: TimingClass[]): readonly InstructionDef[] {
  return REGISTER_OPS.filter((d) => classes.includes(d.timing));
}

/** Multiplies of the M extension that take one cycle ('alu'), for back-to-back multiplier use. */
export const SINGLE_CYCLE_MULTIPLIES: readonly InstructionDef[] = REGISTER_OPS.filter((d) => d.extension === 'M' && d.timing === 'alu');

/** One data access and nothing else (the gathers, which fault by design, are not in this table). */
const plainAccess = (d: InstructionDef): boolean => d.effects.control === 'none' && !d.effects.csr && !d.effects.hwloop && d.effects.system === 'none' && !d.effects.faults;
export const LOADS: readonly InstructionDef[] = ROWS.filter((d) => d.effects.memory === 'load' && plainAccess(d));
export const STORES: readonly InstructionDef[] = ROWS.filter((d) => d.effects.memory === 'store' && plainAccess(d));

/** Conditional branches: every row that may branch (RV32I and the Xcvbi immediate forms). */
export const BRANCHES: readonly InstructionDef[] = ROWS.filter((d) => d.effects.control === 'branch');
export const FENCES: readonly InstructionDef[] = ROWS.filter((d) => d.effects.system === 'fence');
export const CSR_ACCESSES: readonly InstructionDef[] = ROWS.filter((d) => d.effects.csr);

/** The one row of a mnemonic whose format has `syntax` (the generator's structured instructions). */
export function row(mnemonic: string, syntax?: string): InstructionDef {
  const found = TABLE.forms(mnemonic).filter((d) => syntax === undefined || d.format.syntax === syntax);
  if (found.length !== 1) throw new Error(`random program: the table has ${found.length} rows '${mnemonic}' ${syntax ?? ''}`);
  return found[0]!;
}

/** Operand values by slot, or label text for a pc-relative operand. */
export type Operands = Partial<Record<keyof OperandValues, number | string>>;

/** Assembly text of a row with these operands, in the table's own syntax (the disassembler's). */
export function render(def: InstructionDef, operands: Operands): string {
  const kinds = def.format.operands;
  let i = 0;
  const text = def.format.syntax.replace(/\{\w+\}/g, () => {
    const kind = kinds[i++]!;
    const value = operands[kind.slot];
    if (value === undefined) throw new Error(`random program: ${def.mnemonic} lacks operand ${kind.name}`);
    return typeof value === 'string' ? value : kind.render(value, 0);
  });
  return text === '' ? def.mnemonic : `${def.mnemonic} ${text}`;
}

/** The instruction word (every operand a number), checked against the operand ranges. */
export function word(def: InstructionDef, operands: Operands): number {
  const values: OperandValues = {};
  for (const [slot, value] of Object.entries(operands)) {
    if (typeof value !== 'number') throw new Error(`random program: ${def.mnemonic}: ${slot} is a label`);
    values[slot as keyof OperandValues] = value;
  }
  return encodeChecked(def, values);
}

/** The RVC instruction `half`, when legal on the core (an encoding the table decodes). */
export function decodeCompressed(half: number): DecodedInstruction | undefined {
  if ((half & 3) === 3) return undefined;
  return decode(TABLE, half, 0);
}

/**
 * What a row does with these operands and register values, found by running its semantic on a
 * recording context: whether it branches, which CSRs it writes, the size of its data access.
 */
export function probe(def: InstructionDef, operands: Operands, registers: Int32Array = new Int32Array(32)): Recording {
  const encoded = word(def, operands);
  const insn = new DecodedInstruction(0, encoded, 4, def, encoded);
  const loops = { start: new Uint32Array(2), end: new Uint32Array(2), count: new Uint32Array(2) };
  const hart = new RecordingHart(0, 4, registers, loops, () => 0);
  def.execute(hart, insn);
  return hart.recording;
}

/** Bytes a load or store row accesses (1, 2 or 4). */
export function accessSize(def: InstructionDef): number {
  const zero: Operands = Object.fromEntries(def.format.operands.map((kind) => [kind.slot, 0]));
  const access = probe(def, zero).calls.find((call) => call.startsWith('load ') || call.startsWith('store '));
  if (access === undefined) throw new Error(`random program: ${def.mnemonic} made no data access`);
  return Number(access.split(' ')[2]);
}
