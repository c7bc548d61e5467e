import { describe, expect, it } from 'vitest';
import { alu, aluImm, CODE_BASE, enc, runWithRegs } from './harness.js';

/** rd after `mnemonic rd, rs1, rs2, Is3` with rd preset to `acc`. */
function withShift(mnemonic: string, a: number, b: number, is3: number, acc = 0): number {
  const { hart } = runWithRegs([enc(mnemonic, { rd: 5, rs1: 6, rs2: 7, imm2: is3 })], { 5: acc, 6: a, 7: b });
  return hart.regs[5]!;
}

describe('CORE-V add/sub with normalization and rounding', () => {
  const cases: [string, number, number, number, number][] = [
    ['cv.addn', 7, 8, 2, 3], // 15 >> 2
    ['cv.addn', -7, -8, 2, -4], // arithmetic
    ['cv.addun', -1, 0, 28, 0xf], // logical
    ['cv.addrn', 7, 8, 2, 4], // (15 + 2) >> 2
    ['cv.addrn', 5, 0, 0, 5], // no rounding term for a zero shift
    ['cv.addurn', -2, 0, 1, 0x7fffffff], // (0xfffffffe + 1) >>> 1
    ['cv.subn', 3, 10, 1, -4],
    ['cv.subun', 3, 10, 1, 0x7ffffffc],
    ['cv.subrn', 10, 3, 1, 4], // (7 + 1) >> 1
    ['cv.suburn', 9, 2, 1, 4], // (7 + 1) >>> 1
  ];
  it.each(cases)('%s(%i, %i, Is3=%i) = %i', (m, a, b, is3, expected) => expect(withShift(m, a, b, is3)).toBe(expected));

  it('wraps the 32-bit sum before shifting', () => {
    expect(withShift('cv.suburn', 0, 1, 4)).toBe(0); // 0xffffffff + 8 = 0x100000007 wraps to 7
    expect(withShift('cv.addn', 0x7fffffff, 1, 0)).toBe(-0x80000000);
  });

  it('register forms use rd as the first operand and rs2[4:0] as the shift', () => {
    expect(alu('cv.addnr', 8, 2, 7)).toBe(3); // (7 + 8) >> 2
    expect(alu('cv.addrnr', 8, 2, 7)).toBe(4);
    expect(alu('cv.subnr', 10, 33, 3)).toBe(-4); // shift 33 & 31 = 1
    expect(alu('cv.subunr', 10, 1, 3)).toBe(0x7ffffffc);
    expect(alu('cv.addunr', 0, 28, -1)).toBe(0xf);
    expect(alu('cv.addurnr', 0, 1, -2)).toBe(0x7fffffff);
    expect(alu('cv.subrnr', 3, 1, 10)).toBe(4);
    expect(alu('cv.suburnr', 1, 4, 0)).toBe(0);
  });
});

describe('CORE-V 16-bit multiply(-accumulate) with normalization', () => {
  const cases: [string, number, number, number, number, number][] = [
    // mnemonic, rs1, rs2, Is3, rd before, result
    ['cv.mulsn', 0x7fff_fffe, 0x1234_0003, 0, 0, -6], // low halves, signed: -2 * 3
    ['cv.mulsn', -4, 5, 1, 0, -10],
    ['cv.mulun', 0xffff, 0xffff, 0, 0, 0xfffe0001 | 0],
    ['cv.mulun', 0xffff, 0xffff, 16, 0, 0xfffe],
    ['cv.mulhhsn', 0xfffe_0000 | 0, 0x0003_0000, 0, 0, -6], // high halves
    ['cv.mulhhun', 0xfffe_0000 | 0, 0x0003_0000, 0, 0, 0x2fffa],
    ['cv.mulsrn', 3, 5, 2, 0, 4], // (15 + 2) >> 2
    ['cv.mulurn', 3, 5, 2, 0, 4],
    ['cv.mulhhsrn', 0x0003_0000, 0x0005_0000, 1, 0, 8],
    ['cv.mulhhurn', 0xffff_0000 | 0, 0x0001_0000, 4, 0, 0x1000],
    ['cv.macsn', -2, 3, 0, 100, 94],
    ['cv.macsn', 2, 3, 1, 100, 53],
    ['cv.macun', 0xffff, 1, 0, 1, 0x10000],
    ['cv.machhsn', 0xfffe_0000 | 0, 0x0003_0000, 0, 10, 4],
    ['cv.machhun', 0xfffe_0000 | 0, 0x0001_0000, 0, 0, 0xfffe],
    ['cv.macsrn', 1, 1, 1, 2, 2], // (3 + 1) >> 1
    ['cv.macurn', 1, 1, 1, 2, 2],
    ['cv.machhsrn', 0x0001_0000, 0x0001_0000, 2, 5, 2], // (6 + 2) >> 2
    ['cv.machhurn', 0x0001_0000, 0x0001_0000, 2, 5, 2],
  ];
  it.each(cases)('%s(%i, %i, Is3=%i) with rd=%i = %i', (m, a, b, is3, acc, expected) => {
    expect(withShift(m, a, b, is3, acc)).toBe(expected);
  });
});

describe('CORE-V immediate branches', () => {
  it.each([
    ['cv.beqimm', -5, -5, true], ['cv.beqimm', 5, -5, false],
    ['cv.bneimm', 15, 15, false], ['cv.bneimm', 16, 15, true],
  ] as [string, number, number, boolean][])('%s rs1=%i imm=%i taken=%s', (m, value, imm, taken) => {
    const { hart, events } = runWithRegs([enc(m, { rs1: 6, imm2: imm, imm: 8 }), enc('addi', { rd: 5, rs1: 5, imm: 1 })], { 6: value });
    expect(hart.regs[5]).toBe(taken ? 0 : 1);
    expect(events[0]!.cycles).toBe(taken ? 3 : 1);
    expect(events[0]!.pc).toBe(CODE_BASE);
  });
});

describe('CORE-V SIMD averages, shifts and comparisons', () => {
  const h2 = (l0: number, l1: number): number => ((l1 & 0xffff) << 16) | (l0 & 0xffff);
  const b4 = (l0: number, l1: number, l2: number, l3: number): number =>
    (((l3 & 0xff) << 24) | ((l2 & 0xff) << 16) | ((l1 & 0xff) << 8) | (l0 & 0xff)) | 0;
  const cases: [string, number, number, number][] = [
    ['cv.avg.h', h2(10, -10), h2(4, -4), h2(7, -7)],
    ['cv.avg.b', b4(100, 100, -3, 1), b4(100, -100, -4, 2), b4(-28, 0, -4, 1)], // 200 wraps to -56 in the lane
    ['cv.avgu.b', b4(200, 100, 1, 255), b4(100, 100, 2, 1), b4(22, 100, 1, 0)], // 300 wraps to 44
    ['cv.srl.h', h2(0x8000, 0x00f0), h2(15, 4), h2(1, 0x000f)],
    ['cv.sra.h', h2(0x8000, 0x00f0), h2(15, 20), h2(0xffff, 0x000f)], // amount 20 & 15 = 4
    ['cv.sll.b', b4(1, 0x81, 3, 1), b4(7, 1, 9, 0), b4(0x80, 0x02, 6, 1)],
    ['cv.cmpeq.b', b4(1, 2, 3, 4), b4(1, 0, 3, 0), b4(-1, 0, -1, 0)],
    ['cv.cmpgt.h', h2(-1, 5), h2(0, 4), h2(0, -1)],
    ['cv.cmpgtu.h', h2(-1, 5), h2(0, 4), h2(-1, -1)],
    ['cv.cmple.b', b4(-128, 0, 5, 6), b4(127, 0, 4, 7), b4(-1, -1, 0, -1)],
    ['cv.cmpltu.b', b4(-128, 0, 5, 6), b4(127, 0, 4, 7), b4(0, 0, 0, -1)],
  ];
  it.each(cases)('%s', (m, a, b, expected) => expect(alu(m, a, b)).toBe(expected | 0));

  it('.sci shifts take 0..15 (halfwords) or 0..7 (bytes); comparisons take Imm6', () => {
    expect(aluImm('cv.sra.sci.h', h2(-16, 64), { imm: 2 })).toBe(h2(-4, 16));
    expect(aluImm('cv.sll.sci.b', b4(1, 2, 3, 4), { imm: 7 })).toBe(b4(0x80, 0, 0x80, 0));
    expect(aluImm('cv.cmpge.sci.b', b4(-3, -2, 0, 5), { imm: -2 })).toBe(b4(0, -1, -1, -1));
    expect(aluImm('cv.cmpleu.sci.h', h2(63, 64), { imm: 63 })).toBe(h2(-1, 0));
  });
});
