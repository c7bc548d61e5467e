import { describe, expect, it } from 'vitest';
import { CSR } from '../../isa/csr-names.js';
import { formatInstruction } from '../../isa/disassembler.js';
import { Hart } from '../../sim/core/hart.js';
import { MappedMemory } from '../../sim/core/memory.js';
import { SyscallEnvironment } from '../../sim/core/environment.js';
import { bytesOf, CODE_BASE, DATA_BASE, enc, load, run, runWithRegs } from './harness.js';

const csrr = (rd: number, csr: number): number => enc('csrrs', { rd, imm: csr, rs1: 0 });
const csrw = (csr: number, rs1: number): number => enc('csrrw', { rd: 0, imm: csr, rs1 });

describe('retire hook', () => {
  it('reports pc, word, register writes, data accesses and the cycle of every instruction', () => {
    const { events } = runWithRegs([
      enc('cv.lw', { rd: 5, rs1: 10, imm: 4 }, 'imm12'),
      enc('add', { rd: 6, rs1: 5, rs2: 5 }),
      enc('sh', { rs1: 10, rs2: 6, imm: 2 }),
    ], { 10: DATA_BASE });
    expect(events.slice(0, 3).map(({ pc, word, cycle, cycles, regWrites, dataAccesses }) => ({ pc, word, cycle, cycles, regWrites, dataAccesses }))).toEqual([
      { pc: CODE_BASE, word: 0x0045228b, cycle: 1, cycles: 1, regWrites: [{ reg: 5, value: 0 }, { reg: 10, value: DATA_BASE + 4 }], dataAccesses: [{ addr: DATA_BASE, size: 4, value: 0, write: false }] },
      { pc: CODE_BASE + 4, word: enc('add', { rd: 6, rs1: 5, rs2: 5 }), cycle: 3, cycles: 2, regWrites: [{ reg: 6, value: 0 }], dataAccesses: [] },
      { pc: CODE_BASE + 8, word: enc('sh', { rs1: 10, rs2: 6, imm: 2 }), cycle: 4, cycles: 1, regWrites: [], dataAccesses: [{ addr: DATA_BASE + 6, size: 2, value: 0, write: true }] },
    ]);
    expect(formatInstruction(events[0]!.insn)).toBe('cv.lw t0, (a0), 4');
  });

  it('lists both writes of a post-increment load into its own base, in the CV32E40P order: the incremented base, then the loaded value', () => {
    const { events, hart } = runWithRegs([
      enc('sw', { rs1: 10, rs2: 11, imm: 0 }),
      enc('cv.lw', { rd: 10, rs1: 10, imm: 4 }, 'imm12'),
      enc('cv.lw', { rd: 12, rs1: 12, rs2: 12 }, '({rs1}), {rs2}'), // the step is the old base too
      enc('cv.lw', { rd: 13, rs1: 13, rs2: 15 }, '({rs1}), {rs2}'),
    ], { 10: DATA_BASE, 11: 0x1234, 12: DATA_BASE, 13: DATA_BASE, 15: -4 });
    expect(events.slice(1, 4).map((e) => e.regWrites)).toEqual([
      [{ reg: 10, value: DATA_BASE + 4 }, { reg: 10, value: 0x1234 }],
      [{ reg: 12, value: (2 * DATA_BASE) | 0 }, { reg: 12, value: 0x1234 }],
      [{ reg: 13, value: DATA_BASE - 4 }, { reg: 13, value: 0x1234 }],
    ]);
    expect([hart.regs[10], hart.regs[12], hart.regs[13]]).toEqual([0x1234, 0x1234, 0x1234]);
  });
});

describe('counters and CSRs', () => {
  it('mcycle and minstret count, can be written, and stop under mcountinhibit', () => {
    const { hart } = runWithRegs([
      csrw(CSR.mcycle, 10), // mcycle = 1000 from its EX cycle, whose increment the write replaces
      csrr(5, CSR.mcycle),
      csrw(CSR.mcountinhibit, 11), // inhibit mcycle and minstret
      csrr(6, CSR.mcycle),
      csrr(7, CSR.minstret),
      csrr(8, CSR.minstret),
      csrw(CSR.mcountinhibit, 0),
      csrr(9, CSR.minstret),
    ], { 10: 1000, 11: 0b101 });
    // As on the CV32E40P RTL: the 3 cycles after the write's own EX cycle, then the 4 of csrr and
    // the EX cycle of the inhibiting write, which counts under the old mcountinhibit.
    expect(hart.regs[5]).toBe(1003);
    expect(hart.regs[6]).toBe(1008);
    expect(hart.regs[7]).toBe(hart.regs[8]);
    // The releasing write retires while still inhibited.
    expect(hart.regs[9]).toBe(hart.regs[8]);
  });

  it('identification and machine CSRs', () => {
    const { hart } = run([csrr(5, CSR.mhartid), csrr(6, CSR.misa), csrr(7, CSR.marchid), csrw(CSR.mscratch, 6), csrr(8, CSR.mscratch), csrr(9, CSR.mcycleh)], () => {}, { hartId: 3 });
    expect(hart.regs[5]).toBe(3);
    expect(hart.regs[6]! >>> 0).toBe(0x40801104); // RV32 I M C X
    expect(hart.regs[7]).toBe(4);
    expect(hart.regs[8]).toBe(hart.regs[6]);
    expect(hart.regs[9]).toBe(0);
  });

  it('CSRs read and keep what the CV32E40P RTL does: mimpid 1, mie its interrupt lines, mcause bit 31 and the code, mtval nothing', () => {
    // cv32e40p_cs_registers.sv with COREV_PULP = 1 and PULP_SECURE = 0; found by the random programs of test/cv32e40p.
    const { hart } = runWithRegs([
      csrr(5, CSR.mimpid),
      csrw(CSR.mie, 10), csrr(6, CSR.mie),
      csrw(CSR.mcause, 10), csrr(7, CSR.mcause),
      csrw(CSR.mtval, 10), csrr(8, CSR.mtval),
    ], { 10: -1 });
    expect([hart.regs[5], hart.regs[6]! >>> 0, hart.regs[7]! >>> 0, hart.regs[8]]).toEqual([1, 0xffff0888, 0x8000001f, 0]);
  });

  it('csrrs/csrrc with x0 do not write, so read-only CSRs can be read with them', () => {
    const { hart } = runWithRegs([
      csrw(CSR.mscratch, 10),
      enc('csrrs', { rd: 5, imm: CSR.mscratch, rs1: 11 }),
      enc('csrrc', { rd: 6, imm: CSR.mscratch, rs1: 12 }),
      enc('csrrwi', { rd: 7, imm: CSR.mscratch, imm2: 31 }),
      enc('csrrsi', { rd: 8, imm: CSR.mscratch, imm2: 0 }),
      enc('csrrs', { rd: 9, imm: CSR.mvendorid, rs1: 0 }),
    ], { 10: 0b1000, 11: 0b0011, 12: 0b1001 });
    expect([hart.regs[5], hart.regs[6], hart.regs[7], hart.regs[8]]).toEqual([0b1000, 0b1011, 0b0010, 31]);
    expect(hart.regs[9]).toBe(0x602);
  });
});

describe('environment and memory map', () => {
  it('write(1, buf, len) sends text to the output and returns len; exit(code) stops', () => {
    const output: string[] = [];
    const memory = new MappedMemory([{ name: 'ram', base: 0, size: 0x10000 }]);
    memory.writeBytes(DATA_BASE, new TextEncoder().encode('hello\n'));
    memory.writeBytes(CODE_BASE, bytesOf([
      enc('addi', { rd: 10, rs1: 0, imm: 1 }),
      enc('lui', { rd: 11, imm: DATA_BASE }),
      enc('addi', { rd: 12, rs1: 0, imm: 6 }),
      enc('addi', { rd: 17, rs1: 0, imm: 64 }),
      enc('ecall'),
      enc('addi', { rd: 10, rs1: 10, imm: 41 }),
      enc('addi', { rd: 17, rs1: 0, imm: 93 }),
      enc('ecall'),
    ]));
    const hart = new Hart(memory, { resetPc: CODE_BASE, environment: new SyscallEnvironment((text) => output.push(text)) });
    const result = hart.run();
    expect(output.join('')).toBe('hello\n');
    expect(result.stop).toEqual({ kind: 'exit', code: 47 });
    expect(result.instret).toBe(8);
  });

  it('stops at ebreak and at wfi, and at the cycle limit', () => {
    expect(load([enc('ebreak')]).hart.run().stop).toEqual({ kind: 'ebreak' });
    expect(load([enc('wfi')]).hart.run().stop).toEqual({ kind: 'wfi' });
    const spin = load([enc('jal', { rd: 0, imm: 0 })]).hart.run(101);
    expect(spin.stop).toEqual({ kind: 'cycle-limit' });
    expect(spin.cycles).toBe(102);
  });

  it('runs code from any region of a multi-region map (riscv-tests base 0x80000000)', () => {
    const memory = new MappedMemory([{ name: 'l2', base: 0x8000_0000, size: 0x1000 }, { name: 'l1', base: 0x1000_0000, size: 0x1000 }]);
    memory.writeBytes(0x8000_0000, bytesOf([
      enc('lui', { rd: 5, imm: 0x1000_0000 }),
      enc('addi', { rd: 6, rs1: 0, imm: 77 }),
      enc('sw', { rs1: 5, rs2: 6, imm: 8 }),
      enc('lw', { rd: 10, rs1: 5, imm: 8 }),
      enc('addi', { rd: 17, rs1: 0, imm: 93 }),
      enc('ecall'),
    ]));
    expect(new Hart(memory, { resetPc: 0x8000_0000 }).run().stop).toEqual({ kind: 'exit', code: 77 });
    expect(() => new MappedMemory([{ name: 'a', base: 0, size: 16 }, { name: 'b', base: 8, size: 16 }])).toThrow(/overlap/);
  });

  it('re-decodes code that the program overwrites', () => {
    // The second instruction is patched from addi x5,x0,1 to addi x5,x0,2 before it first runs,
    // and the store after it patches it back: the loop runs it once with each version.
    const first = enc('addi', { rd: 5, rs1: 5, imm: 1 });
    const second = enc('addi', { rd: 5, rs1: 5, imm: 100 });
    const { hart } = runWithRegs([
      enc('jal', { rd: 0, imm: 4 }),
      first, // 4: executed twice
      enc('sw', { rs1: 10, rs2: 11, imm: 0 }), // 8: patch pc 4
      enc('addi', { rd: 12, rs1: 12, imm: 1 }),
      enc('beq', { rs1: 12, rs2: 13, imm: 8 }), // 16: leave after the second pass
      enc('jal', { rd: 0, imm: -16 }), // 20: back to 4
    ], { 10: CODE_BASE + 4, 11: second, 13: 2 });
    expect(hart.regs[5]).toBe(101);
  });
});
