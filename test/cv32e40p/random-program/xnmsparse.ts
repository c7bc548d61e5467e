/**
 * Snippets of Xnmsparse revision 2 (nm.mac4 and nm.mul4, whose sums are x28..x31) for random
 * programs of the project's core with the extension (randomProgram's `xnmsparse` option; the real
 * CV32E40P lacks these instructions). Every nm.mac4 reads an aligned word inside the data buffer:
 * its base register holds s0 plus a word offset of at most 1020 and both halves of its offset
 * register word offsets of at most 700, which the snippet keeps from being overwritten (neither is
 * a sum register). The hazards R2.6 defines come up on their own: instructions naming x28..x31 and
 * multiplier instructions right after an nm.mac4 or one instruction later, nm.mac4 after nm.mac4,
 * nm.mac4 under grant delays, nm.mac4 in hardware-loop bodies. The checksum folds x28..x31 with
 * every other register.
 */
import type { InstructionDef } from '../../../isa/definition.js';
import { regName } from '../../../isa/registers.js';
import { XNMSPARSE_MAC } from '../../../isa/tables/xnmsparse-mac.js';
import { SUM_COUNT, SUM_FIRST_REGISTER } from '../../../isa/xnmsparse/mac.js';
import { BASE, type Builder } from './builder.js';
import { setUpLoop, SHORT_BODY } from './snippets.js';
import { access, randomRegisterOpRow, registerOp } from './straight-line.js';

const SUM_REGISTERS = Array.from({ length: SUM_COUNT }, (_, p) => SUM_FIRST_REGISTER + p);
const sumRegister = (b: Builder): number => b.random.pick(SUM_REGISTERS);

/** Registers holding an nm.mac4's activation base and its two offsets, set up and kept for a run. */
interface MacOperands {
  readonly base: number;
  readonly offsets: number;
}

function macOperands(b: Builder): MacOperands {
  // Not sum registers: every nm.mac4 overwrites those.
  return b.pinning(SUM_REGISTERS, () => {
    const base = b.dest();
    b.emit(`addi ${regName(base)}, ${regName(BASE)}, ${4 * b.random.below(256)}`);
    b.wrote(base);
    const offsets = b.pinning([base], () => b.dest());
    const half = (): number => 4 * b.random.below(176);
    b.emit(`li ${regName(offsets)}, ${((half() << 16) | half()) >>> 0}`);
    b.wrote(offsets);
    return { base, offsets };
  });
}

/**
 * One nm.mac4 or nm.mul4 of either signedness, offset half and weight lane, weights from any
 * register, now and then a sum register. A sum it writes becomes a favourite source after it.
 */
function mac4(b: Builder, { base, offsets }: MacOperands): void {
  const def: InstructionDef = b.random.pick(XNMSPARSE_MAC);
  b.feature(def.mnemonic.startsWith('nm.mul4') ? 'mul4' : 'mac4');
  const weights = b.random.chance(0.2) ? sumRegister(b) : b.source();
  if (weights >= SUM_FIRST_REGISTER) b.feature('mac4-sum-operand');
  b.emit(b.instruction(def, { rs1: base, rs2: offsets, rs3: weights }));
  b.wrote(sumRegister(b));
}

/** A register operation with one of its register operands (a source or its destination) a sum register. */
function sumUse(b: Builder): void {
  b.feature('sum-use');
  const def = randomRegisterOpRow(b);
  const slots = def.format.operands.filter((kind) => kind.syntax === 'reg').map((kind) => kind.slot);
  if (slots.length === 0) return registerOp(b, def);
  registerOp(b, def, { [b.random.pick(slots)]: sumRegister(b) });
}

/** One instruction of a run: mostly nm.mac4, else an instruction naming a sum register or any register operation. */
function runItem(b: Builder, operands: MacOperands): void {
  const roll = b.random.below(10);
  if (roll < 6) mac4(b, operands);
  else if (roll < 8) sumUse(b);
  else registerOp(b);
}

/** A run of nm.mac4 with instructions naming the sums, register operations and loads or stores between. */
export function macRun(b: Builder): void {
  const operands = macOperands(b);
  b.pinning([operands.base, operands.offsets], () => {
    const count = 2 + b.random.below(7);
    for (let i = 0; i < count; i++) {
      if (b.random.chance(0.15)) access(b);
      else runItem(b, operands);
    }
  });
}

/** A hardware loop whose body is a run of nm.mac4, instructions naming the sums and register operations. */
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
      for (let i = 0; i < length; i++) runItem(b, operands);
    });
  });
  b.place(end);
}
