// The hardware-loop registers (hw/core/hwloop-regs.ts) against the ISA table and the ISS: every
// Xcvhwlp row, with random operands (a real word, encoded and decoded), must leave the six
// registers exactly as the row's own semantics leaves them on a stub hart, and the loop-end
// decrements the fetch unit signals (`dec`, from the ISS's HardwareLoops.next) must count down as
// the ISS does. Cycles without a write or an enabled decrement carry random inputs and change nothing.
import { describe, expect, it } from 'vitest';
import { HwloopRegs } from '../../hw/core/hwloop-regs.js';
import { HWLOOP_OP_WIDTH, hwloopControl } from '../../hw/core/hwloop-ops.js';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import type { InstructionDef } from '../../isa/definition.js';
import { decode } from '../../isa/decoder.js';
import { encodeInstruction, type OperandValues } from '../../isa/encoder.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { XCV_HWLOOP } from '../../isa/tables/xcv-hwloop.js';
import type { HwLoopRegs } from '../../isa/types.js';
import { HardwareLoops } from '../../sim/core/hwloop.js';
import { Random } from '../../util/random.js';
import { RecordingHart } from '../isa/recording-hart.js';

const KEYS = ['start', 'end', 'count'] as const;

function hardwareState(sim: RtlSimulator): HwLoopRegs {
  const state: HwLoopRegs = { start: new Uint32Array(2), end: new Uint32Array(2), count: new Uint32Array(2) };
  for (const key of KEYS) for (let l = 0; l < 2; l++) state[key][l] = sim.peek(`hwlp_${key}${l}`);
  return state;
}

const snapshot = (loops: HwLoopRegs): number[][] => KEYS.map((key) => [...loops[key]]);

/** Random in-range values for every operand of the row's format. */
function randomOperands(random: Random, def: InstructionDef): OperandValues {
  const values: Record<string, number> = {};
  for (const operand of def.format.operands) {
    values[operand.slot] = operand.min + operand.align * random.below((operand.max - operand.min) / operand.align + 1);
  }
  return values;
}

/** Input widths: every input gets a random value, which a write or a decrement then replaces. */
const INPUT_WIDTHS = { op: HWLOOP_OP_WIDTH, loop: 1, a: 32, imm: 32, imm2: 32, pc: 32, dec: 2 } as const;

function pokeRandomInputs(sim: RtlSimulator, random: Random): void {
  for (const [port, width] of Object.entries(INPUT_WIDTHS)) sim.poke(port, Number(random.bits(width)));
}

function run(seed: number, cycles: number) {
  const sim = new RtlSimulator(elaborate(HwloopRegs, {}));
  const random = new Random(seed);
  /** The ISS's loop registers, the reference. */
  const iss = new HardwareLoops();
  const seen = { rows: new Set<string>(), decrements: 0, writes: 0, both: 0 };
  sim.reset();
  for (let cycle = 0; cycle < cycles; cycle++) {
    pokeRandomInputs(sim, random);
    const writing = random.chance(0.5);
    const loopEnd = random.chance(0.4);
    sim.poke('write', Number(writing));
    sim.poke('dec_enable', Number(loopEnd));

    // The last instruction of a loop body leaves decode: HardwareLoops.next decrements (at most)
    // one count; `dec` names it, as the fetch unit does.
    if (loopEnd) {
      const before = [...iss.count];
      iss.next(iss.end[random.below(2)]!);
      const dec = (iss.count[0] !== before[0] ? 1 : 0) | (iss.count[1] !== before[1] ? 2 : 0);
      sim.poke('dec', dec);
      if (dec !== 0) seen.decrements++;
    }
    if (writing) {
      const def = random.pick(XCV_HWLOOP);
      const pc = (random.uint32() & ~3) >>> 0;
      const word = encodeInstruction(def, randomOperands(random, def));
      const insn = decode(CV32E40P_TABLE, word, pc)!;
      expect(insn.def).toBe(def);
      const registers = random.fill(new Int32Array(32));
      registers[0] = 0;
      // The row runs on a hart holding the registers as they are after this cycle's decrement:
      // a write wins over a decrement of the same count.
      const hart = new RecordingHart(pc, 4, registers, iss, () => 0);
      insn.execute(hart, insn);
      for (const key of KEYS) iss[key].set(hart.hwloop[key]);
      sim.poke('op', hwloopControl(def)!);
      sim.poke('loop', insn.loop);
      sim.poke('a', registers[insn.rs1]! >>> 0);
      sim.poke('imm', insn.imm >>> 0);
      sim.poke('imm2', insn.imm2 >>> 0);
      sim.poke('pc', pc);
      seen.rows.add(def.mnemonic);
      seen.writes++;
      if (loopEnd) seen.both++;
    }
    sim.step();
    expect(snapshot(hardwareState(sim)), `cycle ${cycle}`).toEqual(snapshot(iss));
  }
  return seen;
}

describe('HwloopRegs', () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: every Xcvhwlp row writes what its semantics writes; loop ends count down as in the ISS`, () => {
      const seen = run(seed, 3000);
      expect([...seen.rows].sort()).toEqual(XCV_HWLOOP.map((d) => d.mnemonic).sort());
      expect(seen.decrements).toBeGreaterThan(300);
      expect(seen.both).toBeGreaterThan(100);
    });
  }

  it('hwloopControl gives an op for the Xcvhwlp rows only', () => {
    const ops = XCV_HWLOOP.map(hwloopControl);
    expect(new Set(ops).size).toBe(XCV_HWLOOP.length);
    for (const def of CV32E40P_TABLE.instructions) if (def.extension !== 'Xcvhwlp') expect(hwloopControl(def), def.mnemonic).toBeUndefined();
  });
});
