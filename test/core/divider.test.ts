// The serial divider against the RV32M rows' own semantics and the ISS's cycle model: every result
// and the cycle of `ready` (divideCycles of sim/core/timing.ts), for edge values, divisors of every
// leading-zero count of both signs, and random operands, with instructions back to back and with
// idle cycles between them.
import { describe, expect, it } from 'vitest';
import { CoreDivider, dividerControl } from '../../hw/core/divider.js';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import type { InstructionDef } from '../../isa/definition.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { CV32E40P_TIMING, divideCycles } from '../../sim/core/timing.js';
import { Random } from '../../util/random.js';
import { runInstruction, type UnitOutcome } from './support/ex-unit.js';
import { randomInstance, runRowSemantics } from './support/row-semantics.js';

const INT_MIN = -0x80000000;
const INT_MAX = 0x7fffffff;
const EDGES = [0, 1, -1, 2, -2, 3, -3, 7, -7, 0x10000, -0x10000, INT_MIN, INT_MIN + 1, INT_MAX, INT_MAX - 1];

const rows = CV32E40P_TABLE.instructions.filter((def) => dividerControl(def) !== undefined);

/** Divisors with every count of leading zeros and of leading ones, powers of two and not. */
function divisorsOfEveryLength(random: Random): number[] {
  const divisors: number[] = [];
  for (let top = 0; top < 32; top++) {
    const power = 2 ** top;
    const below = random.below(power);
    for (const magnitude of [power, power + below]) divisors.push(magnitude | 0, -magnitude | 0, ~magnitude | 0);
  }
  return divisors;
}

function vectors(random: Random): [number, number][] {
  const pairs: [number, number][] = [];
  for (const a of EDGES) for (const b of EDGES) pairs.push([a, b]);
  for (const b of divisorsOfEveryLength(random)) pairs.push([random.uint32() | 0, b], [random.pick(EDGES), b]);
  // Operands of random lengths, so that quotients and remainders of every size are common.
  const ofRandomLength = (): number => Number(random.bits(random.below(33))) | 0;
  for (let i = 0; i < 300; i++) pairs.push([ofRandomLength(), ofRandomLength()]);
  return pairs;
}

/** Each division in turn, with start held high until ready, after `gap()` idle cycles (0: back to back). */
function runAll(sim: RtlSimulator, op: number, pairs: readonly [number, number][], gap: () => number, random: Random): UnitOutcome[] {
  return pairs.map(([a, b]) => runInstruction(sim, { op, a, b }, { cycles: gap(), noise: ['a', 'b'], random }));
}

describe('CoreDivider', () => {
  it('takes the four RV32M divide rows and no other', () => {
    expect(rows.map((def) => def.mnemonic).sort()).toEqual(['div', 'divu', 'rem', 'remu']);
    expect(new Set(rows.map((def) => dividerControl(def))).size).toBe(4);
  });

  describe.each(rows.map((def): [string, InstructionDef] => [def.mnemonic, def]))('%s', (_mnemonic, def) => {
    const signed = def.timing === 'divSigned';
    const op = dividerControl(def)!;

    it.each([
      ['back to back', () => 0],
      ['with idle cycles between', (random: Random) => random.below(3)],
    ])('gives the row\'s result in divideCycles cycles, %s', (_name, gapOf) => {
      const random = new Random(0xd1 + op);
      const pairs = vectors(random);
      const sim = new RtlSimulator(elaborate(CoreDivider, {}));
      sim.reset();
      const outcomes = runAll(sim, op, pairs, () => gapOf(random), random);
      pairs.forEach(([a, b], i) => {
        const insn = randomInstance(def, random);
        const expected = runRowSemantics(insn, { a, b, c: random.uint32() | 0 }).rd;
        expect(outcomes[i], `${def.mnemonic} ${a}, ${b}`).toEqual({ result: expected, cycles: divideCycles(CV32E40P_TIMING, b, signed) });
      });
    });
  });

  it('restarts on a new first cycle even before ready (a flushed division)', () => {
    const sim = new RtlSimulator(elaborate(CoreDivider, {}));
    sim.reset();
    const op = dividerControl(rows.find((def) => def.mnemonic === 'divu')!)!;
    sim.poke('op', op);
    sim.poke('start', 1);
    sim.poke('a', 1000);
    sim.poke('b', 1);
    sim.poke('first', 1);
    sim.step();
    sim.poke('first', 0);
    sim.step(5);
    const [outcome] = runAll(sim, op, [[1000, 7]], () => 0, new Random(1));
    expect(outcome).toEqual({ result: 142, cycles: divideCycles(CV32E40P_TIMING, 7, false) });
  });
});
