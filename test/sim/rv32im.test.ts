import { describe, expect, it } from 'vitest';
import { alu, aluImm, CODE_BASE, DATA_BASE, enc, run, runWithRegs } from './harness.js';

const MIN = -0x80000000;
const MAX = 0x7fffffff;

describe('RV32I register-register', () => {
  const cases: [string, number, number, number][] = [
    ['add', 5, 7, 12],
    ['add', MAX, 1, MIN], // wraps
    ['sub', 3, 5, -2],
    ['sub', MIN, 1, MAX],
    ['sll', 1, 31, MIN],
    ['sll', 1, 33, 2], // shift amount uses rs2[4:0]
    ['srl', MIN, 31, 1],
    ['sra', MIN, 31, -1],
    ['slt', -1, 0, 1],
    ['sltu', -1, 0, 0], // 0xffffffff is large unsigned
    ['xor', 0b1100, 0b1010, 0b0110],
    ['or', 0b1100, 0b1010, 0b1110],
    ['and', 0b1100, 0b1010, 0b1000],
  ];
  it.each(cases)('%s(%i, %i) = %i', (m, a, b, expected) => expect(alu(m, a, b)).toBe(expected));
});

describe('RV32I register-immediate', () => {
  const cases: [string, number, number, number][] = [
    ['addi', 1, -1, 0],
    ['addi', MAX, 1, MIN],
    ['slti', -5, -4, 1],
    ['sltiu', 5, -1, 1], // the immediate is sign-extended, then compared unsigned
    ['xori', 0x0f, -1, ~0x0f],
    ['ori', 0x100, 0x0ff, 0x1ff],
    ['andi', -1, 0x7ff, 0x7ff],
    ['slli', 3, 4, 48],
    ['srli', -1, 28, 0xf],
    ['srai', -256, 4, -16],
  ];
  it.each(cases)('%s(%i, %i) = %i', (m, a, imm, expected) => expect(aluImm(m, a, { imm })).toBe(expected));

  it('lui and auipc', () => {
    const { hart } = run([enc('lui', { rd: 5, imm: 0xfffff000 | 0 }), enc('auipc', { rd: 6, imm: 0x1000 })]);
    expect(hart.regs[5]).toBe(-4096);
    expect(hart.regs[6]).toBe(CODE_BASE + 4 + 0x1000);
  });
});

describe('writes to x0', () => {
  it('are discarded by every kind of instruction', () => {
    const { hart, events } = runWithRegs([
      enc('addi', { rd: 0, rs1: 0, imm: 5 }),
      enc('lw', { rd: 0, rs1: 6, imm: 0 }),
      enc('jal', { rd: 0, imm: 4 }),
      enc('cv.mac', { rd: 0, rs1: 7, rs2: 7 }),
      enc('cv.lw', { rd: 0, rs1: 6, imm: 4 }, 'imm12'),
      enc('add', { rd: 5, rs1: 0, rs2: 0 }),
    ], { 6: DATA_BASE, 7: 3 });
    expect(hart.regs[0]).toBe(0);
    expect(hart.regs[5]).toBe(0);
    expect(hart.regs[6]).toBe(DATA_BASE + 4); // the post-increment still happens
    expect(events[0]!.regWrites).toEqual([]);
  });
});

describe('RV32I loads and stores', () => {
  it('sign- and zero-extend, little-endian', () => {
    const { hart } = runWithRegs([
      enc('sw', { rs1: 10, rs2: 11, imm: 0 }),
      enc('lb', { rd: 5, rs1: 10, imm: 0 }),
      enc('lbu', { rd: 6, rs1: 10, imm: 0 }),
      enc('lh', { rd: 7, rs1: 10, imm: 2 }),
      enc('lhu', { rd: 8, rs1: 10, imm: 2 }),
      enc('lw', { rd: 9, rs1: 10, imm: 0 }),
      enc('sb', { rs1: 10, rs2: 11, imm: 5 }),
      enc('sh', { rs1: 10, rs2: 11, imm: 6 }),
      enc('lw', { rd: 12, rs1: 10, imm: 4 }),
    ], { 10: DATA_BASE, 11: 0x8234_5681 | 0 });
    expect(hart.regs[5]).toBe(-127); // 0x81
    expect(hart.regs[6]).toBe(0x81);
    expect(hart.regs[7]).toBe(0x8234 - 0x10000);
    expect(hart.regs[8]).toBe(0x8234);
    expect(hart.regs[9]).toBe(0x8234_5681 | 0);
    expect(hart.regs[12]).toBe(0x5681_8100 | 0);
  });

  it('allow misaligned accesses by default (two bus transactions)', () => {
    const { hart, memory } = runWithRegs([enc('sw', { rs1: 10, rs2: 11, imm: 1 }), enc('lw', { rd: 5, rs1: 10, imm: 1 })], { 10: DATA_BASE, 11: 0x11223344 });
    expect(hart.regs[5]).toBe(0x11223344);
    expect(Array.from(memory.readBytes(DATA_BASE, 5))).toEqual([0, 0x44, 0x33, 0x22, 0x11]);
  });
});

describe('RV32I control transfer', () => {
  const branches: [string, number, number, boolean][] = [
    ['beq', 3, 3, true], ['beq', 3, 4, false],
    ['bne', 3, 4, true], ['bne', 3, 3, false],
    ['blt', -1, 0, true], ['blt', 0, -1, false],
    ['bge', 0, 0, true], ['bge', -1, 0, false],
    ['bltu', 0, -1, true], ['bltu', -1, 0, false],
    ['bgeu', -1, 0, true], ['bgeu', 0, -1, false],
  ];
  it.each(branches)('%s %i, %i taken=%s', (m, a, b, taken) => {
    // The branch skips one addi when taken.
    const { hart } = runWithRegs([enc(m, { rs1: 6, rs2: 7, imm: 8 }), enc('addi', { rd: 5, rs1: 5, imm: 1 })], { 6: a, 7: b });
    expect(hart.regs[5]).toBe(taken ? 0 : 1);
  });

  it('jal and jalr link the next instruction and jalr clears bit 0', () => {
    const { hart, events } = runWithRegs([
      enc('jal', { rd: 1, imm: 8 }), // -> +8
      enc('addi', { rd: 5, rs1: 0, imm: 99 }), // skipped
      enc('jalr', { rd: 6, rs1: 10, imm: 1 }), // target (x10 + 1) & ~1
      enc('addi', { rd: 5, rs1: 0, imm: 98 }), // skipped
    ], { 10: CODE_BASE + 16 });
    expect(hart.regs[1]).toBe(CODE_BASE + 4);
    expect(hart.regs[6]).toBe(CODE_BASE + 12);
    expect(hart.regs[5]).toBe(0);
    expect(events.map((e) => e.pc - CODE_BASE).slice(0, 3)).toEqual([0, 8, 16]);
  });

  it('jalr reads rs1 before writing rd when they are the same register', () => {
    const { hart } = runWithRegs([enc('jalr', { rd: 10, rs1: 10, imm: 0 }), enc('addi', { rd: 5, rs1: 0, imm: 1 })], { 10: CODE_BASE + 8 });
    expect(hart.regs[10]).toBe(CODE_BASE + 4);
    expect(hart.regs[5]).toBe(0);
  });
});

describe('RV32M', () => {
  const cases: [string, number, number, number][] = [
    ['mul', 7, -3, -21],
    ['mul', 0x10000, 0x10000, 0], // low word of 2^32
    ['mul', MIN, -1, MIN],
    ['mulh', MIN, MIN, 0x40000000],
    ['mulh', -1, -1, 0],
    ['mulh', MAX, MAX, 0x3fffffff],
    ['mulh', MIN, MAX, -0x40000000],
    ['mulhsu', -1, -1, -1], // -1 * 0xffffffff = -(2^32 - 1): high word -1
    ['mulhsu', MIN, -1, MIN], // -2^31 * (2^32-1) = -2^63 + 2^31 -> high word 0x80000000
    ['mulhu', -1, -1, -2], // (2^32-1)^2 high word 0xfffffffe
    ['mulhu', 0x80000000 | 0, 2, 1],
    ['div', 20, -3, -6], // truncates toward zero
    ['div', -20, 3, -6],
    ['div', 5, 0, -1], // division by zero: all ones
    ['div', MIN, -1, MIN], // overflow: the dividend
    ['divu', -1, 2, 0x7fffffff],
    ['divu', 5, 0, -1],
    ['rem', -20, 3, -2], // sign of the dividend
    ['rem', 20, -3, 2],
    ['rem', 5, 0, 5], // remainder by zero: the dividend
    ['rem', MIN, -1, 0],
    ['remu', -1, 10, 5], // 4294967295 % 10
    ['remu', 5, 0, 5],
  ];
  it.each(cases)('%s(%i, %i) = %i', (m, a, b, expected) => expect(alu(m, a, b)).toBe(expected));
});
