import { describe, expect, it } from 'vitest';
import { DATA_BASE, enc, run, runWithRegs } from './harness.js';

/** Memory at DATA_BASE holds bytes 0x80, 0x81, ... so every load width and sign shows. */
function withData(code: number[], regs: Record<number, number>) {
  return run(code, (hart) => {
    hart.memory.writeBytes(DATA_BASE, Uint8Array.from({ length: 16 }, (_, i) => 0x80 + i));
    for (const [r, v] of Object.entries(regs)) hart.regs[Number(r)] = v;
  });
}

describe('CORE-V post-increment loads', () => {
  const loads: [string, number, number][] = [
    ['cv.lb', -128, 1],
    ['cv.lbu', 0x80, 1],
    ['cv.lh', 0x8180 - 0x10000, 2],
    ['cv.lhu', 0x8180, 2],
    ['cv.lw', 0x83828180 | 0, 4],
  ];

  it.each(loads)('%s rd, imm(rs1!) loads from rs1 then adds imm', (m, value) => {
    const { hart } = withData([enc(m, { rd: 5, rs1: 6, imm: -8 }, 'imm12')], { 6: DATA_BASE });
    expect(hart.regs[5]).toBe(value);
    expect(hart.regs[6]).toBe(DATA_BASE - 8);
  });

  it.each(loads)('%s rd, rs2(rs1!) loads from rs1 then adds rs2', (m, value) => {
    const { hart } = withData([enc(m, { rd: 5, rs1: 6, rs2: 7 }, '({rs1}), {rs2}')], { 6: DATA_BASE, 7: 12 });
    expect(hart.regs[5]).toBe(value);
    expect(hart.regs[6]).toBe(DATA_BASE + 12);
  });

  it.each(loads)('%s rd, rs2(rs1) loads from rs1 + rs2 without increment', (m, _value, size) => {
    const { hart } = withData([enc(m, { rd: 5, rs1: 6, rs2: 7 }, '{rs2}({rs1})')], { 6: DATA_BASE - 4, 7: 4 + size });
    const expected = { 1: [-127, 0x81], 2: [0x8382 - 0x10000, 0x8382], 4: [0x87868584 | 0, 0] }[size]!;
    expect(hart.regs[5]).toBe(m.endsWith('u') ? expected[1] : expected[0]);
    expect(hart.regs[6]).toBe(DATA_BASE - 4);
  });

  it('gives the loaded value precedence when rd == rs1', () => {
    const { hart } = withData([enc('cv.lw', { rd: 6, rs1: 6, imm: 4 }, 'imm12')], { 6: DATA_BASE });
    expect(hart.regs[6]).toBe(0x83828180 | 0);
  });
});

describe('CORE-V post-increment stores', () => {
  const stores: [string, number][] = [['cv.sb', 1], ['cv.sh', 2], ['cv.sw', 4]];

  it.each(stores)('%s in its immediate, register and indexed forms', (m, size) => {
    const { hart, memory } = runWithRegs([
      enc(m, { rs2: 7, rs1: 6, imm: 16 }, 'store12'), // M[base] = v; base += 16
      enc(m, { rs2: 7, rs1: 6, rs3: 8 }, '({rs1}), {rs3}'), // M[base+16] = v; base += 8
      enc(m, { rs2: 7, rs1: 6, rs3: 8 }, '{rs3}({rs1})'), // M[base+24+8] = v; no increment
    ], { 6: DATA_BASE, 7: 0x44332211, 8: 8 });
    expect(hart.regs[6]).toBe(DATA_BASE + 24);
    const expected = [0x11, 0x22, 0x33, 0x44].slice(0, size);
    for (const offset of [0, 16, 32]) expect(Array.from(memory.readBytes(DATA_BASE + offset, size))).toEqual(expected);
    expect(Array.from(memory.readBytes(DATA_BASE + 24, 4))).toEqual([0, 0, 0, 0]);
  });

  it('stores the old value when the stored register is also the base', () => {
    const { hart, memory } = runWithRegs([enc('cv.sw', { rs2: 6, rs1: 6, imm: 4 }, 'store12')], { 6: DATA_BASE });
    expect(new DataView(memory.readBytes(DATA_BASE, 4).buffer).getUint32(0, true)).toBe(DATA_BASE);
    expect(hart.regs[6]).toBe(DATA_BASE + 4);
  });
});
