// A netlist large enough that the simulator splits its generated code into several functions and
// carries shared values across them in scratch storage; checked against a plain TypeScript model.
import { describe, expect, it } from 'vitest';
import { defineModule, elaborate, type Expr, UInt } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';

const registers = 16;
const mask = 0xffffffff;

/** acc starts at `a` and folds every register in, 3000 operations deep; each register takes the next one plus acc. */
const Chain = defineModule('Chain', (m, p: { length: number }) => {
  const a = m.input('a', UInt(32));
  const y = m.output('y', UInt(32));
  const regs = Array.from({ length: registers }, (_, i) => m.reg(`r${i}`, UInt(32), { reset: i }));
  // One value used all along the chain, so the generated code must carry it across functions.
  const shared = a.xor(regs[0]!).add(regs[5]!);
  let acc: Expr = a;
  for (let i = 0; i < p.length; i++) {
    const r = regs[i % registers]!;
    acc = i % 3 === 0 ? acc.add(r) : i % 3 === 1 ? acc.xor(r.shl(1)) : acc.sub(r.shr(3));
    if (i % 250 === 0) acc = acc.add(shared);
    if (i % 500 === 499) acc = m.node(`stage${i}`, acc);
  }
  regs.forEach((r, i) => r.assign(regs[(i + 1) % registers]!.add(acc)));
  y.assign(acc);
  return { a, y };
});

function model(length: number, a: number, regs: number[]): number {
  const shared = ((a ^ regs[0]!) + regs[5]!) >>> 0;
  let acc = a;
  for (let i = 0; i < length; i++) {
    const r = regs[i % registers]!;
    acc = i % 3 === 0 ? (acc + r) >>> 0 : i % 3 === 1 ? (acc ^ ((r << 1) & mask)) >>> 0 : (acc - (r >>> 3)) >>> 0;
    if (i % 250 === 0) acc = (acc + shared) >>> 0;
  }
  return acc;
}

describe('large designs', () => {
  it('compute the same in chunks as the model does, cycle after cycle', () => {
    const length = 3000;
    const sim = new RtlSimulator(elaborate(Chain, { length }));
    expect(sim.generatedSource).toMatch(/function comb3\(\)/);
    expect(sim.generatedSource).toMatch(/tn\[\d+\] = c\d+;/); // a local spilled across a chunk boundary
    sim.reset();
    let regs = Array.from({ length: registers }, (_, i) => i);
    for (let cycle = 0; cycle < 50; cycle++) {
      const a = (cycle * 2654435761) >>> 0;
      sim.poke('a', a);
      const acc = model(length, a, regs);
      expect(sim.peek('y'), `cycle ${cycle}`).toBe(acc);
      sim.step();
      regs = regs.map((_, i) => (regs[(i + 1) % registers]! + acc) >>> 0);
    }
  });
});
