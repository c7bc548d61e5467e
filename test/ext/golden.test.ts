// The golden model of the gather instructions against the specification's own statements.
import { describe, expect, it } from 'vitest';
import {
  decodeGather,
  decompressIndex,
  encodeGather,
  executeGather,
  formatGather,
  gatherAddress,
  type GatherInstruction,
  patterns,
} from '../../isa/xnmsparse/gather.js';
import { insertLane } from '../../isa/simd.js';

const lg = (fields: Partial<GatherInstruction> = {}): GatherInstruction => ({
  rd: 10, rs1: 12, rs2: 5, pattern: { n: 1, m: 8 }, elementBytes: 1, lane: 0, consume: false, ...fields,
});

describe('encoding', () => {
  it('places every field where docs/isa-extension.md §3 says', () => {
    // nm.lgc.b a0, t0(a2), 3, 1:8 -> e=0 n=0 m=01 c=1 L=11 rs2=5 rs1=12 funct3=110 rd=10 opcode=0101011
    const word = encodeGather(lg({ consume: true, lane: 3 }));
    expect(word).toBe(0b0_0_01_1_11_00101_01100_110_01010_0101011);
    expect(formatGather(lg({ consume: true, lane: 3 }))).toBe('nm.lgc.b x10, x5(x12), 3, 1:8');
  });

  it('round-trips every legal combination of format, lane and registers', () => {
    for (const pattern of patterns) {
      for (const elementBytes of [1, 2] as const) {
        for (let lane = 0; lane < 4 / elementBytes; lane++) {
          for (const consume of [false, true]) {
            const insn = lg({ pattern, elementBytes, lane, consume, rd: 31, rs1: 1, rs2: 17 });
            expect(decodeGather(encodeGather(insn))).toEqual({ ok: true, insn });
          }
        }
      }
    }
  });

  it('rejects the reserved encodings as illegal', () => {
    const word = encodeGather(lg());
    expect(decodeGather((word | (0b11 << 28)) >>> 0)).toEqual({ ok: false, reason: 'reserved block size field m = 11' });
    const halfLane2 = (encodeGather(lg({ elementBytes: 2 })) | (2 << 25)) >>> 0;
    expect(decodeGather(halfLane2)).toMatchObject({ ok: false, reason: expect.stringContaining('lane 2') });
    const consumeIntoIndex = (encodeGather(lg({ consume: true, rd: 7, rs2: 8 })) & ~(31 << 20)) | (7 << 20);
    expect(decodeGather(consumeIntoIndex >>> 0)).toMatchObject({ ok: false, reason: expect.stringContaining('rd = rs2') });
    expect(decodeGather(0x0046228b)).toMatchObject({ ok: false }); // cv.lw post-increment: custom-0
    expect(() => encodeGather(lg({ lane: 4 }))).toThrow(/lane 4/);
  });
});

describe('semantics', () => {
  it('decompresses the lowest field and shifts by log2(M)', () => {
    expect(decompressIndex(0b1110_0101, 4)).toEqual({ index: 1, rest: 0b11_1001 });
    expect(decompressIndex(0b1110_0101, 8)).toEqual({ index: 5, rest: 0b11100 });
    expect(decompressIndex(0xfedcba98, 16)).toEqual({ index: 8, rest: 0x0fedcba9 });
  });

  it('offsets each lane by its block: L div N blocks of M elements', () => {
    expect(gatherAddress(0x1000, 5, 3, { n: 1, m: 8 }, 1)).toBe(0x1000 + 3 * 8 + 5);
    expect(gatherAddress(0x1000, 5, 3, { n: 2, m: 8 }, 1)).toBe(0x1000 + 1 * 8 + 5);
    expect(gatherAddress(0x1000, 15, 1, { n: 1, m: 16 }, 2)).toBe(0x1000 + (16 + 15) * 2);
    expect(gatherAddress(0xfffffffe, 3, 0, { n: 1, m: 4 }, 1)).toBe(1); // wraps modulo 2^32
  });

  it('inserts into one lane and keeps the others (the SIMD lane insert, results as unsigned patterns)', () => {
    expect(insertLane(0x11223344, 0xab, 2, 8) >>> 0).toBe(0x11ab3344);
    expect(insertLane(0x11223344, 0xffab, 1, 16) >>> 0).toBe(0xffab3344);
    expect(insertLane(0xffffffff, 0x00, 3, 8) >>> 0).toBe(0x00ffffff);
  });

  it('commits rd and the shifted index only when the load succeeds', () => {
    const memory = (address: number): number => address & 0xff;
    const ok = executeGather(lg({ consume: true, lane: 1 }), { rs1: 0x100, rs2: 0b011_110, rd: 0xaabbccdd }, memory);
    expect(ok).toEqual({ kind: 'ok', address: 0x100 + 8 + 6, rd: 0xaabb0edd, rs2: 0b011 });
    const keep = executeGather(lg(), { rs1: 0x100, rs2: 0b011_110, rd: 0 }, memory);
    expect(keep).toMatchObject({ kind: 'ok', rs2: 0b011_110 });
    expect(executeGather(lg(), { rs1: 0x100, rs2: 1, rd: 0 }, () => null)).toEqual({ kind: 'access-fault', address: 0x101 });
    expect(executeGather(lg({ elementBytes: 2 }), { rs1: 0x101, rs2: 0, rd: 0 }, memory)).toEqual({ kind: 'misaligned', address: 0x101 });
  });
});
