// Each Xnmsparse HDL unit against its golden function (isa/xnmsparse/gather.ts), in the TypeScript
// simulator: exhaustively over the fields that matter, random over 32-bit data.
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { GatherAddress } from '../../hw/ext/address.js';
import { GatherDecoder } from '../../hw/ext/decoder.js';
import { IndexDecompressor } from '../../hw/ext/decompressor.js';
import { LaneInserter } from '../../hw/ext/lane.js';
import {
  type BlockSize,
  decodeGather,
  decompressIndex,
  type ElementBytes,
  elementLaneWidth,
  gatherAddress,
  lanesPerWord,
  type NonZeros,
} from '../../isa/xnmsparse/gather.js';
import { Random } from '../../util/random.js';
import { insertLane } from '../../isa/simd.js';

const formats = [1, 2].flatMap((bytes) => [1, 2].flatMap((n) => [4, 8, 16].map((m) => ({ m: m as BlockSize, n: n as NonZeros, bytes: bytes as ElementBytes }))));

describe('IndexDecompressor', () => {
  it.each([4, 8, 16] as const)('M=%i: every low byte under random upper bits', (m) => {
    const sim = new RtlSimulator(elaborate(IndexDecompressor, { m }));
    const random = new Random(m);
    for (let low = 0; low < 256; low++) {
      for (let trial = 0; trial < 8; trial++) {
        const word = ((random.uint32() & 0xffffff00) | low) >>> 0;
        sim.poke('indices', word);
        const expected = decompressIndex(word, m);
        expect([sim.peek('index'), sim.peek('rest')]).toEqual([expected.index, expected.rest]);
      }
    }
  });
});

describe('GatherAddress', () => {
  it.each(formats.map((f) => [`${f.n}:${f.m} ${f.bytes}B`, f] as const))('%s: every index and lane, random and extreme bases', (_, f) => {
    const sim = new RtlSimulator(elaborate(GatherAddress, f));
    const random = new Random(f.m * 10 + f.n + f.bytes);
    const bases = [0, 1, 0xfffffffe, 0xffffffff, ...Array.from({ length: 60 }, () => random.uint32())];
    for (const base of bases) {
      for (let index = 0; index < f.m; index++) {
        for (let lane = 0; lane < lanesPerWord(f.bytes); lane++) {
          sim.poke('base', base);
          sim.poke('index', index);
          sim.poke('lane', lane);
          const address = gatherAddress(base, index, lane, f, f.bytes);
          expect(sim.peek('address')).toBe(address);
          expect(sim.peek('misaligned')).toBe(f.bytes === 2 ? address & 1 : 0);
        }
      }
    }
  });
});

describe('LaneInserter', () => {
  it.each([1, 2] as const)('%i-byte lanes: every lane and element position, random words', (bytes) => {
    const sim = new RtlSimulator(elaborate(LaneInserter, { bytes }));
    const random = new Random(bytes);
    for (let trial = 0; trial < 200; trial++) {
      const word = random.uint32();
      const rdata = random.uint32();
      for (let offset = 0; offset < 4; offset += bytes) {
        for (let lane = 0; lane < lanesPerWord(bytes); lane++) {
          sim.poke('word', word);
          sim.poke('rdata', rdata);
          sim.poke('offset', offset);
          sim.poke('lane', lane);
          const element = (rdata >>> (8 * offset)) & (bytes === 1 ? 0xff : 0xffff);
          expect(sim.peek('result')).toBe(insertLane(word, element, lane, elementLaneWidth(bytes)) >>> 0);
        }
      }
    }
  });
});

describe('GatherDecoder', () => {
  it.each(formats.map((f) => [`${f.n}:${f.m} ${f.bytes}B`, f] as const))('%s: every funct7 and funct3 of custom-1, random registers', (_, f) => {
    const sim = new RtlSimulator(elaborate(GatherDecoder, f));
    const random = new Random(f.m + 100 * f.n + f.bytes);
    for (let funct7 = 0; funct7 < 128; funct7++) {
      for (let funct3 = 0; funct3 < 8; funct3++) {
        for (const opcode of [0x2b, 0x0b, 0x5b]) {
          const registers = random.uint32() & ((31 << 20) | (31 << 15) | (31 << 7));
          // Include rd = rs2 often: it is reserved with consume.
          const sameRdRs2 = (registers & ~(31 << 20)) | (((registers >>> 7) & 31) << 20);
          for (const regs of [registers, sameRdRs2]) {
            const word = ((funct7 << 25) | regs | (funct3 << 12) | opcode) >>> 0;
            sim.poke('instr', word);
            const golden = decodeGather(word);
            const family = opcode === 0x2b && funct3 === 0b110;
            const ours = golden.ok && golden.insn.pattern.m === f.m && golden.insn.pattern.n === f.n && golden.insn.elementBytes === f.bytes;
            expect([sim.peek('gather'), sim.peek('illegal')], `word ${word.toString(16)}`).toEqual([Number(ours), Number(family && !ours)]);
            if (ours) {
              const { insn } = golden;
              expect([sim.peek('lane'), sim.peek('consume'), sim.peek('rd'), sim.peek('rs1'), sim.peek('rs2')]).toEqual([insn.lane, Number(insn.consume), insn.rd, insn.rs1, insn.rs2]);
            }
          }
        }
      }
    }
  });
});
