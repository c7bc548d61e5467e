// The simulator's memoised groups (hw/hdl/rtl-sim/memo.ts): a decoder-like block of signals that one
// register alone determines is computed once per value of it and copied from a table afterwards.
// Checked against a plain TypeScript model on new values, repeated ones, held ones, a backdoor
// write and more values than the table keeps.
import { describe, expect, it } from 'vitest';
import { defineModule, elaborate, type Expr, mux, U, UInt } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { Random } from '../../util/random.js';

/** A mask and a match value per pattern, as an instruction decoder has per instruction. */
const patterns = Array.from({ length: 80 }, (_, i) => {
  const mask = (0xf000_00ff ^ (i * 0x0101_0101)) >>> 0;
  return { mask, match: ((i * 0x2468_ace1) & mask) >>> 0 };
});

/**
 * `instr` loads `word` when `load` is high; `hits` folds every pattern's hit, `scaled` keeps the top
 * 32 bits of a 40-bit product (a wide member of the group); `mixed` also reads an input, so it is
 * computed outside the group.
 */
const Decoder = defineModule('Decoder', (m) => {
  const word = m.input('word', UInt(32));
  const load = m.input('load', UInt(1));
  const hits = m.output('hits', UInt(32));
  const scaled = m.output('scaled', UInt(32));
  const mixed = m.output('mixed', UInt(32));
  const instr = m.reg('instr', UInt(32));
  instr.assign(mux(load, word, instr));
  const folded = patterns.reduce<Expr>((acc, p, i) => {
    const hit = m.node(`hit${i}`, instr.and(p.mask).eq(p.match));
    return acc.xor(hit.zext(32).shl(i % 32));
  }, U(0, 32));
  hits.assign(m.node('folded', folded));
  scaled.assign(m.node('product', instr.mul(U(0xa5, 8))).bits(39, 8));
  mixed.assign(folded.xor(word));
  return { word, load, hits, scaled, mixed };
});

function model(instr: number, word: number): { hits: number; scaled: number; mixed: number } {
  let hits = 0;
  patterns.forEach((p, i) => (hits ^= Number(((instr & p.mask) >>> 0) === p.match) << i % 32));
  const scaled = Number((BigInt(instr) * 0xa5n) >> 8n) >>> 0;
  return { hits: hits >>> 0, scaled, mixed: (hits ^ word) >>> 0 };
}

function expectOutputs(sim: RtlSimulator, instr: number, word: number, what: string): void {
  expect({ hits: sim.peek('hits'), scaled: sim.peek('scaled'), mixed: sim.peek('mixed') }, what).toEqual(model(instr, word));
}

describe('memoised groups', () => {
  it('are in the generated code for a block one register alone determines', () => {
    const source = new RtlSimulator(elaborate(Decoder, {})).generatedSource;
    expect(source).toMatch(/^ {2}memo0\(\); \/\/ what instr alone determines$/m);
    expect(source).toMatch(/^function memo0_compute\(\) \{$/m);
  });

  it('compute new values, repeated values and held values as the model does', () => {
    const sim = new RtlSimulator(elaborate(Decoder, {}));
    const random = new Random(11);
    const pool = Array.from({ length: 12 }, () => random.uint32());
    let instr = 0;
    for (let cycle = 0; cycle < 400; cycle++) {
      const load = random.chance(0.7) ? 1 : 0;
      const word = random.pick(pool);
      sim.poke('load', load);
      sim.poke('word', word);
      expectOutputs(sim, instr, word, `cycle ${cycle}`);
      sim.step();
      if (load) instr = word;
    }
  });

  it('follow a backdoor write of the register', () => {
    const sim = new RtlSimulator(elaborate(Decoder, {}));
    sim.poke('load', 1);
    sim.poke('word', 0x1234_5678);
    sim.step();
    sim.poke('load', 0);
    expectOutputs(sim, 0x1234_5678, 0x1234_5678, 'loaded');
    sim.deposit('instr', 0xf000_0011);
    expectOutputs(sim, 0xf000_0011, 0x1234_5678, 'deposited');
  });

  it('stay right past the values the table keeps', () => {
    const sim = new RtlSimulator(elaborate(Decoder, {}));
    sim.poke('load', 1);
    const values = 4096 + 300;
    for (let i = 0; i < values; i++) {
      sim.poke('word', (i * 0x9e37_79b9) >>> 0);
      sim.step();
      // Every 97th value comes back, from the table or after it has started again.
      const instr = i % 97 === 0 ? 0 : (i * 0x9e37_79b9) >>> 0;
      if (i % 97 === 0) sim.deposit('instr', instr);
      expectOutputs(sim, instr, (i * 0x9e37_79b9) >>> 0, `value ${i}`);
    }
  });
});
