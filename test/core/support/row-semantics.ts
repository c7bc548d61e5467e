/**
 * Runs one instruction row's own semantics (its `execute`) on a stub HartContext, so that a core
 * unit can be compared with the ISA table rather than with a second model of it. The registers the
 * row's format reads hold the given operand values: rs1 = a, rs2 = b, and c in rd when the format
 * reads rd, else in rs3 (as the pipeline feeds the core's units). Anything but register reads,
 * register writes and a jump (a taken branch) is refused: those rows are not a unit's to compute.
 */
import { decode } from '../../../isa/decoder.js';
import type { DecodedInstruction, InstructionDef } from '../../../isa/definition.js';
import { encodeChecked, type OperandValues as EncodedOperands } from '../../../isa/encoder.js';
import type { RegSlot } from '../../../isa/formats.js';
import { CV32E40P_TABLE } from '../../../isa/table.js';
import type { Addr, HartContext } from '../../../isa/types.js';
import type { Random } from '../../../util/random.js';

export interface OperandValues {
  /** Value of rs1. */
  readonly a: number;
  /** Value of rs2. */
  readonly b: number;
  /** Value of rd when the format reads rd, else of rs3. */
  readonly c: number;
}

export interface RowOutcome {
  /** rd after the instruction (0 when the format writes no rd). */
  readonly rd: number;
  /** Target of the jump the row made (a taken branch), or undefined. */
  readonly jumpedTo: Addr | undefined;
}

/** The operand each read register slot holds. */
function valueOf(slot: RegSlot, readsRd: boolean, values: OperandValues): number {
  switch (slot) {
    case 'rs1':
      return values.a;
    case 'rs2':
      return values.b;
    case 'rd':
      return values.c;
    case 'rs3':
      if (readsRd) throw new Error('row-semantics: a format that reads both rd and rs3 has no single c');
      return values.c;
  }
}

function refuse(what: string): never {
  throw new Error(`row-semantics: the row called ${what}, which a register-only stub does not provide`);
}

/**
 * Execute the decoded instruction's row with its source registers holding `values`. Two read slots
 * naming one register must be given the same value, and x0 the value 0: otherwise the registers
 * could not hold what the caller asks, and this throws.
 */
export function runRowSemantics(insn: DecodedInstruction, values: OperandValues, pc: Addr = 0x1000): RowOutcome {
  const format = insn.def.format;
  const readsRd = format.reads.includes('rd');
  const regs = new Int32Array(32);
  const assigned = new Map<number, number>([[0, 0]]);
  for (const slot of format.reads) {
    const reg = insn[slot];
    const value = valueOf(slot, readsRd, values) | 0;
    const earlier = assigned.get(reg);
    if (earlier !== undefined && earlier !== value) {
      throw new Error(`row-semantics: ${insn.def.mnemonic} reads x${reg} as ${slot}, which already holds ${earlier}, not ${value}`);
    }
    assigned.set(reg, value);
    regs[reg] = value;
  }
  let jumpedTo: Addr | undefined;
  const hart: HartContext = {
    regs,
    pc,
    npc: pc + insn.length,
    jump: (target) => { jumpedTo = target; },
    load: () => refuse('load'),
    store: () => refuse('store'),
    csrRead: () => refuse('csrRead'),
    csrWrite: () => refuse('csrWrite'),
    get hwloop() { return refuse('hwloop'); },
    hwloopChanged: () => refuse('hwloopChanged'),
    ecall: () => refuse('ecall'),
    ebreak: () => refuse('ebreak'),
    mret: () => refuse('mret'),
    wfi: () => refuse('wfi'),
    fence: () => refuse('fence'),
  };
  insn.execute(hart, insn);
  regs[0] = 0;
  return { rd: format.writes.includes('rd') ? regs[insn.rd]! : 0, jumpedTo };
}

const REGISTER_SLOTS = ['rd', 'rs1', 'rs2', 'rs3'] as const;

/**
 * A random instance of `def`: distinct registers x1..x31 in its register fields (so that a, b and c
 * land in different registers) and in-range values in its immediate fields, a fifth of them at an
 * end of the range and the others uniform, encoded and decoded again. Throws when the word decodes
 * to another row.
 */
export function randomInstance(def: InstructionDef, random: Random): DecodedInstruction {
  const values: { -readonly [K in keyof EncodedOperands]: number } = {};
  const registers = [...Array(31).keys()].map((i) => i + 1);
  for (const operand of def.format.operands) {
    if ((REGISTER_SLOTS as readonly string[]).includes(operand.slot)) {
      values[operand.slot] = registers.splice(random.below(registers.length), 1)[0]!;
    } else {
      const steps = Math.floor((operand.max - operand.min) / operand.align);
      const step = random.chance(0.2) ? random.pick([0, steps]) : random.below(steps + 1);
      values[operand.slot] = operand.min + step * operand.align;
    }
  }
  const word = encodeChecked(def, values);
  const decoded = decode(CV32E40P_TABLE, word, 0);
  if (decoded?.def !== def) throw new Error(`${def.mnemonic}: word 0x${word.toString(16)} decodes as ${decoded?.def.mnemonic ?? 'nothing'}`);
  return decoded;
}
