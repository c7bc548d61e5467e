// Each revision-2 Xnmsparse HDL unit against the golden semantics, in the TypeScript simulator:
// exhaustively where the input space allows (every weight and activation byte, every custom-1
// field that matters), random over 32-bit data.
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { MacAddress } from '../../hw/ext/r2/address.js';
import { MacDecoder } from '../../hw/ext/r2/decoder.js';
import { MacLanes } from '../../hw/ext/r2/lanes.js';
import { MacSums } from '../../hw/ext/r2/sums.js';
import { WeightSelect } from '../../hw/ext/r2/weight.js';
import { Random } from '../../util/random.js';
import { decodeMac, executeMac4, mac4Address } from '../../isa/xnmsparse/mac.js';

describe('MacDecoder', () => {
  it('every value of bits 31:20 and 14:12, in custom-1 and another opcode; random bits 19:7', () => {
    const sim = new RtlSimulator(elaborate(MacDecoder, {}));
    const random = new Random(1);
    const decoded = { mac4: 0, mul4: 0, illegal: 0 };
    for (let high = 0; high < 1 << 12; high++) {
      for (let funct3 = 0; funct3 < 8; funct3++) {
        for (const opcode of [0x2b, 0x2b, 0x0b]) {
          const word = ((high << 20) | (random.below(32) << 15) | (funct3 << 12) | (random.below(32) << 7) | opcode) >>> 0;
          sim.poke('instr', word);
          const golden = decodeMac(word);
          const family = opcode === 0x2b && funct3 === 0b111;
          const at = `word ${word.toString(16)}`;
          expect([sim.peek('mac'), sim.peek('illegal')], at).toEqual([Number(golden.ok), Number(family && !golden.ok)]);
          if (family && !golden.ok) decoded.illegal++;
          if (!golden.ok) continue;
          const { insn } = golden;
          decoded[insn.start ? 'mul4' : 'mac4']++;
          expect(['signed_act', 'start', 'half', 'lane', 'rs1', 'rs2', 'rs3'].map((f) => sim.peek(f)), at).toEqual([
            Number(insn.signed), Number(insn.start), insn.half, insn.lane, insn.rs1, insn.rs2, insn.rs3,
          ]);
        }
      }
    }
    // Bits 11:10 are random: about a quarter of the family's words are legal.
    expect(decoded.mac4).toBeGreaterThan(500);
    expect(decoded.mul4).toBeGreaterThan(500);
    expect(decoded.illegal).toBeGreaterThan(3000);
  });
});

describe('MacAddress', () => {
  it('both halves, random and extreme bases and offsets', () => {
    const sim = new RtlSimulator(elaborate(MacAddress, {}));
    const random = new Random(2);
    const values = [0, 1, 2, 3, 0xfffc, 0xffff, 0xfffffffc, 0xffffffff, 0x0000ffff, 0xffff0000];
    const bases = [...values, ...Array.from({ length: 40 }, () => random.uint32())];
    const offsets = [...values, ...Array.from({ length: 40 }, () => random.uint32())];
    for (const base of bases) {
      for (const offset of offsets) {
        for (const half of [0, 1]) {
          sim.poke('base', base);
          sim.poke('offsets', offset);
          sim.poke('half', half);
          const address = mac4Address(base, offset, half);
          expect([sim.peek('address'), sim.peek('misaligned')]).toEqual([address, Number((address & 3) !== 0)]);
        }
      }
    }
  });
});

describe('WeightSelect', () => {
  it('every lane of random weight words', () => {
    const sim = new RtlSimulator(elaborate(WeightSelect, {}));
    const random = new Random(3);
    for (let trial = 0; trial < 500; trial++) {
      const weights = random.uint32();
      for (let lane = 0; lane < 4; lane++) {
        sim.poke('weights', weights);
        sim.poke('lane', lane);
        expect(sim.peek('weight')).toBe((weights >>> (8 * lane)) & 0xff);
      }
    }
  });
});

describe('MacLanes', () => {
  it('every activation byte times every weight, in every lane, unsigned and signed', () => {
    const sim = new RtlSimulator(elaborate(MacLanes, {}));
    for (const signed of [false, true]) {
      for (let weight = 0; weight < 256; weight++) {
        for (let a = 0; a < 256; a++) {
          // Lane p holds a + 64p: every byte reaches every lane over the loop.
          const word = [0, 1, 2, 3].reduce((w, p) => w | (((a + 64 * p) & 0xff) << (8 * p)), 0) >>> 0;
          sim.poke('word', word);
          sim.poke('weight', weight);
          sim.poke('signed_act', Number(signed));
          // nm.mul4's sums are the products alone.
          const golden = executeMac4({ half: 0, lane: 0, signed, start: true }, { rs1: 0, rs2: 0, rs3: weight }, [0, 0, 0, 0], () => word);
          const products = golden.kind === 'ok' ? golden.sums : [];
          const hdl = sim.peekBig('products');
          const lanes = [0, 1, 2, 3].map((p) => Number(BigInt.asIntN(16, hdl >> BigInt(16 * p))));
          expect(lanes).toEqual(products);
        }
      }
    }
  });
});

describe('MacSums', () => {
  it('random and extreme sums and products, nm.mac4, nm.mul4 and no instruction, against executeMac4', () => {
    const sim = new RtlSimulator(elaborate(MacSums, {}));
    const random = new Random(4);
    const extremes = [0, 1, -1, 0x7fffffff, -0x80000000, 0x7fff8000, -0x7fff8000];
    for (let trial = 0; trial < 3000; trial++) {
      const sums = [0, 1, 2, 3].map(() => (random.chance(0.2) ? extremes[random.below(extremes.length)]! : random.uint32() | 0));
      // The products are the golden nm.mul4's sums (the products alone); the weights include those
      // that give the extremes of a product's range (-32640 .. 32385).
      const word = random.uint32();
      const weight = random.chance(0.3) ? [0x80, 0x7f, 0xff, 0x01][random.below(4)]! : random.below(256);
      const signed = random.chance(0.5);
      const start = random.chance(0.3);
      const golden = executeMac4({ half: 0, lane: 0, signed, start }, { rs1: 0, rs2: 0, rs3: weight }, sums, () => word);
      const products = executeMac4({ half: 0, lane: 0, signed, start: true }, { rs1: 0, rs2: 0, rs3: weight }, sums, () => word);
      if (golden.kind !== 'ok' || products.kind !== 'ok') throw new Error('an address of 0 is aligned');
      sim.poke('sums', sums.reduce((w, v, p) => w | (BigInt(v >>> 0) << BigInt(32 * p)), 0n));
      sim.poke('products', products.sums.reduce((w, v, p) => w | (BigInt(v & 0xffff) << BigInt(16 * p)), 0n));
      sim.poke('start', Number(start));
      // Without `add` the sums come back unchanged, whatever the products and `start`.
      const add = random.chance(0.8);
      sim.poke('add', Number(add));
      const next = sim.peekBig('next_sums');
      expect([0, 1, 2, 3].map((p) => Number(BigInt.asIntN(32, next >> BigInt(32 * p)))), `trial ${trial}`).toEqual(add ? golden.sums : sums);
    }
  });
});
