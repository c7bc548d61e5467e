/**
 * Test harness: builds instruction words from the table (no assembler needed) and runs them on a
 * single hart with one RAM region.
 */
import { encodeChecked, type OperandValues } from '../../isa/encoder.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { Hart, type HartOptions } from '../../sim/core/hart.js';
import { MappedMemory } from '../../sim/core/memory.js';
import type { RetireEvent } from '../../sim/core/retire.js';

export const CODE_BASE = 0x1000;
export const DATA_BASE = 0x8000;
export const RAM_SIZE = 0x10000;

/**
 * Encode `mnemonic` with operand slot values. CORE-V mnemonics with several operand forms pick the
 * form whose syntax contains `form` (e.g. 'imm12', '({rs1}), {rs2}', '{rs2}({rs1})').
 */
export function enc(mnemonic: string, values: OperandValues = {}, form?: string): number {
  const forms = CV32E40P_TABLE.forms(mnemonic);
  const candidates = form === undefined ? forms : forms.filter((d) => d.format.syntax.includes(form));
  if (candidates.length !== 1) throw new Error(`enc: ${candidates.length} forms of ${mnemonic} match '${form ?? ''}'`);
  return encodeChecked(candidates[0]!, values);
}

/** Little-endian bytes of a mix of 32-bit words and `{ half }` 16-bit parcels. */
export function bytesOf(code: readonly (number | { half: number })[]): Uint8Array {
  const out: number[] = [];
  for (const item of code) {
    if (typeof item === 'number') out.push(item & 0xff, (item >>> 8) & 0xff, (item >>> 16) & 0xff, (item >>> 24) & 0xff);
    else out.push(item.half & 0xff, (item.half >>> 8) & 0xff);
  }
  return Uint8Array.from(out);
}

export const EXIT = [enc('addi', { rd: 17, rs1: 0, imm: 93 }), enc('ecall')];

export interface Run {
  hart: Hart;
  memory: MappedMemory;
  events: RetireEvent[];
}

/** Load `code` at CODE_BASE (followed by an exit sequence) and run it to the end. */
export function run(code: readonly (number | { half: number })[], setup: (hart: Hart) => void = () => {}, options: Partial<HartOptions> = {}): Run {
  const { hart, memory } = load(code, options);
  const events: RetireEvent[] = [];
  hart.onRetire = (e) => events.push(e);
  setup(hart);
  hart.run(1_000_000);
  return { hart, memory, events };
}

export function load(code: readonly (number | { half: number })[], options: Partial<HartOptions> = {}): { hart: Hart; memory: MappedMemory } {
  const memory = new MappedMemory([{ name: 'ram', base: 0, size: RAM_SIZE }]);
  memory.writeBytes(CODE_BASE, bytesOf([...code, ...EXIT]));
  const hart = new Hart(memory, { resetPc: CODE_BASE, ...options });
  return { hart, memory };
}

/** Run `code` with registers preset (x-number -> value); returns the hart for inspection. */
export function runWithRegs(code: readonly (number | { half: number })[], regs: Readonly<Record<number, number>>, options: Partial<HartOptions> = {}): Run {
  return run(code, (hart) => {
    for (const [reg, value] of Object.entries(regs)) hart.regs[Number(reg)] = value;
  }, options);
}

/** rd after a single register-register (or rd-accumulating) instruction. */
export function alu(mnemonic: string, a: number, b: number, acc = 0): number {
  const { hart } = runWithRegs([enc(mnemonic, { rd: 5, rs1: 6, rs2: 7 })], { 5: acc, 6: a, 7: b });
  return hart.regs[5]!;
}

/** rd after a single instruction with an immediate operand (and rd preset to `acc`). */
export function aluImm(mnemonic: string, a: number, values: Record<string, number>, acc = 0): number {
  const { hart } = runWithRegs([enc(mnemonic, { rd: 5, rs1: 6, ...values })], { 5: acc, 6: a });
  return hart.regs[5]!;
}
