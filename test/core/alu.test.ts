// The core's ALU against the ISA table: for every row aluControl accepts, random instruction words
// (encoded from the row, decoded back for the immediate slots) and random register values, the
// HDL's result (or branch condition) must be what the row's own semantics compute.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALU_MNEMONICS, ALU_OP_ADD, ALU_OP_FIELDS, ALU_OP_WIDTH, aluControl, AluLane, aluOp, AluUnit, type AluOpField,
} from '../../hw/core/alu-ops.js';
import { CoreAlu } from '../../hw/core/alu.js';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { decode } from '../../isa/decoder.js';
import type { InstructionDef } from '../../isa/definition.js';
import { encodeChecked, type OperandValues as SlotValues } from '../../isa/encoder.js';
import { replicate, type LaneWidth } from '../../isa/simd.js';
import { BASE_INSTRUCTIONS, CV32E40P_TABLE } from '../../isa/table.js';
import { Random } from '../../util/random.js';
import { runRowSemantics, type OperandValues } from './support/row-semantics.js';

const VECTORS_PER_ROW = 400;
const PC = 0x1000;

/** Register values that reach the corners: extremes per lane, small numbers, and uniform words. */
function registerValue(random: Random): number {
  const kind = random.below(7);
  if (kind === 0) return random.pick([0, -1, 0x80000000, 0x7fffffff, 0x80008000, 0x7fff7fff, 0x80808080, 0x7f7f7f7f, 1]) | 0;
  if (kind === 1) return random.below(64) - 32;
  // Magnitudes of every size, positive and negative (clip bounds, bit counts).
  if (kind === 2) return random.uint32() >>> random.below(32);
  if (kind === 3) return -(random.uint32() >>> random.below(32)) | 0;
  return random.uint32() | 0;
}

/**
 * rs1's value: often equal to another operand (rs2, imm, imm2) in some or all lanes, that
 * operand's lane 0 replicated (for SIMD rows) or not, so that lane equality and the .sc/.sci
 * forms' comparisons see both outcomes.
 */
function relatedValue(random: Random, others: readonly number[], laneWidth: LaneWidth | undefined): number {
  const own = registerValue(random);
  if (!random.chance(0.7)) return own;
  let other = random.pick(others);
  if (laneWidth !== undefined && random.chance(0.5)) other = replicate(other, laneWidth);
  if (random.chance(0.5)) return other;
  const keep = random.chance(0.5)
    ? random.pick([0xffff0000, 0x0000ffff])
    : [0, 1, 2, 3].reduce((mask, j) => (random.chance(0.5) ? mask | (0xff << (8 * j)) : mask), 0);
  return ((other & keep) | (own & ~keep)) | 0;
}

/** Random operand slot values for a row: distinct non-zero registers, immediates over their whole range. */
function randomSlots(def: InstructionDef, random: Random): SlotValues {
  const slots: Record<string, number> = {};
  const registers = new Set<number>();
  for (const operand of def.format.operands) {
    if (operand.syntax === 'reg') {
      let reg: number;
      do reg = 1 + random.below(31); while (registers.has(reg));
      registers.add(reg);
      slots[operand.slot] = reg;
    } else {
      const steps = Math.floor((operand.max - operand.min) / operand.align) + 1;
      slots[operand.slot] = operand.min + operand.align * random.below(steps);
    }
  }
  return slots;
}

let sim: RtlSimulator;
beforeAll(() => {
  sim = new RtlSimulator(elaborate(CoreAlu, {}));
});

function applyAlu(op: number, values: OperandValues, imm: number, imm2: number): { result: number; taken: number } {
  sim.poke('op', op);
  sim.poke('a', values.a >>> 0);
  sim.poke('b', values.b >>> 0);
  sim.poke('c', values.c >>> 0);
  sim.poke('imm', imm >>> 0);
  sim.poke('imm2', imm2 >>> 0);
  return { result: sim.peek('result') | 0, taken: sim.peek('branch_taken') };
}

const opField = (op: number, name: AluOpField): number => {
  const [lo, bits] = ALU_OP_FIELDS[name];
  return (op >>> lo) & ((1 << bits) - 1);
};
const isComparison = (op: number): boolean => opField(op, 'unit') === AluUnit.compare;
/** A bit of each lane of a comparison's result: bit 0 for 32-bit lanes (0 or 1), else each lane's top bit. */
function laneMasks(op: number): number[] {
  const width = opField(op, 'width');
  return width === AluLane.word ? [1] : width === AluLane.half ? [0x8000, 0x80000000] : [0x80, 0x8000, 0x800000, 0x80000000];
}

const hex = (v: number): string => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;

const supported = BASE_INSTRUCTIONS.filter((def) => aluControl(def) !== undefined);

const definesSlot = (def: InstructionDef, slot: 'imm' | 'imm2'): boolean => def.format.operands.some((operand) => operand.slot === slot);

/** A seed of its own for each row, so a row's vectors do not change when rows are added. */
const seedOf = (mnemonic: string): number => [...mnemonic].reduce((h, ch) => Math.imul(h ^ ch.charCodeAt(0), 0x01000193), 0x811c9dc5);

describe('CoreAlu against the ISA table rows', () => {
  it.each(supported.map((def) => [def.mnemonic, def] as const))('%s', (mnemonic, def) => {
    const random = new Random(seedOf(mnemonic));
    const op = aluControl(def)!;
    const laneWidth = ({ [AluLane.half]: 16, [AluLane.byte]: 8 } as Record<number, LaneWidth>)[opField(op, 'width')];
    const lanes = laneMasks(op);
    const defines = { imm: definesSlot(def, 'imm'), imm2: definesSlot(def, 'imm2') };
    const outcomes = new Set<number>();
    const lanesHolding = lanes.map(() => 0);
    let taken = 0;
    for (let n = 0; n < VECTORS_PER_ROW; n++) {
      const word = encodeChecked(def, randomSlots(def, random));
      const insn = decode(CV32E40P_TABLE, word, PC)!;
      expect(insn?.def.mnemonic, hex(word)).toBe(mnemonic);
      const b = registerValue(random);
      const values = { a: relatedValue(random, [b, insn.imm, insn.imm2], laneWidth), b, c: registerValue(random) };
      const expected = runRowSemantics(insn, values, PC);
      // Slots the row's format does not define may hold anything (an HDL decoder need not zero them).
      const imm = defines.imm ? insn.imm : random.uint32();
      const imm2 = defines.imm2 ? insn.imm2 : random.uint32();
      const got = applyAlu(op, values, imm, imm2);
      const context = `${mnemonic} word ${hex(word)} a ${hex(values.a)} b ${hex(values.b)} c ${hex(values.c)} imm ${hex(imm)} imm2 ${hex(imm2)}`;
      if (def.timing === 'branch') {
        if (got.taken !== Number(expected.jumpedTo !== undefined)) expect.fail(`${context}: branch_taken ${got.taken}`);
        taken += got.taken;
      } else if (got.result !== expected.rd) {
        expect.fail(`${context}: result ${hex(got.result)}, the row computes ${hex(expected.rd)}`);
      }
      outcomes.add(got.result);
      lanes.forEach((lane, i) => { lanesHolding[i]! += Number((got.result & lane) !== 0); });
    }
    // The vectors reach both outcomes of a branch or of each compared lane (over 5% each), and
    // more than a handful of results otherwise.
    const bothWays = (count: number): void => expect(Math.min(count, VECTORS_PER_ROW - count)).toBeGreaterThanOrEqual(VECTORS_PER_ROW / 20);
    if (def.timing === 'branch') bothWays(taken);
    else if (isComparison(op)) lanesHolding.forEach(bothWays);
    else expect(outcomes.size).toBeGreaterThan(8);
  });

  it('ALU_OP_ADD adds a and b (auipc: a = pc, b = imm)', () => {
    const random = new Random(7);
    for (let n = 0; n < 1000; n++) {
      const values = { a: random.uint32(), b: random.uint32(), c: random.uint32() };
      expect(applyAlu(ALU_OP_ADD, values, random.uint32(), random.uint32()).result).toBe((values.a + values.b) | 0);
    }
  });
});

describe('aluControl', () => {
  it('gives ops of ALU_OP_WIDTH bits, and refuses a field value that does not fit', () => {
    for (const def of supported) expect(aluControl(def)! >>> ALU_OP_WIDTH, def.mnemonic).toBe(0);
    expect(() => aluOp({ unit: 'logic', fn: 8 })).toThrow('aluOp: fn=8 does not fit 3 bits');
  });

  it('accepts exactly the rows of its table, each by one row of the base table', () => {
    expect(supported.map((def) => def.mnemonic).sort()).toEqual([...ALU_MNEMONICS].sort());
  });

  it('rejects every row outside the ALU classes (memory, jumps, CSRs, multiply, divide, system)', () => {
    const others = BASE_INSTRUCTIONS.filter((def) => def.timing !== 'alu' && def.timing !== 'branch');
    expect(others.length).toBeGreaterThan(40);
    expect(others.filter((def) => aluControl(def) !== undefined).map((def) => def.mnemonic)).toEqual([]);
  });

  it('lists the rows of its classes that it leaves to other units or does not support', () => {
    const unsupported = BASE_INSTRUCTIONS.filter((def) => (def.timing === 'alu' || def.timing === 'branch') && aluControl(def) === undefined);
    expect(unsupported.map((def) => def.mnemonic)).toEqual(UNSUPPORTED);
  });
});

const simdForms = (families: readonly string[]): string[] =>
  families.flatMap((f) => ['.h', '.b', '.sc.h', '.sc.b', '.sci.h', '.sci.b'].map((suffix) => `cv.${f}${suffix}`));
const divisions = (names: readonly string[]): string[] => ['', '.div2', '.div4', '.div8'].flatMap((d) => names.map((n) => `${n}${d}`));

/** Rows of the alu and branch timing classes that the ALU does not compute, in table order. */
const UNSUPPORTED: readonly string[] = [
  // The pipeline adds pc and imm with ALU_OP_ADD.
  'auipc',
  // The multiplier's.
  'mul',
  // Hardware-loop set-up: the loop registers'.
  'cv.starti', 'cv.start', 'cv.endi', 'cv.end', 'cv.counti', 'cv.count', 'cv.setupi', 'cv.setup',
  // The multiplier's: multiply-accumulate and the fixed-point multiplies.
  'cv.mac', 'cv.msu',
  ...['mul', 'mac'].flatMap((k) => ['sn', 'srn', 'hhsn', 'hhsrn', 'un', 'urn', 'hhun', 'hhurn'].map((v) => `cv.${k}${v}`)),
  // The multiplier's: dot products.
  ...simdForms(['dotup', 'dotusp', 'dotsp', 'sdotup', 'sdotusp', 'sdotsp']),
  // The multiplier's: complex multiplies.
  ...divisions(['cv.cplxmul.r', 'cv.cplxmul.i']),
];
