// Each revision-2 Xnmsparse HDL unit against the golden semantics, in the TypeScript simulator:
// exhaustively where the input space allows (every weight and activation byte, every custom-1
// field that matters), random over 32-bit data.
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { MacAccumulators } from '../../hw/ext/r2/accumulators.js';
import { MacAddress } from '../../hw/ext/r2/address.js';
import { MacDecoder } from '../../hw/ext/r2/decoder.js';
import { MacLanes } from '../../hw/ext/r2/lanes.js';
import { WeightSelect } from '../../hw/ext/r2/weight.js';
import { Random } from '../../util/random.js';
import { decodeMac, executeMac4, executeRacc, mac4Address } from '../../isa/xnmsparse/mac.js';

describe('MacDecoder', () => {
  it('every value of bits 31:20 and 14:12, rs1 zero and not, in custom-1 and another opcode; random bits 11:7', () => {
    const sim = new RtlSimulator(elaborate(MacDecoder, {}));
    const random = new Random(1);
    let macs = 0;
    let raccs = 0;
    for (let high = 0; high < 1 << 12; high++) {
      for (let funct3 = 0; funct3 < 8; funct3++) {
        for (const [opcode, rs1] of [[0x2b, 0], [0x2b, 1 + random.below(31)], [0x0b, 0]] as const) {
          const low = random.below(32);
          const word = ((high << 20) | (rs1 << 15) | (funct3 << 12) | (low << 7) | opcode) >>> 0;
          sim.poke('instr', word);
          const golden = decodeMac(word);
          const family = opcode === 0x2b && funct3 === 0b111;
          const kind = golden.ok ? golden.insn.kind : null;
          const at = `word ${word.toString(16)}`;
          expect([sim.peek('mac'), sim.peek('racc'), sim.peek('illegal')], at).toEqual([Number(kind === 'mac4'), Number(kind === 'racc'), Number(family && !golden.ok)]);
          if (!golden.ok) continue;
          const { insn } = golden;
          if (insn.kind === 'mac4') {
            macs++;
            expect(['signed_act', 'half', 'lane', 'rs1', 'rs2', 'rs3'].map((f) => sim.peek(f)), at).toEqual([Number(insn.signed), insn.half, insn.lane, insn.rs1, insn.rs2, insn.rs3]);
          } else {
            raccs++;
            expect([sim.peek('rd'), sim.peek('acc')], at).toEqual([insn.rd, insn.k]);
          }
        }
      }
    }
    expect(macs).toBeGreaterThan(800);
    expect(raccs).toBe(4); // one word per k: every must-be-zero field clear
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
          const golden = executeMac4({ half: 0, lane: 0, signed }, { rs1: 0, rs2: 0, rs3: weight }, [0, 0, 0, 0], () => word);
          const products = golden.kind === 'ok' ? golden.accumulators : [];
          const hdl = sim.peekBig('products');
          const lanes = [0, 1, 2, 3].map((p) => Number(BigInt.asIntN(16, hdl >> BigInt(16 * p))));
          expect(lanes).toEqual(products);
        }
      }
    }
  });
});

describe('MacAccumulators', () => {
  it('random accumulations, read-and-clears and CSR writes over many cycles', () => {
    const sim = new RtlSimulator(elaborate(MacAccumulators, {}));
    const random = new Random(4);
    let acc = [0, 0, 0, 0];
    sim.reset();
    for (let cycle = 0; cycle < 3000; cycle++) {
      const products = [0, 1, 2, 3].map(() => random.below(1 << 16) - (1 << 15));
      const accumulate = random.chance(0.7);
      const index = random.below(4);
      const clear = random.chance(0.1);
      const write = random.chance(0.05);
      const writeData = random.uint32();
      sim.poke('products', products.reduce((w, v, p) => w | (BigInt(v & 0xffff) << BigInt(16 * p)), 0n));
      sim.poke('accumulate', Number(accumulate));
      sim.poke('index', index);
      sim.poke('clear', Number(clear));
      sim.poke('write', Number(write));
      sim.poke('write_data', writeData);
      // The access port reads the value before this cycle's updates, and acts after the accumulation.
      expect(sim.peek('read_data') | 0).toBe(acc[index]);
      if (accumulate) acc = acc.map((a, p) => (a + products[p]!) | 0);
      if (clear) acc = [...executeRacc(index, acc).accumulators];
      if (write) acc[index] = writeData | 0;
      sim.step();
      expect([0, 1, 2, 3].map((p) => sim.peek(`acc${p}`) | 0)).toEqual(acc);
    }
  });
});
