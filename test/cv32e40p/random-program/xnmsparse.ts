/**
 * Snippets of Xnmsparse revision 2 (nm.mac4, nm.racc, the accumulator CSRs nmacc0..3) for random
 * programs of the project's core with the extension (randomProgram's `xnmsparse` option; the real
 * CV32E40P lacks these instructions). Every nm.mac4 reads an aligned word inside the data buffer:
 * its base register holds s0 plus a word offset of at most 1020 and both halves of its offset
 * register word offsets of at most 700, which the snippet keeps from being overwritten. The
 * hazards R2.6 defines come up on their own: nm.racc or an accumulator CSR access right after an
 * nm.mac4, nm.mac4 under grant delays, nm.mac4 in hardware-loop bodies.
 */
import { CSR } from '../../../isa/csr-names.js';
import type { InstructionDef } from '../../../isa/definition.js';
import { regName } from '../../../isa/registers.js';
import { XNMSPARSE_MAC } from '../../../isa/tables/xnmsparse-mac.js';
import { ACCUMULATOR_COUNT } from '../../../isa/xnmsparse/mac.js';
import { BASE, type Builder } from './builder.js';
import { CSR_ACCESSES } from './instructions.js';
import { setUpLoop, SHORT_BODY } from './snippets.js';
import { access, registerOp } from './straight-line.js';

const rowOf = (mnemonic: string): InstructionDef => {
  const def = XNMSPARSE_MAC.find((d) => d.mnemonic === mnemonic);
  if (!def) throw new Error(`random program: no Xnmsparse row '${mnemonic}'`);
  return def;
};
const MAC4 = [rowOf('nm.mac4.u'), rowOf('nm.mac4.s')];
const RACC = rowOf('nm.racc');
const ACCUMULATOR_CSRS = [CSR.nmacc0, CSR.nmacc1, CSR.nmacc2, CSR.nmacc3];

/** Registers holding an nm.mac4's activation base and its two offsets, set up and kept for a run. */
interface MacOperands {
  readonly base: number;
  readonly offsets: number;
}

function macOperands(b: Builder): MacOperands {
  const base = b.dest();
  b.emit(`addi ${regName(base)}, ${regName(BASE)}, ${4 * b.random.below(256)}`);
  b.wrote(base);
  const offsets = b.pinning([base], () => b.dest());
  const half = (): number => 4 * b.random.below(176);
  b.emit(`li ${regName(offsets)}, ${((half() << 16) | half()) >>> 0}`);
  b.wrote(offsets);
  return { base, offsets };
}

/** One nm.mac4 of either signedness, offset half and weight lane, weights from any register. */
function mac4(b: Builder, { base, offsets }: MacOperands): void {
  b.feature('mac4');
  b.emit(b.instruction(b.random.pick(MAC4), { rs1: base, rs2: offsets }));
}

/** nm.racc of any accumulator, or any CSR instruction on one of them (x0 as rd or rs1 included). */
function accumulatorAccess(b: Builder, raccOnly: boolean): void {
  if (raccOnly || b.random.chance(0.5)) {
    b.feature('racc');
    b.emit(b.instruction(RACC));
    return;
  }
  b.feature('nmacc-csr');
  const def = b.random.pick(CSR_ACCESSES);
  const csr = b.random.pick(ACCUMULATOR_CSRS);
  const immediate = def.format.operands.some((kind) => kind.slot === 'imm2');
  b.emit(b.instruction(def, immediate ? { imm: csr, imm2: b.random.below(32) } : { imm: csr }));
}

/**
 * One instruction of a run: mostly nm.mac4, else an accumulator access or a register operation.
 * In a hardware-loop body the accumulators are read by nm.racc only (no CSR instructions there).
 */
function runItem(b: Builder, operands: MacOperands, inLoopBody: boolean): void {
  const roll = b.random.below(10);
  if (roll < 6) mac4(b, operands);
  else if (roll < 8) accumulatorAccess(b, inLoopBody);
  else registerOp(b);
}

/** A run of nm.mac4 with accumulator reads, register operations and loads or stores between. */
export function macRun(b: Builder): void {
  const operands = macOperands(b);
  b.pinning([operands.base, operands.offsets], () => {
    const count = 2 + b.random.below(7);
    for (let i = 0; i < count; i++) {
      if (b.random.chance(0.15)) access(b);
      else runItem(b, operands, false);
    }
  });
}

/** A hardware loop whose body is a run of nm.mac4, accumulator reads and register operations. */
export function macLoop(b: Builder): void {
  b.feature('mac4-hwloop');
  const operands = macOperands(b);
  const times = 1 + b.random.below(6);
  const end = b.label();
  const length = 3 + b.random.below(SHORT_BODY);
  b.emit('.balign 4');
  b.pinning([operands.base, operands.offsets], () => {
    setUpLoop(b, b.random.below(2), times, end, length <= SHORT_BODY);
    b.repeated(times, () => {
      for (let i = 0; i < length; i++) runItem(b, operands, true);
    });
  });
  b.place(end);
}

/** Move every accumulator into a register (then folded into the checksum). */
export function drainAccumulators(b: Builder, registers: readonly number[]): void {
  for (let k = 0; k < ACCUMULATOR_COUNT; k++) b.emit(`nm.racc ${regName(registers[k]!)}, ${k}`);
}
