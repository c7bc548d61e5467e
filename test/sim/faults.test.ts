import { describe, expect, it } from 'vitest';
import {
  EnvironmentError, IllegalInstructionError, MemoryAccessError, MisalignedAccessError, IssError,
} from '../../sim/core/errors.js';
import { CSR } from '../../isa/csr-names.js';
import { CODE_BASE, DATA_BASE, enc, load, RAM_SIZE } from './harness.js';

function failure(code: (number | { half: number })[], regs: Record<number, number> = {}, options = {}): IssError {
  const { hart } = load(code, options);
  for (const [r, v] of Object.entries(regs)) hart.regs[Number(r)] = v;
  try {
    hart.run(10_000);
  } catch (error) {
    if (error instanceof IssError) return error;
    throw error;
  }
  throw new Error('the program did not fail');
}

describe('faults stop the run with a typed, located error', () => {
  it('illegal instruction: pc, word, disassembly, cycle and core', () => {
    const e = failure([enc('addi', { rd: 5, rs1: 0, imm: 1 }), 0x0000602b]);
    expect(e).toBeInstanceOf(IllegalInstructionError);
    expect(e.site).toEqual({ core: 0, pc: CODE_BASE + 4, word: 0x0000602b, disassembly: '.word 0x0000602b', cycle: 1 });
    expect(e.message).toMatch(/illegal instruction 0x0000602b .*pc 0x00001004.*cycle 1/);
  });

  it('illegal compressed instruction (the all-zero halfword)', () => {
    const e = failure([{ half: 0 }]);
    expect(e).toBeInstanceOf(IllegalInstructionError);
    expect(e.site.word).toBe(0);
    expect(e.site.disassembly).toBe('.half 0x0000');
  });

  it('unknown CSR and writes to read-only CSRs are illegal', () => {
    const unknown = failure([enc('csrrs', { rd: 5, imm: 0x7c0, rs1: 0 })]);
    expect(unknown).toBeInstanceOf(IllegalInstructionError);
    expect(unknown.detail).toMatch(/CSR 0x7c0 is not implemented/);
    const readOnly = failure([enc('csrrw', { rd: 0, imm: CSR.mhartid, rs1: 5 })]);
    expect(readOnly.detail).toMatch(/read-only/);
    expect(readOnly.site.disassembly).toBe('csrrw zero, mhartid, t0');
    // Hardware-loop CSRs are written by the cv.* loop instructions only.
    expect(failure([enc('csrrw', { rd: 0, imm: CSR.lpcount0, rs1: 5 })])).toBeInstanceOf(IllegalInstructionError);
  });

  it('out-of-memory loads, stores and fetches', () => {
    const loadError = failure([enc('lw', { rd: 5, rs1: 6, imm: 0 })], { 6: RAM_SIZE - 2 });
    expect(loadError).toBeInstanceOf(MemoryAccessError);
    expect(loadError.detail).toBe('load of 4 byte(s) at 0x0000fffe is outside memory');
    expect(loadError.site.disassembly).toBe('lw t0, 0(t1)');
    const storeError = failure([enc('cv.sw', { rs2: 5, rs1: 6, imm: 4 }, 'store12')], { 6: 0x2000_0000 });
    expect(storeError).toBeInstanceOf(MemoryAccessError);
    const fetchError = failure([enc('jalr', { rd: 0, rs1: 6, imm: 0 })], { 6: 0x4000_0000 });
    expect(fetchError).toBeInstanceOf(MemoryAccessError);
    expect(fetchError.site.pc).toBe(0x4000_0000);
    expect(fetchError.site.word).toBeUndefined();
  });

  it('misaligned accesses when the configuration forbids them', () => {
    const e = failure([enc('lh', { rd: 5, rs1: 6, imm: 1 })], { 6: DATA_BASE }, { misaligned: 'fault' });
    expect(e).toBeInstanceOf(MisalignedAccessError);
    expect(e.detail).toBe('misaligned 2-byte load at 0x00008001');
  });

  it('unsupported environment calls', () => {
    const e = failure([enc('addi', { rd: 17, rs1: 0, imm: 1234 }), enc('ecall')]);
    expect(e).toBeInstanceOf(EnvironmentError);
    expect(e.site.disassembly).toBe('ecall');
  });

  it('refuses to fetch from an odd address even after the code was decoded', () => {
    const { hart } = load([enc('addi', { rd: 5, rs1: 0, imm: 1 })]);
    hart.step();
    hart.pc = CODE_BASE + 1;
    expect(() => hart.step()).toThrow(MisalignedAccessError);
  });

  it('leaves the hart inspectable after a fault', () => {
    const { hart } = load([enc('addi', { rd: 5, rs1: 0, imm: 7 }), 0xffffffff]);
    expect(() => hart.run()).toThrow(IllegalInstructionError);
    expect(hart.regs[5]).toBe(7);
    expect(hart.pc).toBe(CODE_BASE + 4);
  });
});
