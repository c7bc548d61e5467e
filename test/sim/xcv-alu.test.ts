import { describe, expect, it } from 'vitest';
import { alu, aluImm } from './harness.js';

const MIN = -0x80000000;
const MAX = 0x7fffffff;

describe('CORE-V scalar ALU', () => {
  const binary: [string, number, number, number][] = [
    ['cv.min', -5, 3, -5],
    ['cv.minu', -5, 3, 3],
    ['cv.max', -5, 3, 3],
    ['cv.maxu', -5, 3, -5],
    ['cv.slet', 3, 3, 1],
    ['cv.slet', -1, -2, 0],
    ['cv.sletu', -1, 1, 0],
    ['cv.clipr', 200, 127, 127], // [-128, 127]
    ['cv.clipr', -200, 127, -128],
    ['cv.clipr', -128, 127, -128],
    ['cv.clipr', 5, 127, 5],
    ['cv.clipur', 300, 255, 255], // [0, 255]
    ['cv.clipur', -3, 255, 0],
    ['cv.clipur', 17, 255, 17],
    // The ID stage clears rs2's bit 31 (cv32e40p_id_stage.sv): -24 is the bound 0x7fffffe8.
    ['cv.clipur', 2, -24, 2],
    ['cv.clipr', -5, -5, -5], // bound 0x7ffffffb
    ['cv.clipr', MIN, MIN, -1], // rs2 = 0x80000000 is the bound 0: [-1, 0]
    ['cv.ror', 0x12345678, 8, 0x78123456],
    ['cv.ror', 1, 32, 1], // rs2[4:0]
  ];
  it.each(binary)('%s(%i, %i) = %i', (m, a, b, expected) => expect(alu(m, a, b)).toBe(expected));

  const unary: [string, number, number][] = [
    ['cv.abs', -7, 7],
    ['cv.abs', MIN, MIN], // no positive counterpart: wraps
    ['cv.exths', 0x1234_8001, 0x8001 - 0x10000],
    ['cv.exthz', 0x1234_8001, 0x8001],
    ['cv.extbs', 0x1234_5680, -128],
    ['cv.extbz', 0x1234_5680, 0x80],
    ['cv.ff1', 0b1000, 3],
    ['cv.ff1', 0, 32],
    ['cv.fl1', 0b1000, 3],
    ['cv.fl1', MIN, 31],
    ['cv.fl1', 0, 32],
    ['cv.clb', 0, 0],
    ['cv.clb', -1, 31],
    ['cv.clb', 1, 30],
    ['cv.clb', 0x0000ffff, 15],
    ['cv.cnt', -1, 32],
    ['cv.cnt', 0x0f0f0001, 9],
  ];
  it.each(unary)('%s(%i) = %i', (m, a, expected) => expect(aluImm(m, a, {})).toBe(expected));

  const clips: [string, number, number, number][] = [
    ['cv.clip', 200, 8, 127], // Is2 = 8: int8 range
    ['cv.clip', -200, 8, -128],
    ['cv.clip', -128, 8, -128],
    ['cv.clip', 1, 1, 0], // Is2 = 1: [-1, 0]
    ['cv.clip', -5, 1, -1],
    ['cv.clip', MAX, 0, 0], // Is2 = 0: the RTL's bound ((1 << 0) - 1) >> 1 is 0, [-1, 0]
    ['cv.clip', MIN, 0, -1],
    ['cv.clipu', 0x03ffb5bf, 0, 0], // Is2 = 0: bound 0
    ['cv.clip', 1 << 30, 31, 0x3fffffff],
    ['cv.clipu', 300, 9, 255], // docs/cv32e40p.md: clipping to uint8 is Is2 = 9
    ['cv.clipu', -1, 9, 0],
    ['cv.clipu', 255, 9, 255],
    ['cv.clipu', 70000, 17, 65535],
    ['cv.clipu', 40000, 17, 40000],
  ];
  it.each(clips)('%s(%i, Is2=%i) = %i', (m, a, is2, expected) => expect(aluImm(m, a, { imm: is2 })).toBe(expected));
});

describe('CORE-V multiply-accumulate', () => {
  it.each([
    ['cv.mac', 3, 4, 10, 22],
    ['cv.mac', MAX, 2, 0, -2], // low 32 bits of the product
    ['cv.mac', -3, 4, 10, -2],
    ['cv.msu', 3, 4, 10, -2],
    ['cv.msu', MIN, 1, 0, MIN],
  ] as [string, number, number, number, number][])('%s(%i, %i) with rd=%i gives %i', (m, a, b, acc, expected) => {
    expect(alu(m, a, b, acc)).toBe(expected);
  });
});

describe('CORE-V bit manipulation', () => {
  const imm: [string, number, number, number, number, number][] = [
    // mnemonic, rs1, Is3 (length-1), Is2 (position), rd before, result
    ['cv.extract', 0x0000_0f00, 3, 8, 0, -1], // field 1111 sign-extended
    ['cv.extract', 0x0000_0700, 3, 8, 0, 7],
    ['cv.extractu', 0x0000_0f00, 3, 8, 0, 15],
    ['cv.extractu', -1, 31, 0, 0, -1], // a 32-bit field
    ['cv.extractu', 0x1234_5678, 7, 28, 0, 0x1], // field truncated at bit 31
    ['cv.insert', 0b101, 2, 4, -1, ~0b0100000], // bits 6..4 become 101
    ['cv.insert', 0xff, 3, 28, 0, 0xf0000000 | 0],
    ['cv.bclr', -1, 3, 4, 0, ~0xf0 | 0],
    ['cv.bset', 0, 0, 31, 0, MIN],
    ['cv.bset', 0, 7, 8, 0, 0xff00],
  ];
  it.each(imm)('%s(%i, Is3=%i, Is2=%i) with rd=%i = %i', (m, a, is3, is2, acc, expected) => {
    expect(aluImm(m, a, { imm2: is3, imm: is2 }, acc)).toBe(expected);
  });

  it('register forms take length-1 from rs2[9:5] and the position from rs2[4:0]', () => {
    const field = (len1: number, pos: number): number => (len1 << 5) | pos;
    expect(alu('cv.extractr', 0x0000_0f00, field(3, 8))).toBe(-1);
    expect(alu('cv.extractur', 0x0000_0f00, field(3, 8))).toBe(15);
    expect(alu('cv.insertr', 0b101, field(2, 4), -1)).toBe(~0b0100000);
    expect(alu('cv.bclrr', -1, field(3, 4))).toBe(~0xf0 | 0);
    expect(alu('cv.bsetr', 0, field(7, 8))).toBe(0xff00);
  });

  const bitrev: [number, number, number, number][] = [
    // rs1, radix selector, Is2, result
    [1, 0, 0, MIN], // radix 2: plain bit reversal
    [0b0110, 0, 0, 0x60000000],
    [0b1, 0, 4, 0x08000000], // shifted left by Is2 first
    [0b01, 1, 0, 0x40000000], // radix 4: 2-bit digits reversed, each kept in order
    [0b0111, 1, 0, 0xd0000000 | 0],
    [0x20000000, 2, 0, 1], // radix 8: 3-bit digits counted from bit 31 ...
    [0xc0000000 | 0, 2, 0, 6],
    [0b11, 2, 0, 0], // ... so the low 2 bits belong to no digit and are dropped
  ];
  it.each(bitrev)('cv.bitrev(%i, radix %i, Is2=%i) = %i', (a, radix, is2, expected) => {
    expect(aluImm('cv.bitrev', a, { imm2: radix, imm: is2 })).toBe(expected);
  });
});
