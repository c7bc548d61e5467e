/**
 * Straight-line code: register operations of every table row, loads and stores of every form
 * kept inside the data buffer, the hazard pairs the timing model must get right, and compressed
 * instructions. Everything here may go inside a hardware-loop body except `compressedRun`.
 */
import type { DecodedInstruction, InstructionDef } from '../../../isa/definition.js';
import { formatInstruction } from '../../../isa/disassembler.js';
import { isRegisterOnly } from '../../../isa/effects.js';
import { FORMATS as F } from '../../../isa/formats.js';
import { regName } from '../../../isa/registers.js';
import { BASE, BUFFER_BYTES, POINTER, SP, SP_OFFSET, type Builder } from './builder.js';
import {
  accessSize, decodeCompressed, LOADS, REGISTER_OPS, registerOpsOf, SINGLE_CYCLE_MULTIPLIES, STORES, type Operands,
} from './instructions.js';

/** Register rows grouped by extension, so that the few RV32I rows are drawn as often as the many SIMD ones. */
const BY_EXTENSION: readonly (readonly InstructionDef[])[] = [...new Set(REGISTER_OPS.map((d) => d.extension))]
  .map((extension) => REGISTER_OPS.filter((d) => d.extension === extension));

const SIZES = new Map([...LOADS, ...STORES].map((d) => [d, accessSize(d)]));

const MULTIPLIER_ROWS = [...SINGLE_CYCLE_MULTIPLIES, ...registerOpsOf('mulh', 'divSigned', 'divUnsigned')];
const READS_RS1 = REGISTER_OPS.filter((d) => d.format.reads.includes('rs1'));

/** One register-only row: `def`, or any (its extension drawn first). */
/** A register operation's row, its extension picked first (so that small extensions come up too). */
export function randomRegisterOpRow(b: Builder): InstructionDef {
  return b.random.pick(b.random.pick(BY_EXTENSION));
}

/** A register operation, with register operands drawn except the `given` ones. */
export function registerOp(b: Builder, def: InstructionDef = randomRegisterOpRow(b), given: Operands = {}): void {
  b.emit(b.instruction(def, given));
}

/** `li reg, value` that is one instruction (a 12-bit value): loop bodies count their instructions. */
export function setSmall(b: Builder, reg: number, value: number): void {
  if (value < -2048 || value > 2047) throw new Error(`random program: ${value} needs more than one instruction`);
  b.emit(`li ${regName(reg)}, ${value}`);
  b.wrote(reg);
}

/** An offset into the buffer for an access of `size` bytes, word-aligned half of the time. */
function bufferOffset(b: Builder, size: number): number {
  const offset = b.random.below(BUFFER_BYTES - size + 1);
  return b.random.chance(0.5) ? offset & ~3 : offset;
}

/** One load or store of `def`'s form, its address inside the buffer; returns a load's rd. */
export function access(b: Builder, def: InstructionDef = b.random.pick(b.random.chance(0.55) ? LOADS : STORES)): number {
  const size = SIZES.get(def)!;
  const load = def.effects.memory === 'load';
  const data = load ? { rd: b.dest() } : { rs2: b.source() };
  const misaligned = (offset: number): void => {
    if (offset % size !== 0) b.feature('misaligned');
  };
  let operands;
  switch (def.format) {
    case F.load: case F.store: {
      const fromSp = b.random.chance(0.3);
      const offset = bufferOffset(b, size);
      misaligned(offset);
      operands = { rs1: fromSp ? SP : BASE, imm: fromSp ? offset - SP_OFFSET : offset };
      break;
    }
    case F.loadPostImm: case F.storePostImm:
      b.feature('post-increment');
      operands = { rs1: POINTER, imm: b.pointerStep(b.random.pick([4, 8, 16])) };
      break;
    case F.loadPostReg: case F.storePostReg: {
      b.feature('post-increment');
      const step = b.dest();
      setSmall(b, step, b.pointerStep(8));
      operands = { rs1: POINTER, [load ? 'rs2' : 'rs3']: step };
      break;
    }
    case F.loadIndexed: case F.storeIndexed: {
      b.feature('indexed');
      const index = b.dest();
      const offset = bufferOffset(b, size);
      misaligned(offset);
      setSmall(b, index, offset);
      // The address is the sum of two registers: either may hold the base.
      const [rs1, other] = b.random.chance(0.5) ? [BASE, index] : [index, BASE];
      operands = { rs1, [load ? 'rs2' : 'rs3']: other };
      break;
    }
    default:
      throw new Error(`random program: no addressing for ${def.mnemonic} '${def.format.syntax}'`);
  }
  b.emit(b.instruction(def, { ...data, ...operands }));
  return load ? data.rd! : 0;
}

/** A load whose result the next instruction reads (a source, an accumulator or store data). */
export function loadUse(b: Builder): void {
  b.feature('load-use');
  const rd = access(b, b.random.pick(LOADS));
  if (b.random.chance(0.25)) {
    const store = b.random.pick(STORES.filter((d) => d.format === F.store));
    b.emit(b.instruction(store, { rs2: rd, rs1: BASE, imm: bufferOffset(b, SIZES.get(store)!) }));
  } else {
    b.emit(b.instruction(b.random.pick(READS_RS1), { rs1: rd }));
  }
}

/**
 * A post-increment load into its own base register (the loaded value wins over the increment),
 * then the pointer put back home: a load at once followed by a write of the same register.
 */
export function loadIntoPointer(b: Builder): void {
  b.feature('post-increment-rd-is-base');
  const def = b.random.pick(LOADS.filter((d) => d.format === F.loadPostImm || d.format === F.loadPostReg));
  let increment;
  if (def.format === F.loadPostImm) {
    increment = { imm: b.pointerStep(8) };
  } else {
    const step = b.dest();
    setSmall(b, step, b.pointerStep(8));
    increment = { rs2: step };
  }
  b.emit(b.instruction(def, { rd: POINTER, rs1: POINTER, ...increment }));
  b.resetPointer();
}

/** A load, then at once an instruction that writes the same register. */
export function loadOverwrite(b: Builder): void {
  b.feature('load-overwrite');
  const rd = access(b, b.random.pick(LOADS));
  const writer = b.random.pick(REGISTER_OPS.filter((d) => d.format.writes.includes('rd')));
  b.emit(b.instruction(writer, { rd }));
}

/** Two to four multiplier and divider instructions back to back, each reading the one before. */
export function multiplierRun(b: Builder): void {
  b.feature('multiply-divide');
  const count = 2 + b.random.below(3);
  for (let i = 0; i < count; i++) registerOp(b, b.random.pick(MULTIPLIER_ROWS));
}

/** `count` instructions of straight-line code (no control transfer), 32-bit only. */
export function straightLine(b: Builder, count: number): void {
  for (let i = 0; i < count; i++) {
    const roll = b.random.below(20);
    if (roll < 11) registerOp(b);
    else if (roll < 16) access(b);
    else if (roll < 18) loadUse(b);
    else if (roll < 19) loadOverwrite(b);
    else multiplierRun(b);
  }
}

/**
 * The RVC instruction `half` when it may run here: c.nop, registers only (writing only writable
 * registers, never x0: hints are left out), or a load or store through s0, s1 or sp (RVC offsets
 * are small and positive, and all three point well inside the buffer).
 */
function compressedAllowed(b: Builder, half: number): DecodedInstruction | undefined {
  const insn = decodeCompressed(half);
  if (!insn || half === 0x0001) return insn;
  const effects = insn.def.effects;
  const throughBuffer = effects.memory !== 'none' && [BASE, POINTER, SP].includes(insn.rs1) && effects.control === 'none';
  const writes = insn.destinations.length > 0 || effects.memory === 'store';
  return insn.destinations.every((r) => b.writable(r)) && writes && (isRegisterOnly(effects) || throughBuffer) ? insn : undefined;
}

/** `count` compressed instructions, drawn as random 16-bit words the table decodes. */
export function compressedRun(b: Builder, count: number): void {
  b.feature('compressed');
  b.emit('.option rvc');
  if (b.random.chance(0.15)) {
    // c.addi16sp moves sp: out and straight back, so sp-relative accesses stay where they were.
    const by = 16 * (1 + b.random.below(31)) * (b.random.chance(0.5) ? 1 : -1);
    b.emit(`addi sp, sp, ${by}`);
    b.emit(`addi sp, sp, ${-by}`);
  }
  for (let i = 0; i < count; i++) {
    let insn: DecodedInstruction | undefined;
    while (insn === undefined) insn = compressedAllowed(b, b.random.below(0x10000));
    b.emit(formatInstruction(insn));
    for (const reg of insn.destinations) b.wrote(reg);
  }
  b.emit('.option norvc');
}
