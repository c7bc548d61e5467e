// The multiplier against the ISA table's own semantics: for every row multiplierControl accepts,
// edge operands (0, -1, INT_MIN, INT_MAX, extreme lanes) and seeded random ones, each in a real
// instruction word encoded and decoded again for its immediates; the result and the cycle of
// `ready` (mulh*: the 5th, every other row: the 1st, as the ISS's timing model charges them). With
// the ports of Xnmsparse's byte lanes, the same rows give the same results while nm.mac4 does not
// have the lanes, and the lanes give nm.mac4's products (executeMac4 of the golden model) while it
// does.
import { describe, expect, it } from 'vitest';
import { CoreMultiplier } from '../../hw/core/multiplier.js';
import { macLanesOp, MULTIPLIER_OPS, multiplierControl } from '../../hw/core/multiplier-ops.js';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import type { DecodedInstruction, InstructionDef } from '../../isa/definition.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { executeMac4 } from '../../isa/xnmsparse/mac.js';
import { CV32E40P_TIMING } from '../../sim/core/timing.js';
import { Random } from '../../util/random.js';
import { runInstruction, type UnitOutcome } from './support/ex-unit.js';
import { type OperandValues, randomInstance, runRowSemantics } from './support/row-semantics.js';

const EDGES = [
  0, 1, -1, 2, -0x80000000, 0x7fffffff, 0x8000, 0x7fff, 0xffff, 0x10000, 0x80008000 | 0, 0x7fff7fff, 0xffff0000 | 0,
  0x80808080 | 0, 0x7f7f7f7f, 0x01010101, 0xff00ff00 | 0,
];
const OPERAND_PORTS = ['a', 'b', 'c', 'imm', 'imm2'];

/** Rows of the multiplier's classes that it does not execute: none. */
const UNSUPPORTED: readonly string[] = [];

const rows = CV32E40P_TABLE.instructions.filter((def) => multiplierControl(def) !== undefined);

/** Cycles the ISS charges a row the multiplier executes. */
const expectedCycles = (def: InstructionDef): number => (def.timing === 'mulh' ? CV32E40P_TIMING.mulh : 1);

/** A random word whose lanes are often extreme (0, +-1, the lane's minimum or maximum). */
function operand(random: Random): number {
  if (random.chance(0.5)) return random.uint32() | 0;
  const lanes = random.chance(0.5) ? 4 : 2;
  const width = 32 / lanes;
  let word = 0;
  for (let i = 0; i < lanes; i++) {
    const extreme = random.pick([0, 1, -1, 2 ** (width - 1), 2 ** (width - 1) - 1, random.uint32()]);
    word |= (extreme & (2 ** width - 1)) << (i * width);
  }
  return word | 0;
}

function vectors(random: Random): OperandValues[] {
  const list: OperandValues[] = [];
  for (const a of EDGES) for (const b of EDGES) list.push({ a, b, c: random.pick(EDGES) });
  for (let i = 0; i < 150; i++) list.push({ a: operand(random), b: operand(random), c: operand(random) });
  return list;
}

interface Case {
  readonly def: InstructionDef;
  readonly inputs: Record<string, number>;
  readonly expected: UnitOutcome;
}

/** A slot the row's format does not fill holds an arbitrary value: the unit must not look at it. */
function slotValue(def: InstructionDef, insn: DecodedInstruction, slot: 'imm' | 'imm2', random: Random): number {
  return def.format.operands.some((operand) => operand.slot === slot) ? insn[slot] : random.uint32();
}

function caseOf(def: InstructionDef, operands: OperandValues, random: Random): Case {
  const insn = randomInstance(def, random);
  const imm = slotValue(def, insn, 'imm', random);
  const imm2 = slotValue(def, insn, 'imm2', random);
  return {
    def,
    inputs: { op: multiplierControl(def)!, a: operands.a, b: operands.b, c: operands.c, imm, imm2 },
    expected: { result: runRowSemantics(insn, operands).rd, cycles: expectedCycles(def) },
  };
}

function runCases(cases: readonly Case[], gapOf: (random: Random) => number, random: Random, macLanes = false): void {
  const sim = new RtlSimulator(elaborate(CoreMultiplier, { macLanes }));
  sim.reset();
  for (const { def, inputs, expected } of cases) {
    const outcome = runInstruction(sim, inputs, { cycles: gapOf(random), noise: OPERAND_PORTS, random });
    if (outcome.result !== expected.result || outcome.cycles !== expected.cycles) {
      expect(outcome, `${def.mnemonic} ${JSON.stringify(inputs)}`).toEqual(expected);
    }
  }
}

describe('CoreMultiplier', () => {
  it('names only rows of the instruction table, each accepted', () => {
    const accepted = new Set(rows.map((def) => def.mnemonic));
    expect([...MULTIPLIER_OPS.keys()].filter((name) => !accepted.has(name))).toEqual([]);
    expect(new Set(rows.map((def) => multiplierControl(def))).size).toBe(rows.length);
  });

  it('supports every row the table marks as the multiplier\'s but the listed ones', () => {
    // InstructionDef.multiplier: RV32M's multiplies, Xcvmac, the SIMD dot products and complex multiplies.
    const ours = (def: InstructionDef): boolean => def.multiplier === true;
    const unsupported = CV32E40P_TABLE.instructions.filter((def) => ours(def) && multiplierControl(def) === undefined);
    expect(unsupported.map((def) => def.mnemonic)).toEqual(UNSUPPORTED);
    expect(rows.filter((def) => !ours(def)).map((def) => def.mnemonic)).toEqual([]);
  });

  describe.each(rows.map((def): [string, InstructionDef] => [def.mnemonic, def]))('%s', (mnemonic, def) => {
    it(`gives the row's result in ${expectedCycles(def)} cycle(s), back to back`, () => {
      const random = new Random([...mnemonic].reduce((h, ch) => Math.imul(h, 31) + ch.charCodeAt(0), 7));
      runCases(vectors(random).map((operands) => caseOf(def, operands, random)), () => 0, random);
    });
  });

  it('runs a random mix of rows back to back and with idle cycles between', () => {
    const random = new Random(2024);
    const cases = Array.from({ length: 3000 }, () => caseOf(random.pick(rows), { a: operand(random), b: operand(random), c: operand(random) }, random));
    runCases(cases, (r) => (r.chance(0.8) ? 0 : r.below(3)), random);
  });

  it('runs the random mix the same with the nm.mac4 lanes, while nm.mac4 does not have them', () => {
    const random = new Random(2025);
    const cases = Array.from({ length: 1000 }, () => caseOf(random.pick(rows), { a: operand(random), b: operand(random), c: operand(random) }, random));
    runCases(cases, (r) => (r.chance(0.8) ? 0 : r.below(3)), random, true);
  });

  it('gives nm.mac4 the four products of the loaded word and the weight when it has the lanes', () => {
    const sim = new RtlSimulator(elaborate(CoreMultiplier, { macLanes: true }));
    const random = new Random(4);
    sim.poke('mac_lanes', 1);
    for (let trial = 0; trial < 2000; trial++) {
      // Whatever the unit's own operands are, and the signedness of the nm.mac4 op (the one behind
      // may have the other): the lanes are this nm.mac4's.
      for (const port of OPERAND_PORTS) sim.poke(port, random.uint32());
      const signed = random.chance(0.5);
      sim.poke('op', macLanesOp(random.chance(0.5)));
      const word = random.uint32();
      const weights = random.uint32();
      sim.poke('mac_word', word);
      sim.poke('mac_weight', weights & 0xff);
      sim.poke('mac_signed', Number(signed));
      // nm.mul4's sums are the products alone.
      const golden = executeMac4({ half: 0, lane: 0, signed, start: true }, { rs1: 0, rs2: 0, rs3: weights }, [], () => word);
      const products = sim.peekBig('mac_products');
      expect([0, 1, 2, 3].map((p) => Number(BigInt.asIntN(16, products >> BigInt(16 * p)))), `word ${word}, weight ${weights & 0xff}`).toEqual(golden.kind === 'ok' ? golden.sums : []);
    }
  });

  it('runs mulh right after mulh in 5 cycles each', () => {
    const random = new Random(5);
    const mulhs = rows.filter((def) => def.timing === 'mulh');
    const cases = Array.from({ length: 200 }, () => caseOf(random.pick(mulhs), { a: operand(random), b: operand(random), c: operand(random) }, random));
    runCases(cases, () => 0, random);
  });
});
