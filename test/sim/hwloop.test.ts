import { describe, expect, it } from 'vitest';
import { CSR } from '../../isa/csr-names.js';
import { HwLoopConstraintError } from '../../sim/core/errors.js';
import { CODE_BASE, DATA_BASE, enc, load, run, runWithRegs } from './harness.js';

const addi = (rd: number, imm: number): number => enc('addi', { rd, rs1: rd, imm });
const NOP = enc('addi', { rd: 0, rs1: 0, imm: 0 });

describe('hardware loops', () => {
  it('cv.setupi runs the body count times with no overhead', () => {
    // body = 3 instructions; end = setupi pc + 16
    const { hart, events } = run([enc('cv.setupi', { loop: 0, imm2: 5, imm: 16 }), addi(5, 1), addi(6, 2), addi(7, 3)]);
    expect([hart.regs[5], hart.regs[6], hart.regs[7]]).toEqual([5, 10, 15]);
    expect(hart.hwloop.count[0]).toBe(0);
    expect(events.slice(0, -2).every((e) => e.cycles === 1)).toBe(true);
    expect(events).toHaveLength(1 + 15 + 2);
  });

  it('accepts a body holding a word the decoder rejects: the word is an illegal instruction when the body reaches it', () => {
    const code = [enc('cv.setupi', { loop: 0, imm2: 2, imm: 16 }), addi(5, 1), 0xffffffff | 0, addi(7, 1)];
    expect(() => run(code)).toThrow(/illegal instruction 0xffffffff .*pc 0x00001008/);
  });

  it('cv.setup takes the count from a register', () => {
    const { hart } = runWithRegs([enc('cv.setup', { loop: 1, rs1: 10, imm: 16 }), addi(5, 1), addi(6, 1), addi(7, 1)], { 10: 7 });
    expect(hart.regs[7]).toBe(7);
  });

  it('cv.starti / cv.endi / cv.counti set the registers one by one', () => {
    const { hart } = run([
      enc('cv.starti', { loop: 0, imm: 12 }), // start = pc + 12
      enc('cv.endi', { loop: 0, imm: 20 }), // end = (pc=4) + 20 = 24
      enc('cv.counti', { loop: 0, imm2: 4 }),
      addi(5, 1), addi(6, 1), addi(7, 1),
    ]);
    expect([hart.regs[5], hart.regs[6], hart.regs[7]]).toEqual([4, 4, 4]);
  });

  it('cv.start / cv.end / cv.count take addresses and count from registers', () => {
    const { hart } = runWithRegs([
      enc('cv.start', { loop: 1, rs1: 10 }),
      enc('cv.end', { loop: 1, rs1: 11 }),
      enc('cv.count', { loop: 1, rs1: 12 }),
      addi(5, 1), addi(6, 1), addi(7, 1),
    ], { 10: CODE_BASE + 12, 11: CODE_BASE + 24, 12: 3 });
    expect(hart.regs[7]).toBe(3);
  });

  it('a count of 1 runs the body once, a count of 0 leaves the loop disarmed', () => {
    for (const count of [0, 1]) {
      const { hart } = run([enc('cv.setupi', { loop: 0, imm2: count, imm: 16 }), addi(5, 1), addi(6, 1), addi(7, 1)]);
      expect(hart.regs[7]).toBe(1);
      expect(hart.hwloop.active).toBe(false);
    }
  });

  it('decrements the count each time the last body instruction executes (lpcount0 as read inside)', () => {
    const { hart, memory } = runWithRegs([
      enc('cv.setupi', { loop: 0, imm2: 3, imm: 16 }),
      enc('csrrs', { rd: 5, imm: CSR.lpcount0, rs1: 0 }),
      enc('cv.sw', { rs2: 5, rs1: 10, imm: 4 }, 'store12'),
      NOP,
      enc('csrrs', { rd: 6, imm: CSR.lpcount0, rs1: 0 }),
    ], { 10: DATA_BASE });
    const view = new DataView(memory.readBytes(DATA_BASE, 12).buffer);
    expect([0, 4, 8].map((o) => view.getInt32(o, true))).toEqual([3, 2, 1]);
    expect(hart.regs[6]).toBe(0);
  });

  it('nests: loop 0 inner, loop 1 outer (the CV32E40P manual example: i = 300, j = 40)', () => {
    // 0 starti 1 -> 20 | 4 endi 1 -> 44 | 8 count 1, N | 12 starti 0 -> 24 | 16 endi 0 -> 36
    // 20 count 0, N | 24..32 addi i x3 | 36..40 addi j x2 | 44 end
    const { hart, events } = runWithRegs([
      enc('cv.starti', { loop: 1, imm: 20 }),
      enc('cv.endi', { loop: 1, imm: 40 }),
      enc('cv.count', { loop: 1, rs1: 12 }),
      enc('cv.starti', { loop: 0, imm: 12 }),
      enc('cv.endi', { loop: 0, imm: 20 }),
      enc('cv.count', { loop: 0, rs1: 12 }),
      addi(10, 1), addi(10, 1), addi(10, 1),
      addi(11, 2), addi(11, 2),
    ], { 12: 10 });
    expect(hart.regs[10]).toBe(300);
    expect(hart.regs[11]).toBe(40);
    const body = events.slice(0, -2);
    expect(body.reduce((s, e) => s + e.cycles, 0)).toBe(body.length); // zero overhead, nested included
  });

  it('handles a loop whose body starts right after a 32-bit aligned compressed pair', () => {
    const { hart } = run([{ half: 0x0001 }, { half: 0x0001 }, enc('cv.setupi', { loop: 0, imm2: 2, imm: 16 }), addi(5, 1), addi(5, 1), addi(5, 1)]);
    expect(hart.regs[5]).toBe(6);
  });
});

/** Run the program until it stops on a hardware-loop constraint; fails the test if it does not. */
function constraintError(code: Parameters<typeof load>[0], setUp: (hart: ReturnType<typeof load>['hart']) => void = () => {}): HwLoopConstraintError {
  const { hart } = load(code);
  setUp(hart);
  try {
    hart.run(10_000);
  } catch (e) {
    expect(e).toBeInstanceOf(HwLoopConstraintError);
    return e as HwLoopConstraintError;
  }
  throw new Error('the program ran without a hardware-loop constraint error');
}

describe('hardware-loop constraints stop the simulation', () => {
  const violations: [string, (number | { half: number })[], RegExp][] = [
    ['a body of two instructions', [enc('cv.setupi', { loop: 0, imm2: 2, imm: 12 }), addi(5, 1), addi(5, 1)], /at least 3/],
    ['a compressed instruction in the body', [enc('cv.setupi', { loop: 0, imm2: 2, imm: 16 }), addi(5, 1), { half: 0x0001 }, { half: 0x0001 }, addi(5, 1)], /compressed/],
    ['a branch in the body', [enc('cv.setupi', { loop: 0, imm2: 2, imm: 16 }), addi(5, 1), enc('beq', { rs1: 0, rs2: 0, imm: 4 }), addi(5, 1)], /branches/],
    ['an end before the start', [enc('cv.starti', { loop: 0, imm: 16 }), enc('cv.endi', { loop: 0, imm: 4 }), enc('cv.counti', { loop: 0, imm2: 2 })], /after start/],
    ['a setup instruction at a non-word-aligned address', [{ half: 0x0001 }, enc('cv.setupi', { loop: 0, imm2: 2, imm: 16 }), addi(5, 1), addi(5, 1), addi(5, 1)], /32-bit aligned/],
    // x13 holds CODE_BASE + 6
    ['an unaligned start address', [enc('cv.start', { loop: 0, rs1: 13 }), enc('cv.endi', { loop: 0, imm: 20 }), enc('cv.counti', { loop: 0, imm2: 2 })], /start .* must be 32-bit aligned/],
    ['a body changing its own loop', [enc('cv.setupi', { loop: 0, imm2: 2, imm: 16 }), addi(5, 1), enc('cv.counti', { loop: 0, imm2: 1 }), addi(5, 1)], /own loop registers/],
    [
      'nested loops ending together',
      [enc('cv.setupi', { loop: 1, imm2: 2, imm: 24 }), addi(5, 1), enc('cv.setupi', { loop: 0, imm2: 2, imm: 16 }), addi(5, 1), addi(5, 1), addi(5, 1)],
      /8 bytes after loop 0/,
    ],
    [
      'loop 1 nested inside loop 0',
      [enc('cv.setupi', { loop: 0, imm2: 2, imm: 24 }), addi(5, 1), enc('cv.setupi', { loop: 1, imm2: 2, imm: 16 }), addi(5, 1), addi(5, 1), addi(5, 1)],
      /loop 0 must be the inner loop/,
    ],
  ];

  it.each(violations)('%s', (_name, code, message) => {
    const error = constraintError(code, (hart) => (hart.regs[13] = CODE_BASE + 6));
    expect(error.message).toMatch(message);
    expect(error.site.disassembly).toMatch(/^cv\./);
  });
});

describe('hardware loops are entered at their start', () => {
  // start = 16, end = 32 (body 16..28), armed by cv.counti at 8; at 12 a jump goes to 20.
  const setup = [enc('cv.starti', { loop: 0, imm: 16 }), enc('cv.endi', { loop: 0, imm: 28 }), enc('cv.counti', { loop: 0, imm2: 2 })];
  const body = [addi(5, 1), addi(5, 1), addi(5, 1), addi(5, 1)];

  it('stops at a jump into the middle of an active loop body, naming the jump', () => {
    const error = constraintError([...setup, enc('jal', { rd: 0, imm: 8 }), ...body]);
    expect(error.message).toMatch(/jump or branch to 0x[0-9a-f]+ enters the body .* after its start/);
    expect(error.site.pc).toBe(CODE_BASE + 12);
  });

  it('accepts a jump to the start', () => {
    const { hart } = run([...setup, enc('jal', { rd: 0, imm: 4 }), ...body]);
    expect(hart.regs[5]).toBe(8);
  });
});
