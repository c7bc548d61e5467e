// Drives an execution unit of the core the way the pipeline does (core contract, multi-cycle
// protocol): `start` high every cycle the instruction sits in EX, `first` in its first cycle only,
// the operands held until `ready`; between instructions either nothing (back to back) or idle
// cycles with `start` low and arbitrary operands.
import type { RtlSimulator } from '../../../hw/hdl/rtl-sim/index.js';
import type { Random } from '../../../util/random.js';

/** What the unit gave: `result` in the cycle of `ready`, and that cycle, counted from 1. */
export interface UnitOutcome {
  readonly result: number;
  readonly cycles: number;
}

/** Idle cycles before an instruction, in which its 32-bit operand inputs (`noise`) take random values. */
export interface Gap {
  readonly cycles: number;
  readonly noise: readonly string[];
  readonly random: Random;
}

/** Runs one instruction with `inputs` (port name to value) until ready, after the idle cycles of `gap`. */
export function runInstruction(sim: RtlSimulator, inputs: Readonly<Record<string, number>>, gap: Gap, maxCycles = 40): UnitOutcome {
  for (let idle = 0; idle < gap.cycles; idle++) {
    sim.poke('start', 0);
    sim.poke('first', gap.random.below(2));
    for (const name of gap.noise) sim.poke(name, gap.random.uint32());
    sim.step();
  }
  sim.poke('start', 1);
  for (const [name, value] of Object.entries(inputs)) sim.poke(name, value >>> 0);
  for (let cycle = 1; cycle <= maxCycles; cycle++) {
    sim.poke('first', Number(cycle === 1));
    const ready = sim.peek('ready') === 1;
    const result = sim.peek('result') | 0;
    sim.step();
    if (ready) return { result, cycles: cycle };
  }
  throw new Error(`no ready within ${maxCycles} cycles for ${JSON.stringify(inputs)}`);
}
