import { describe, expect, it } from 'vitest';
import { alu, aluImm } from './harness.js';

/** Pack lanes (lane 0 first) into a register value. */
const h2 = (l0: number, l1: number): number => ((l1 & 0xffff) << 16) | (l0 & 0xffff);
const b4 = (l0: number, l1: number, l2: number, l3: number): number =>
  ((l3 & 0xff) << 24) | ((l2 & 0xff) << 16) | ((l1 & 0xff) << 8) | (l0 & 0xff);

describe('CORE-V SIMD element-wise', () => {
  const cases: [string, number, number, number][] = [
    ['cv.add.h', h2(0xffff, 1), h2(1, 2), h2(0, 3)], // lanes wrap independently, no carry across
    ['cv.add.b', b4(0xff, 0x7f, 1, 2), b4(1, 1, 1, 1), b4(0, 0x80, 2, 3)],
    ['cv.sub.h', h2(0, 5), h2(1, 7), h2(0xffff, 0xfffe)],
    ['cv.sub.b', b4(0, 0, 0x80, 9), b4(1, 0xff, 1, 9), b4(0xff, 1, 0x7f, 0)],
    ['cv.min.h', h2(-3, 100), h2(2, -100), h2(-3, -100)], // signed lanes
    ['cv.minu.h', h2(-3, 100), h2(2, -100), h2(2, 100)], // unsigned lanes: 0xfffd > 2
    ['cv.max.b', b4(-1, 5, -128, 127), b4(1, -5, 0, -1), b4(1, 5, 0, 127)],
    ['cv.maxu.b', b4(-1, 5, -128, 127), b4(1, -5, 0, -1), b4(0xff, 0xfb, 0x80, 0xff)],
    ['cv.and.b', b4(0xf0, 0xff, 0, 0x0f), b4(0x3c, 0x0f, 0xff, 0xff), b4(0x30, 0x0f, 0, 0x0f)],
    ['cv.or.h', h2(0xf000, 1), h2(0x000f, 2), h2(0xf00f, 3)],
    ['cv.xor.h', h2(0xffff, 3), h2(0x0f0f, 1), h2(0xf0f0, 2)],
  ];
  it.each(cases)('%s', (m, a, b, expected) => expect(alu(m, a, b)).toBe(expected | 0));

  it('abs per lane, the most negative lane staying negative', () => {
    expect(aluImm('cv.abs.h', h2(-5, -0x8000), {})).toBe(h2(5, 0x8000) | 0);
    expect(aluImm('cv.abs.b', b4(-1, 1, -128, 127), {})).toBe(b4(1, 1, 0x80, 127) | 0);
  });

  it('.sc replicates the lowest lane of rs2, .sci the immediate', () => {
    expect(alu('cv.add.sc.h', h2(1, 2), h2(10, 999))).toBe(h2(11, 12));
    expect(alu('cv.add.sc.b', b4(1, 2, 3, 4), 0x7777_7710)).toBe(b4(0x11, 0x12, 0x13, 0x14));
    expect(aluImm('cv.add.sci.h', h2(1, 2), { imm: -2 })).toBe(h2(-1, 0));
    expect(aluImm('cv.sub.sci.b', b4(1, 2, 3, 4), { imm: 31 })).toBe(b4(-30, -29, -28, -27) | 0);
    expect(aluImm('cv.max.sci.b', b4(-7, 2, -1, 9), { imm: -3 })).toBe(b4(-3, 2, -1, 9) | 0);
    // The unsigned min/max zero-extend Imm6: 63 is not -1.
    expect(aluImm('cv.minu.sci.h', h2(100, 5), { imm: 63 })).toBe(h2(63, 5));
  });
});

describe('CORE-V SIMD dot products', () => {
  const a8 = b4(-1, 2, -128, 127); // as unsigned bytes: 255, 2, 128, 127
  const b8 = b4(3, -4, 5, -6); // as unsigned bytes: 3, 252, 5, 250
  const cases: [string, number, number, number][] = [
    ['cv.dotsp.b', a8, b8, -3 - 8 - 640 - 762],
    ['cv.dotup.b', a8, b8, 255 * 3 + 2 * 252 + 128 * 5 + 127 * 250],
    ['cv.dotusp.b', a8, b8, 255 * 3 + 2 * -4 + 128 * 5 + 127 * -6],
    ['cv.dotsp.h', h2(-2, 30000), h2(3, 30000), -6 + 900000000],
    ['cv.dotup.h', h2(0xffff, 0xffff), h2(0xffff, 0xffff), (2 * 0xffff * 0xffff) | 0], // wraps to 32 bits
    ['cv.dotusp.h', h2(0xffff, 1), h2(-1, -1), -0xffff - 1],
  ];
  it.each(cases)('%s', (m, a, b, expected) => expect(alu(m, a, b)).toBe(expected | 0));

  it('sdot accumulates into rd', () => {
    expect(alu('cv.sdotsp.b', a8, b8, 1000)).toBe(1000 - 3 - 8 - 640 - 762);
    expect(alu('cv.sdotup.h', h2(2, 3), h2(4, 5), -1)).toBe(-1 + 8 + 15);
    expect(alu('cv.sdotusp.b', b4(200, 0, 0, 1), b4(-1, 0, 0, -1), 0)).toBe(-201);
    expect(alu('cv.sdotsp.sc.b', b4(1, 2, 3, 4), b4(-2, 9, 9, 9), 10)).toBe(10 - 20);
  });

  it('.sci sign-extends Imm6 except for the unsigned products', () => {
    expect(aluImm('cv.dotsp.sci.b', b4(1, 1, 1, 1), { imm: -32 })).toBe(-128);
    expect(aluImm('cv.dotusp.sci.h', h2(0xffff, 1), { imm: -1 })).toBe(-0xffff - 1);
    expect(aluImm('cv.dotup.sci.b', b4(1, 1, 1, 1), { imm: 63 })).toBe(252);
    expect(aluImm('cv.sdotup.sci.h', h2(1, 1), { imm: 32 }, 5)).toBe(69);
  });
});

describe('CORE-V SIMD lanes and packing', () => {
  it('extract sign- or zero-extends the selected lane', () => {
    const v = b4(0x01, 0x82, 0x03, 0xf4);
    expect([0, 1, 2, 3].map((lane) => aluImm('cv.extract.b', v, { imm: lane }))).toEqual([1, -126, 3, -12]);
    expect([0, 1, 2, 3].map((lane) => aluImm('cv.extractu.b', v, { imm: lane }))).toEqual([1, 0x82, 3, 0xf4]);
    const w = h2(0x8001, 0x7fff);
    expect([0, 1].map((lane) => aluImm('cv.extract.h', w, { imm: lane }))).toEqual([0x8001 - 0x10000, 0x7fff]);
    expect([0, 1].map((lane) => aluImm('cv.extractu.h', w, { imm: lane }))).toEqual([0x8001, 0x7fff]);
  });

  it('insert replaces one lane of rd with the low lane of rs1', () => {
    expect(aluImm('cv.insert.b', 0x1234_56ab, { imm: 2 }, 0x1111_1111)).toBe(0x11ab_1111);
    expect(aluImm('cv.insert.h', 0x1234_cdef, { imm: 1 }, 0x1111_1111)).toBe(0xcdef_1111 | 0);
    expect(aluImm('cv.insert.h', 0x1234_cdef, { imm: 0 }, 0x1111_1111)).toBe(0x1111_cdef);
  });

  it('shuffle picks lanes of rs1 by selectors; shuffle2 also from rd', () => {
    const v = b4(0x10, 0x11, 0x12, 0x13);
    expect(alu('cv.shuffle.b', v, b4(3, 2, 1, 0))).toBe(b4(0x13, 0x12, 0x11, 0x10));
    expect(alu('cv.shuffle.b', v, b4(0xfd, 1, 1, 1))).toBe(b4(0x11, 0x11, 0x11, 0x11)); // only bits 1:0 count
    expect(alu('cv.shuffle.h', h2(0xaaaa, 0xbbbb), h2(1, 0))).toBe(h2(0xbbbb, 0xaaaa) | 0);
    expect(aluImm('cv.shuffle.sci.h', h2(0xaaaa, 0xbbbb), { imm: 0b01 })).toBe(h2(0xbbbb, 0xaaaa) | 0);
    expect(aluImm('cv.shuffle.sci.h', h2(0xaaaa, 0xbbbb), { imm: 0b00 })).toBe(h2(0xaaaa, 0xaaaa) | 0);
    // shuffleIk: byte 3 <- byte k; Imm6 = {byte2 sel, byte1 sel, byte0 sel}.
    expect(aluImm('cv.shufflei0.sci.b', v, { imm: 0b01_10_11 })).toBe(b4(0x13, 0x12, 0x11, 0x10));
    expect(aluImm('cv.shufflei3.sci.b', v, { imm: 0 })).toBe(b4(0x10, 0x10, 0x10, 0x13));
    // shuffle2: selector bit 2 (.b) / bit 1 (.h) set takes rs1, clear takes rd.
    expect(alu('cv.shuffle2.b', v, b4(4, 0, 7, 3), b4(0x20, 0x21, 0x22, 0x23))).toBe(b4(0x10, 0x20, 0x13, 0x23));
    expect(alu('cv.shuffle2.h', h2(0xaaaa, 0xbbbb), h2(3, 0), h2(0xcccc, 0xdddd))).toBe(h2(0xbbbb, 0xcccc) | 0);
  });

  it('pack and byte packing', () => {
    expect(alu('cv.pack', 0xaaaa_1234, 0xbbbb_5678)).toBe(0x1234_5678);
    expect(alu('cv.pack.h', 0x1234_aaaa, 0x5678_bbbb)).toBe(0x1234_5678);
    expect(alu('cv.packhi.b', 0xffff_ff12, 0xffff_ff34, 0x5555_6666)).toBe(0x1234_6666);
    expect(alu('cv.packlo.b', 0xffff_ff12, 0xffff_ff34, 0x5555_6666)).toBe(0x5555_1234);
  });
});

describe('CORE-V SIMD complex numbers ({imaginary, real} halfwords)', () => {
  const c = (real: number, imag: number): number => ((imag & 0xffff) << 16) | (real & 0xffff);
  const ONE = 0x4000; // 0.5 in Q1.15

  it('cplxmul.r / .i compute one part of the Q15 product each and keep the other', () => {
    // (0.5 + 0.5j) * (0.5 - 0.5j) = 0.5 + 0j
    const a = c(ONE, ONE);
    const b = c(ONE, -ONE);
    expect(alu('cv.cplxmul.r', a, b, c(0x1111, 0x2222))).toBe(c(ONE, 0x2222));
    expect(alu('cv.cplxmul.i', a, b, c(0x1111, 0x2222))).toBe(c(0x1111, 0));
    expect(alu('cv.cplxmul.r.div4', a, b, 0)).toBe(c(ONE >> 2, 0));
    expect(alu('cv.cplxmul.i.div2', c(ONE, ONE), c(ONE, ONE), 0)).toBe(c(0, ONE >> 1)); // 2 * 0.25j / 2
  });

  it('cplxconj negates the imaginary part; subrotmj multiplies the difference by -j', () => {
    expect(aluImm('cv.cplxconj', c(5, 7), {})).toBe(c(5, -7));
    expect(aluImm('cv.cplxconj', c(5, -0x8000), {})).toBe(c(5, -0x8000)); // wraps
    // (10 + 4j) - (2 + 1j) = 8 + 3j; times -j = 3 - 8j
    expect(alu('cv.subrotmj', c(10, 4), c(2, 1))).toBe(c(3, -8));
    expect(alu('cv.subrotmj.div2', c(10, 4), c(2, 1))).toBe(c(1, -4));
  });

  it('add/sub .div2/.div4/.div8 shift the wrapped lane sums', () => {
    expect(alu('cv.add.div2', c(10, -10), c(4, -4))).toBe(c(7, -7));
    expect(alu('cv.sub.div8', c(100, 0), c(20, 80))).toBe(c(10, -10));
    expect(alu('cv.add.div4', c(0x7fff, 0), c(1, 0))).toBe(c(-0x2000, 0)); // 0x8000 as int16, >> 2
  });
});
