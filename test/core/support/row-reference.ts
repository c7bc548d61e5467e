// The ISA table's own semantics as the reference for the core's execution units: a real word is
// encoded for a row with random operand fields, decoded back (so the immediate slots are exactly what
// the decoder gives the pipeline), and the row's `execute` runs on a stub hart whose registers hold
// the unit's operands a (rs1), b (rs2) and c (rd when the format reads it, else rs3).
import { decode } from '../../../isa/decoder.js';
import type { DecodedInstruction, InstructionDef } from '../../../isa/definition.js';
import { encodeChecked, type OperandValues } from '../../../isa/encoder.js';
import { CV32E40P_TABLE } from '../../../isa/table.js';
import type { HartContext, HwLoopRegs } from '../../../isa/types.js';
import type { Random } from '../../../util/random.js';

/** The operand values an execution unit receives from the pipeline. */
export interface UnitOperands {
  /** Value of rs1. */
  readonly a: number;
  /** Value of rs2. */
  readonly b: number;
  /** Value of rd for formats that read rd, else of rs3. */
  readonly c: number;
}

const REGISTER_SLOTS = ['rd', 'rs1', 'rs2', 'rs3'] as const;

/**
 * A random instance of `def`: distinct registers x1..x31 in its register fields (so that a, b and c
 * land in different registers) and in-range values in its immediate fields, a fifth of them at an
 * end of the range and the others uniform, encoded and decoded again. Throws when the word decodes
 * to another row.
 */
export function randomInstance(def: InstructionDef, random: Random): DecodedInstruction {
  const values: { -readonly [K in keyof OperandValues]: number } = {};
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

/** A hart that only has registers: any other access means the row is not a register operation. */
function registerOnlyHart(regs: Int32Array, mnemonic: string): HartContext {
  const refuse = (what: string) => (): never => {
    throw new Error(`${mnemonic}: its semantics ${what}, which an execution unit's reference cannot model`);
  };
  const loops: HwLoopRegs = { start: new Uint32Array(2), end: new Uint32Array(2), count: new Uint32Array(2) };
  return {
    regs, pc: 0, npc: 4, hwloop: loops, accumulators: new Int32Array(4),
    jump: refuse('jump'), load: refuse('load'), store: refuse('store'), csrRead: refuse('read a CSR'),
    csrWrite: refuse('write a CSR'), hwloopChanged: refuse('change a hardware loop'), ecall: refuse('call ecall'),
    ebreak: refuse('call ebreak'), mret: refuse('return from a trap'), wfi: refuse('wait for an interrupt'),
    fence: refuse('fence'),
  };
}

/** The value the row of `insn` writes to rd when rs1 = a, rs2 = b and rd (or rs3) = c. */
export function rowResult(insn: DecodedInstruction, { a, b, c }: UnitOperands): number {
  const reads = insn.def.format.reads;
  const cSlot = reads.includes('rd') ? 'rd' : 'rs3';
  const placed = [['rs1', a], ['rs2', b], [cSlot, c]] as const;
  const regs = new Int32Array(32);
  const used = new Set<number>();
  for (const [slot, value] of placed) {
    if (!reads.includes(slot)) continue;
    const reg = insn[slot];
    if (reg === 0 || used.has(reg)) throw new RangeError(`${insn.def.mnemonic}: operand ${slot} needs its own register other than x0, got x${reg}`);
    used.add(reg);
    regs[reg] = value;
  }
  insn.execute(registerOnlyHart(regs, insn.def.mnemonic), insn);
  return regs[insn.rd]!;
}
