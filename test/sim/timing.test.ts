import { describe, expect, it } from 'vitest';
import { CSR } from '../../isa/csr-names.js';
import { bytesOf, CODE_BASE, DATA_BASE, enc, EXIT, RAM_SIZE, run, runWithRegs } from './harness.js';
import type { RetireEvent } from '../../sim/core/retire.js';
import { grantDelays, type GrantDelay } from '../../isa/platform/grant-delay.js';
import { DelayedGrantBus } from '../../sim/core/delayed-bus.js';
import { Hart } from '../../sim/core/hart.js';
import { MappedMemory } from '../../sim/core/memory.js';
import { compareSingle, elfOf } from './support/engines.js';
import { HAZARDS, HWLOOP_KERNELS, MISALIGNED } from './support/single-core-programs.js';

const NOP = enc('addi', { rd: 0, rs1: 0, imm: 0 });
const C_NOP = { half: 0x0001 };

/** Cycles of the instruction at index `i` of the program (events follow execution order). */
const cyclesAt = (events: readonly RetireEvent[], pc: number): number[] =>
  events.filter((e) => e.pc === CODE_BASE + pc).map((e) => e.cycles);

describe('CV32E40P timing (docs/cv32e40p.md#timing)', () => {
  it('ALU, mul, cv.mac and dot products take 1 cycle, results forwarded without stall', () => {
    const { events } = runWithRegs([
      enc('mul', { rd: 5, rs1: 6, rs2: 6 }),
      enc('add', { rd: 7, rs1: 5, rs2: 5 }),
      enc('cv.mac', { rd: 7, rs1: 5, rs2: 5 }),
      enc('cv.sdotsp.b', { rd: 8, rs1: 7, rs2: 7 }),
      enc('sub', { rd: 9, rs1: 8, rs2: 7 }),
    ], { 6: 3 });
    expect(events.slice(0, 5).map((e) => e.cycles)).toEqual([1, 1, 1, 1, 1]);
  });

  it('load-use: +1 for the instruction right after a load that reads its result', () => {
    const { hart, events } = runWithRegs([
      enc('lw', { rd: 5, rs1: 10, imm: 0 }),
      enc('add', { rd: 6, rs1: 5, rs2: 0 }), // uses x5 at once: 2 cycles
      enc('lw', { rd: 7, rs1: 10, imm: 0 }),
      NOP,
      enc('add', { rd: 8, rs1: 7, rs2: 0 }), // one instruction later: no stall
      enc('lw', { rd: 9, rs1: 10, imm: 0 }),
      enc('cv.sdotsp.b', { rd: 11, rs1: 12, rs2: 9 }), // load feeding a dot product
      enc('lw', { rd: 11, rs1: 10, imm: 0 }),
      enc('cv.mac', { rd: 11, rs1: 12, rs2: 12 }), // the accumulator is a source too
      enc('lw', { rd: 13, rs1: 10, imm: 0 }),
      enc('sw', { rs1: 10, rs2: 13, imm: 4 }), // store data is a source
    ], { 10: DATA_BASE });
    expect(events.slice(0, 11).map((e) => e.cycles)).toEqual([1, 2, 1, 1, 1, 1, 2, 1, 2, 1, 2]);
    expect(hart.stats.loadUseStalls).toBe(4);
  });

  it('post-increment load: using the updated pointer does not stall, using the data does', () => {
    const { events } = runWithRegs([
      enc('cv.lw', { rd: 5, rs1: 10, imm: 4 }, 'imm12'),
      enc('addi', { rd: 6, rs1: 10, imm: 0 }),
      enc('cv.lw', { rd: 5, rs1: 10, imm: 4 }, 'imm12'),
      enc('addi', { rd: 6, rs1: 5, imm: 0 }),
    ], { 10: DATA_BASE });
    expect(events.slice(0, 4).map((e) => e.cycles)).toEqual([1, 1, 1, 2]);
  });

  it('a load followed by an instruction that writes its destination from EX: +1 (write after write)', () => {
    const T1 = 6, T2 = 7, A0 = 10, A1 = 11;
    const lw = (rd: number, imm = 0) => enc('lw', { rd, rs1: A0, imm });
    const li = (rd: number) => enc('addi', { rd, rs1: 0, imm: 2 });
    const pairs: [string, number | { half: number }, number | { half: number }, number][] = [
      ['li to the loaded register', lw(T1), li(T1), 2],
      ['li to another register', lw(T1), li(T2), 1],
      ['c.li to the loaded register', lw(T1), { half: 0x4309 }, 2], // c.li t1, 2
      ['mul', lw(T1), enc('mul', { rd: T1, rs1: A0, rs2: A0 }), 2],
      ['mulh', lw(T1), enc('mulh', { rd: T1, rs1: A0, rs2: A0 }), 6],
      ['div', lw(T1), enc('div', { rd: T1, rs1: A0, rs2: A1 }), 1 + 3 + 29],
      ['lui', lw(T1), enc('lui', { rd: T1, imm: 0x12000 }), 2],
      ['csrrs', lw(T1), enc('csrrs', { rd: T1, rs1: 0, imm: CSR.mscratch }), 2],
      ['cv.max', lw(T1), enc('cv.max', { rd: T1, rs1: A0, rs2: A0 }), 2],
      // x0 is not exempt: the RTL compares the addresses without excluding it.
      ['nop after a load into x0', lw(0), NOP, 2],
      ['c.nop after a load into x0', lw(0), C_NOP, 2],
      ['a write to another register, reading x0, after a load into x0', lw(0), enc('add', { rd: 5, rs1: 0, rs2: 0 }), 1],
      ['a misaligned load', lw(T1, 1), li(T1), 2],
      // A load's own data register is written by the load-store unit: no stall.
      ['a load into the same register', lw(T1), lw(T1, 4), 1],
      // A jump redirects fetch in ID during the stall, which hides it.
      ['jal linking into the loaded register', lw(T1), enc('jal', { rd: T1, imm: 4 }), 2],
      ['jalr linking into the loaded register', lw(T1), enc('jalr', { rd: T1, rs1: 12, imm: 0 }), 2],
      // A post-increment load's data register counts; its base, written from EX, does not.
      ['li to a post-increment load\'s data register', enc('cv.lw', { rd: T1, rs1: A1, imm: 4 }, 'imm12'), li(T1), 2],
      ['li to a post-increment load\'s base', enc('cv.lw', { rd: T1, rs1: A1, imm: 4 }, 'imm12'), li(A1), 1],
    ];
    for (const [what, load, next, cycles] of pairs) {
      const { hart, events } = run([load, next, NOP], (h) => {
        h.regs[A0] = DATA_BASE;
        h.regs[A1] = 7;
        h.regs[12] = CODE_BASE + 8 + (typeof next === 'number' ? 4 : 2);
      });
      const nextPc = CODE_BASE + 4;
      expect({ what, cycles: events.find((e) => e.pc === nextPc)!.cycles }).toEqual({ what, cycles });
      if (what === 'li to the loaded register') expect(hart.stats.loadUseStalls).toBe(1); // counted with load-use stalls
    }
  });

  it('a load stalls an immediate lane move or shuffle whose rs2 field names its destination: the CV32E40P decoder marks rs2 read', () => {
    const RA = 1, A0 = 10;
    const pairs: [string, number, number][] = [
      ['cv.extractu.b lane 2 (bit 20 set: x1)', enc('cv.extractu.b', { rd: 5, rs1: A0, imm: 2 }), 2],
      ['cv.extractu.b lane 1 (bit 20 clear: x0)', enc('cv.extractu.b', { rd: 5, rs1: A0, imm: 1 }), 1],
      ['cv.insert.b lane 3', enc('cv.insert.b', { rd: 5, rs1: A0, imm: 3 }), 2],
      ['cv.shuffle.sci.h 2', enc('cv.shuffle.sci.h', { rd: 5, rs1: A0, imm: 2 }), 2],
      ['cv.shufflei0.sci.b 2', enc('cv.shufflei0.sci.b', { rd: 5, rs1: A0, imm: 2 }), 2],
      ['cv.extract.h lane 1', enc('cv.extract.h', { rd: 5, rs1: A0, imm: 1 }), 1],
      // .sci arithmetic does not mark rs2 read.
      ['cv.add.sci.b 2', enc('cv.add.sci.b', { rd: 5, rs1: A0, imm: 2 }), 1],
    ];
    for (const [what, next, cycles] of pairs) {
      const { events } = runWithRegs([enc('lw', { rd: RA, rs1: A0, imm: 0 }), next, NOP], { [A0]: DATA_BASE });
      expect({ what, cycles: events[1]!.cycles }).toEqual({ what, cycles });
    }
  });

  it('write after write across a hardware loop\'s back edge: the body\'s last load, its first instruction', () => {
    const body = (first: number) => run([
      enc('cv.setupi', { loop: 0, imm2: 3, imm: 16 }),
      first,
      NOP,
      enc('lw', { rd: 6, rs1: 10, imm: 0 }),
    ], (h) => (h.regs[10] = DATA_BASE));
    expect(cyclesAt(body(enc('addi', { rd: 6, rs1: 0, imm: 0 })).events, 4)).toEqual([1, 2, 2]);
    expect(cyclesAt(body(enc('addi', { rd: 7, rs1: 0, imm: 0 })).events, 4)).toEqual([1, 1, 1]);
  });

  it('branches: not taken 1, taken 3, taken to a non-word-aligned 32-bit instruction 4', () => {
    const { events } = run([
      enc('beq', { rs1: 0, rs2: 0, imm: 8 }), // 0 -> 8 (aligned)
      NOP, // 4
      enc('bne', { rs1: 0, rs2: 0, imm: 8 }), // 8, not taken
      enc('beq', { rs1: 0, rs2: 0, imm: 6 }), // 12 -> 18: a 32-bit instruction at 2 mod 4
      C_NOP, // 16
      NOP, // 18
      enc('beq', { rs1: 0, rs2: 0, imm: 4 }), // 22 -> 26: taken although the target is pc + 4; compressed at 2 mod 4
      C_NOP, // 26
      C_NOP, // 28
    ]);
    expect(cyclesAt(events, 0)).toEqual([3]);
    expect(cyclesAt(events, 8)).toEqual([1]);
    expect(cyclesAt(events, 12)).toEqual([4]);
    expect(cyclesAt(events, 22)).toEqual([3]);
  });

  it('jal: 2 cycles, 3 to a non-word-aligned 32-bit target', () => {
    const { events } = run([
      enc('jal', { rd: 1, imm: 8 }), // 0 -> 8
      NOP,
      enc('jal', { rd: 1, imm: 6 }), // 8 -> 14
      C_NOP, // 12
      NOP, // 14
    ]);
    expect(cyclesAt(events, 0)).toEqual([2]);
    expect(cyclesAt(events, 8)).toEqual([3]);
  });

  it('mret: 5 cycles (a pipeline flush, then the jump to mepc), 6 to a non-word-aligned 32-bit target', () => {
    const mretTo = (target: number) => run([enc('mret'), NOP, C_NOP, NOP, NOP], (h) => h.csrs.write(CSR.mepc, CODE_BASE + target));
    expect(cyclesAt(mretTo(8).events, 0)).toEqual([5]);
    expect(cyclesAt(mretTo(10).events, 0)).toEqual([6]);
    expect(mretTo(8).hart.stats.jumpPenalty).toBe(4);
  });

  it('jalr: 2 cycles, +1 when rs1 comes from the previous instruction, +2 when it was loaded there', () => {
    const { hart, events } = run([
      enc('jalr', { rd: 1, rs1: 10, imm: 0 }), // 0 -> 4, independent
      enc('addi', { rd: 10, rs1: 10, imm: 12 }), // 4
      enc('jalr', { rd: 1, rs1: 10, imm: 0 }), // 8 -> 16, depends on the addi
      NOP, // 12
      enc('lw', { rd: 10, rs1: 11, imm: 0 }), // 16
      enc('jalr', { rd: 0, rs1: 10, imm: 0 }), // 20 -> 28: load-use and jalr dependency
      NOP, // 24
      NOP, // 28
    ], (h) => {
      h.regs[10] = CODE_BASE + 4;
      h.regs[11] = DATA_BASE;
      h.memory.writeBytes(DATA_BASE, Uint8Array.of(...[0, 8, 16, 24].map((s) => ((CODE_BASE + 28) >>> s) & 0xff)));
    });
    expect(hart.regs[10]).toBe(CODE_BASE + 28);
    expect(cyclesAt(events, 0)).toEqual([2]);
    expect(cyclesAt(events, 8)).toEqual([3]);
    expect(cyclesAt(events, 20)).toEqual([4]);
  });

  it('jalr after a load two instructions back: +1, unless the instruction between stalled', () => {
    // The usual epilogue: lw ra, ...; addi sp, ...; ret
    const epilogue = (between: number) => run([
      enc('auipc', { rd: 1, imm: 0 }),
      enc('addi', { rd: 1, rs1: 1, imm: 24 }), // ra = address of the nop after the ret
      enc('sw', { rs1: 2, rs2: 1, imm: -4 }),
      enc('lw', { rd: 1, rs1: 2, imm: -4 }),
      between,
      enc('jalr', { rd: 0, rs1: 1, imm: 0 }),
      NOP,
    ], (h) => (h.regs[2] = DATA_BASE));
    expect(cyclesAt(epilogue(enc('addi', { rd: 2, rs1: 2, imm: 16 })).events, 20)).toEqual([3]);
    // load done meanwhile, and the jump, taken while mulh holds EX, hides its redirect
    expect(cyclesAt(epilogue(enc('mulh', { rd: 5, rs1: 6, rs2: 7 })).events, 20)).toEqual([1]);
    expect(cyclesAt(epilogue(enc('addi', { rd: 5, rs1: 1, imm: 0 })).events, 20)).toEqual([2]); // load-use stalled it
  });

  it('jalr whose link register is its rs1: +1, on top of the other jalr stalls and the target penalty', () => {
    const T0 = 5, T1 = 6;
    // rs1 = t0 holds the address of the final nop; `before` runs first, then the jalr at 8 + 4.
    const jalrAfter = (before: number, jalr: number | { half: number }, pad: (number | { half: number })[] = []) => {
      const { events } = run([NOP, NOP, before, jalr, ...pad, NOP], (h) => {
        const jalrLength = typeof jalr === 'number' ? 4 : 2;
        h.regs[T0] = CODE_BASE + 12 + jalrLength + pad.reduce<number>((n, p) => n + (typeof p === 'number' ? 4 : 2), 0);
        h.regs[1] = h.regs[T0]!;
        h.regs[10] = DATA_BASE;
        h.memory.writeBytes(DATA_BASE, Uint8Array.of(...[0, 8, 16, 24].map((b) => (h.regs[T0]! >>> b) & 0xff)));
      });
      return cyclesAt(events, 12);
    };
    const jalr = (rd: number, rs1 = T0) => enc('jalr', { rd, rs1, imm: 0 });
    expect(jalrAfter(NOP, jalr(T1))).toEqual([2]);
    expect(jalrAfter(NOP, jalr(T0))).toEqual([3]);
    expect(jalrAfter(NOP, jalr(0))).toEqual([2]);
    expect(jalrAfter(enc('addi', { rd: T0, rs1: T0, imm: 0 }), jalr(T1))).toEqual([3]); // rs1 from the previous instruction
    expect(jalrAfter(enc('addi', { rd: T0, rs1: T0, imm: 0 }), jalr(T0))).toEqual([4]);
    expect(jalrAfter(enc('lw', { rd: T0, rs1: 10, imm: 0 }), jalr(T0))).toEqual([5]); // load-use, dependency, link
    // to a 32-bit target at an address = 2 mod 4
    expect(jalrAfter(NOP, jalr(T0), [C_NOP])).toEqual([4]);
    // compressed: c.jalr links ra, c.jr links nothing
    expect(jalrAfter(NOP, { half: 0x9082 }, [C_NOP])).toEqual([3]); // c.jalr ra
    expect(jalrAfter(NOP, { half: 0x8082 }, [C_NOP])).toEqual([2]); // c.jr ra
    expect(jalrAfter(NOP, { half: 0x9282 }, [C_NOP])).toEqual([2]); // c.jalr t0
  });

  it('a jump right after an instruction that holds EX (mulh, div, a split access) hides its redirect', () => {
    // The jump is taken in ID while EX is busy; with an aligned target even a jalr's link stall is
    // hidden, a misaligned target still costs its extra cycle (and the link stall).
    const T0 = 5;
    const mulh = enc('mulh', { rd: 6, rs1: 7, rs2: 7 });
    const splitLoad = enc('lw', { rd: 6, rs1: 10, imm: 1 });
    /** Cycles of the jump at 4, after `previous` at 0; `pad` before the target, which t0 points to. */
    const jumpAfter = (previous: number, jump: number, pad: (number | { half: number })[] = []) => {
      const target = 8 + pad.reduce<number>((n, p) => n + (typeof p === 'number' ? 4 : 2), 0);
      const { events } = run([previous, jump, ...pad, NOP], (h) => {
        h.regs[T0] = CODE_BASE + target;
        h.regs[10] = DATA_BASE;
        h.regs[11] = 1;
      });
      return cyclesAt(events, 4);
    };
    const jal = (offset: number) => enc('jal', { rd: 1, imm: offset });
    const jalr = (rd: number) => enc('jalr', { rd, rs1: T0, imm: 0 });
    expect(jumpAfter(mulh, jal(4))).toEqual([1]);
    expect(jumpAfter(splitLoad, jal(4))).toEqual([1]);
    expect(jumpAfter(mulh, jal(6), [C_NOP])).toEqual([2]); // misaligned target
    expect(jumpAfter(mulh, jalr(T0))).toEqual([1]); // link = base, aligned target
    expect(jumpAfter(splitLoad, jalr(T0))).toEqual([1]);
    expect(jumpAfter(mulh, jalr(T0), [C_NOP])).toEqual([3]); // link = base, misaligned target
    expect(jumpAfter(mulh, jalr(0))).toEqual([1]);
    // Not hidden: a jalr waiting for the result, a stall in ID, a branch, mret.
    expect(jumpAfter(enc('div', { rd: T0, rs1: T0, rs2: 11 }), jalr(0))).toEqual([3]);
    expect(jumpAfter(enc('lw', { rd: 6, rs1: 10, imm: 0 }), jal(4))).toEqual([2]);
    expect(jumpAfter(mulh, enc('beq', { rs1: 0, rs2: 0, imm: 4 }))).toEqual([3]);
    expect(jumpAfter(enc('lw', { rd: 1, rs1: 10, imm: 1 }), jal(4))).toEqual([2]); // a split load into the link register
    expect(jumpAfter(enc('lw', { rd: 0, rs1: 10, imm: 1 }), enc('jal', { rd: 0, imm: 4 }))).toEqual([2]); // x0 too
    const mret = run([mulh, enc('mret'), NOP], (h) => h.csrs.write(CSR.mepc, CODE_BASE + 8));
    expect(cyclesAt(mret.events, 4)).toEqual([5]);
  });

  it('mulh, mulhsu, mulhu take 5 cycles', () => {
    const { events } = run(['mulh', 'mulhsu', 'mulhu'].map((m) => enc(m, { rd: 5, rs1: 6, rs2: 7 })));
    expect(events.slice(0, 3).map((e) => e.cycles)).toEqual([5, 5, 5]);
  });

  const divisions: [string, number, number, number][] = [
    ['divu', 1000, 0x80000000 | 0, 3], // no leading zeros: the minimum
    ['div', 1000, 1, 3 + 31],
    ['div', 1000, 7, 3 + 29],
    ['div', -1000, 7, 3 + 29], // the dividend's sign does not matter
    ['rem', 1000, 0x10000, 3 + 15],
    ['remu', 1000, 0xff, 3 + 24],
    ['div', 0, 0, 35], // division by zero: the maximum
    ['remu', 1000, 0, 35],
    // A negative divisor d of div/rem: 2 + the leading zeros of ~d = |d| - 1 (cv32e40p_alu.sv), so
    // one cycle less than |d| would take, except when |d| is a power of two.
    ['div', 1000, -7, 2 + 29],
    ['rem', -1000, -7, 2 + 29],
    ['div', 1000, -3, 2 + 30],
    ['div', 1000, 0x80000001 | 0, 3],
    ['div', 1000, -1, 3 + 31],
    ['div', 1000, -2, 3 + 30],
    ['rem', 1000, -4, 3 + 29],
    ['div', 1000, -0x40000000, 3 + 1],
    ['div', 1000, 0x80000000 | 0, 3],
    ['divu', 1000, -7, 3], // unsigned: the same word has no leading zeros
    ['remu', 1000, -1, 3],
  ];
  it.each(divisions)('%s %i by %i takes %i cycles', (m, dividend, divisor, cycles) => {
    const { events } = runWithRegs([enc(m, { rd: 7, rs1: 5, rs2: 6 })], { 5: dividend, 6: divisor });
    expect(events[0]!.cycles).toBe(cycles);
  });

  it('uses the divisor before the division overwrites it (rd == rs2)', () => {
    const { events } = runWithRegs([enc('divu', { rd: 6, rs1: 5, rs2: 6 })], { 5: 1000, 6: 1 });
    expect(events[0]!.cycles).toBe(34);
  });

  const accesses: [string, number, number][] = [
    ['lw', 0, 1], ['lw', 1, 2], ['lw', 2, 2], ['lw', 3, 2],
    ['lh', 0, 1], ['lh', 1, 1], ['lh', 2, 1], ['lh', 3, 2], // only a halfword crossing a word splits
    ['lb', 3, 1],
    ['sw', 2, 2], ['sh', 3, 2], ['sh', 1, 1],
  ];
  it.each(accesses)('%s at offset %i takes %i cycle(s)', (m, offset, cycles) => {
    const insn = m.startsWith('s') ? enc(m, { rs1: 10, rs2: 0, imm: offset }) : enc(m, { rd: 5, rs1: 10, imm: offset });
    const { events } = runWithRegs([insn], { 10: DATA_BASE });
    expect(events[0]!.cycles).toBe(cycles);
  });

  it('a status CSR in a hardware-loop body just before its last two instructions leaves the back edge to plain decode: +1 (RTL-confirmed)', () => {
    const read = enc('csrrs', { rd: 5, imm: CSR.mcycle, rs1: 0 });
    // Body of 4, count 3: the flush at the second instruction puts the core in plain decode, which
    // reaches the second-last and last instructions there; the edge costs a jump in iterations 1 and 2.
    const early = run([enc('cv.setupi', { loop: 0, imm2: 3, imm: 20 }), NOP, read, NOP, enc('addi', { rd: 7, rs1: 7, imm: 1 })]);
    expect(cyclesAt(early.events, 16)).toEqual([2, 2, 1]);
    expect(early.hart.regs[7]).toBe(3);
    // At the first of a body of 5 the core is back in its loop state before the end: no cost.
    const late = run([enc('cv.setupi', { loop: 0, imm2: 3, imm: 24 }), read, NOP, NOP, NOP, NOP]);
    expect(cyclesAt(late.events, 20)).toEqual([1, 1, 1]);
  });

  it('csrr mcycle flushes the pipeline: two back-to-back reads differ by 4', () => {
    const read = (rd: number, csr: number): number => enc('csrrs', { rd, imm: csr, rs1: 0 });
    const { hart, events } = run([read(5, CSR.mcycle), read(6, CSR.mcycle), read(7, CSR.mscratch), read(8, CSR.mhartid), read(9, CSR.minstret)]);
    expect(hart.regs[6]! - hart.regs[5]!).toBe(4);
    expect(events.slice(0, 5).map((e) => e.cycles)).toEqual([4, 4, 1, 1, 4]);
    expect(hart.regs[9]).toBe(4); // instructions retired before it
  });

  it('reading privlv or an unprivileged counter mirror flushes the pipeline too (status CSRs of cv32e40p_decoder.sv; RTL: 4 cycles)', () => {
    const read = (rd: number, csr: number): number => enc('csrrs', { rd, imm: csr, rs1: 0 });
    const { events } = run([read(5, CSR.privlv), read(6, CSR.cycle), read(7, CSR.instreth), read(8, CSR.uhartid)]);
    expect(events.slice(0, 4).map((e) => e.cycles)).toEqual([4, 4, 4, 1]);
  });

  it('fence and fence.i cost 4 cycles: the decoder treats fence as fence.i, which flushes the pipeline', () => {
    const { hart, events } = runWithRegs([
      enc('fence', { imm: 15, imm2: 15 }),
      enc('fence.i'),
      enc('fence', { imm: 3, imm2: 3 }), // fence rw, rw
      enc('lw', { rd: 5, rs1: 10, imm: 0 }),
      enc('fence', { imm: 15, imm2: 15 }), // a load before it adds nothing
    ], { 10: DATA_BASE });
    expect(events.slice(0, 5).map((e) => e.cycles)).toEqual([4, 4, 4, 1, 4]);
    expect(hart.stats.fenceStalls).toBe(12);
  });

  it('fence: 5 cycles when the next instruction is a 32-bit one at an address = 2 mod 4 (its jump pays)', () => {
    const fence = enc('fence', { imm: 15, imm2: 15 });
    expect(cyclesAt(run([C_NOP, fence, NOP]).events, 2)).toEqual([5]);
    expect(cyclesAt(run([C_NOP, fence, C_NOP, NOP]).events, 2)).toEqual([4]);
  });
});

describe('traps taken (docs/cv32e40p.md#timing, docs/iss.md#traps)', () => {
  const HANDLER = 0x2000;
  const T0 = 5, A1 = 11;
  /** Back past the trapping instruction (4 bytes) from a handler at HANDLER. */
  const handler = [
    enc('csrrs', { rd: T0, imm: CSR.mepc, rs1: 0 }),
    enc('addi', { rd: T0, rs1: T0, imm: 4 }),
    enc('csrrw', { rd: 0, imm: CSR.mepc, rs1: T0 }),
    enc('mret'),
  ];
  const withHandler = (h: Hart): void => {
    h.memory.writeBytes(HANDLER, bytesOf(handler));
    h.csrs.write(CSR.mtvec, HANDLER);
  };
  /** Cycles from the instruction before each trap to the handler's first instruction, less that one's own. */
  const entries = (events: readonly RetireEvent[]): number[] =>
    events.flatMap((e, i) => (e.pc === HANDLER && i > 0 ? [e.cycle - e.cycles - events[i - 1]!.cycle] : []));

  it('ecall, ebreak and an illegal CSR access: 4 cycles until the handler (FLUSH_EX, FLUSH_WB, then the jump)', () => {
    const { events, hart } = run([
      enc('addi', { rd: 17, rs1: 0, imm: 7 }), enc('ecall'), enc('ebreak'), enc('csrrw', { rd: 0, imm: CSR.mhartid, rs1: 5 }),
    ], withHandler);
    expect(entries(events)).toEqual([4, 4, 4]);
    expect(hart.stats.trapCycles).toBe(12);
  });

  it('a word the decoder rejects: 5 cycles; 4 inside a hardware-loop body after its first instruction (the loop decode state)', () => {
    const ILLEGAL = 0xffffffff | 0;
    expect(entries(run([NOP, ILLEGAL], withHandler).events)).toEqual([5]);
    // Three iterations of [illegal, nop, nop]: the first decode of the body is plain, the next two are not.
    const loop = run([enc('cv.setupi', { loop: 0, imm2: 3, imm: 16 }), ILLEGAL, NOP, NOP], withHandler);
    expect(entries(loop.events)).toEqual([5, 4, 4]);
  });

  it('a load, a store or a fetch outside memory: 4 cycles (the CV32E40P raises none; the ISS charges an exception\'s entry)', () => {
    const outside = (h: Hart): void => {
      withHandler(h);
      h.regs[A1] = RAM_SIZE + 0x100;
    };
    const { events, hart } = run([NOP, enc('lw', { rd: 6, rs1: A1, imm: 0 }), enc('sw', { rs1: A1, rs2: 6, imm: 0 })], outside);
    expect(entries(events)).toEqual([4, 4]);
    expect(hart.stats.trapCycles).toBe(8);
  });

  it('a trapping instruction waits for its load-use stall first: 1 + 4', () => {
    const loaded = (h: Hart): void => {
      withHandler(h);
      h.regs[A1] = DATA_BASE;
    };
    const { events } = run([enc('lw', { rd: 6, rs1: A1, imm: 0 }), enc('csrrw', { rd: 0, imm: CSR.mhartid, rs1: 6 })], loaded);
    expect(entries(events)).toEqual([5]);
  });

  it('mret into the second-last instruction of a loop body with iterations left: its back edge then costs a jump (+1)', () => {
    // Body [ebreak, addi, addi], count 2: the handler returns past the ebreak, to the second-last.
    const loop = run([enc('cv.setupi', { loop: 0, imm2: 2, imm: 16 }), enc('ebreak'), NOP, enc('addi', { rd: 7, rs1: 7, imm: 1 })], withHandler);
    expect(cyclesAt(loop.events, 12)).toEqual([2, 1]);
    expect(loop.hart.regs[7]).toBe(2);
  });
});

describe('data-port grant delays on a lone hart (isa/platform/grant-delay.ts, sim/core/delayed-bus.ts)', () => {
  const T0 = 5;
  /** Run `code` with every data request delayed by `delay`, a0 = DATA_BASE, t0 = the code at `target`. */
  const runDelayed = (code: readonly (number | { half: number })[], delay: GrantDelay, target = 0) => {
    const memory = new MappedMemory([{ name: 'ram', base: 0, size: RAM_SIZE }]);
    memory.writeBytes(CODE_BASE, bytesOf([...code, ...EXIT]));
    const bus = new DelayedGrantBus(memory, delay);
    const hart = new Hart(bus, { resetPc: CODE_BASE });
    bus.hart = hart;
    const events: RetireEvent[] = [];
    hart.onRetire = (e) => events.push(e);
    hart.regs[10] = DATA_BASE;
    hart.regs[T0] = CODE_BASE + target;
    hart.run(1_000_000);
    return { hart, events };
  };
  const lw = (imm: number) => enc('lw', { rd: 6, rs1: 10, imm });
  const sw = (imm: number) => enc('sw', { rs1: 10, rs2: 8, imm });

  it('costs +g per transaction: a split access is two, instruction fetches none', () => {
    const { hart, events } = runDelayed([lw(0), sw(4), lw(1), enc('sh', { rs1: 10, rs2: 8, imm: 3 }), enc('lh', { rd: 7, rs1: 10, imm: 1 }), NOP], { kind: 'fixed', cycles: 3 });
    expect(events.slice(0, 6).map((e) => e.cycles)).toEqual([1 + 3, 1 + 3, 2 + 2 * 3, 2 + 2 * 3, 1 + 3, 1]);
    expect(hart.stats.memoryWait).toBe(7 * 3);
  });

  it('draws random delays in program order, one per transaction, from the seed alone', () => {
    const delay: GrantDelay = { kind: 'random', seed: 5, max: 3 };
    const draws = grantDelays(delay);
    const expected = [1 + draws(), 2 + draws() + draws(), 1 + draws()];
    const { events } = runDelayed([lw(0), lw(2), sw(8)], delay);
    expect(events.slice(0, 3).map((e) => e.cycles)).toEqual(expected);
    expect(new Set(Array.from({ length: 64 }, grantDelays(delay)))).toEqual(new Set([0, 1, 2, 3]));
  });

  it('a jump right after a delayed access hides its redirect, as after a split one (RTL-confirmed)', () => {
    const jal = enc('jal', { rd: 1, imm: 4 });
    const delayed: GrantDelay = { kind: 'fixed', cycles: 2 };
    expect(cyclesAt(runDelayed([lw(0), jal, NOP], delayed).events, 4)).toEqual([1]);
    expect(cyclesAt(runDelayed([sw(0), enc('jalr', { rd: T0, rs1: T0, imm: 0 }), NOP], delayed, 8).events, 4)).toEqual([1]);
    expect(cyclesAt(runDelayed([lw(0), jal, NOP], { kind: 'fixed', cycles: 0 }).events, 4)).toEqual([2]);
    expect(cyclesAt(runDelayed([enc('lw', { rd: 1, rs1: 10, imm: 0 }), jal, NOP], delayed).events, 4)).toEqual([2]); // a load into the link register
  });

  it('gives the interpreter and compiled blocks identical runs', () => {
    for (const source of [HAZARDS, MISALIGNED, HWLOOP_KERNELS]) {
      for (const grantDelay of [{ kind: 'fixed', cycles: 2 }, { kind: 'random', seed: 9, max: 3 }] as const) {
        const { reference } = compareSingle(elfOf(source), { grantDelay });
        expect(reference.stop?.kind).toBe('exit');
      }
    }
  });
});

describe('software sparse gather, per 4 non-zeros in a hardware loop (docs/cv32e40p.md#software-sparse-gather)', () => {
  // Registers: a0 index pointer, a1 weight pointer, a2 activation base, s0 accumulator, s1 gathered
  // activations, t0..t3 per-lane temporaries, t4 the 4 packed 8-bit indices, t5 the 4 weights.
  const [A0, A1, A2, S0, S1, T0, T1, T2, T3, T4, T5] = [10, 11, 12, 8, 9, 5, 6, 7, 28, 29, 30];
  const T = [T0, T1, T2, T3] as const;
  const loads = [enc('cv.lw', { rd: T4, rs1: A0, imm: 4 }, 'imm12'), enc('cv.lw', { rd: T5, rs1: A1, imm: 4 }, 'imm12')];
  const extract = (k: number) => enc('cv.extractu', { rd: T[k]!, rs1: T4, imm2: 7, imm: 8 * k });
  const addBase = (k: number) => enc('add', { rd: T[k]!, rs1: A2, rs2: T[k]! });
  const lbu = (k: number) => enc('lbu', { rd: T[k]!, rs1: T[k]!, imm: 0 });
  const lbuIndexed = (k: number) => enc('cv.lbu', { rd: T[k]!, rs1: A2, rs2: T[k]! }, '{rs2}({rs1})');
  const insert = (k: number) => enc('cv.insert.b', { rd: S1, rs1: T[k]!, imm: k });
  const dot = enc('cv.sdotusp.b', { rd: S0, rs1: S1, rs2: T5 });

  const naive = [...loads, ...[0, 1, 2, 3].flatMap((k) => [extract(k), addBase(k), lbu(k), insert(k)]), dot];
  const scheduled = [
    ...loads,
    extract(0), addBase(0), lbu(0), extract(1), addBase(1), lbu(1), insert(0),
    extract(2), addBase(2), lbu(2), insert(1), extract(3), addBase(3), lbu(3), insert(2), insert(3),
    dot,
  ];
  const indexed = [
    ...loads,
    extract(0), extract(1), lbuIndexed(0), extract(2), lbuIndexed(1), insert(0), extract(3),
    lbuIndexed(2), insert(1), lbuIndexed(3), insert(2), insert(3),
    dot,
  ];

  const GROUPS = 8;
  const INDICES = DATA_BASE;
  const WEIGHTS = DATA_BASE + 0x100;
  const ACTIVATIONS = DATA_BASE + 0x200;

  function gather(body: number[]) {
    const setup = enc('cv.setupi', { loop: 0, imm2: GROUPS, imm: 4 * (body.length + 1) });
    const { hart, events } = run([setup, ...body], (h) => {
      const activations = Uint8Array.from({ length: 256 }, (_, i) => (i * 37 + 11) & 0xff);
      const indices = Uint8Array.from({ length: 4 * GROUPS }, (_, i) => (i * 53 + 7) & 0xff);
      const weights = Int8Array.from({ length: 4 * GROUPS }, (_, i) => ((i * 29) % 255) - 127);
      h.memory.writeBytes(ACTIVATIONS, activations);
      h.memory.writeBytes(INDICES, indices);
      h.memory.writeBytes(WEIGHTS, new Uint8Array(weights.buffer));
      h.regs[A0] = INDICES;
      h.regs[A1] = WEIGHTS;
      h.regs[A2] = ACTIVATIONS;
      let expected = 0;
      for (let i = 0; i < 4 * GROUPS; i++) expected += activations[indices[i]!]! * weights[i]!;
      h.regs[31] = expected; // kept for the assertion below
    });
    const loopCycles = events.slice(1, -2).reduce((s, e) => s + e.cycles, 0);
    return { cyclesPerGroup: loopCycles / GROUPS, result: hart.regs[S0]!, expected: hart.regs[31]! };
  }

  it.each([
    ['naive', naive, 23],
    ['scheduled', scheduled, 19],
    ['with the indexed cv.lbu', indexed, 15],
  ] as [string, number[], number][])('%s: %i cycles', (_name, body, cycles) => {
    const { cyclesPerGroup, result, expected } = gather(body);
    expect(result).toBe(expected);
    expect(cyclesPerGroup).toBe(cycles);
  });
});
