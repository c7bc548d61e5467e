// `nmsparse sim --engine cv32e40p|compare --rtl <checkout>`: the program on the real CV32E40P (the
// user's checkout, built with Verilator into the cache, gen/cv32e40p/), alone or against the ISS.
import { hex } from '../../isa/bits.js';
import { RTL_STARTUP_CYCLES } from '../../gen/cv32e40p/divergence.js';
import { runOnRtl, type RtlStop } from '../../gen/cv32e40p/run.js';
import type { TrapPolicy } from '../../isa/fault.js';
import { totals } from '../../sim/simulate.js';
import { ExitCode } from '../../util/exit-codes.js';
import { differential } from '../differential.js';

export interface RtlEngineRun {
  readonly rtl: string;
  readonly maxCycles: number;
  readonly traps: TrapPolicy;
}

/** One line on stderr, like every other report of the command. */
export interface RtlEngineOutcome {
  readonly exitCode: number;
  readonly summary: string;
  /** What the program wrote. */
  readonly output: string;
}

function rtlOutcome(stop: RtlStop, cycles: number, instret: number): Pick<RtlEngineOutcome, 'exitCode' | 'summary'> {
  const after = `${totals(cycles, instret)} on the CV32E40P RTL (counted from its first instruction, as the ISS counts; ${RTL_STARTUP_CYCLES} more since reset)`;
  switch (stop.kind) {
    case 'exit': return { exitCode: stop.code & 0xff, summary: `exit ${stop.code} ${after}` };
    case 'cycle-limit': return { exitCode: ExitCode.cycleLimit, summary: `stopped at the cycle limit ${after}` };
    case 'ebreak': return { exitCode: ExitCode.simulationFault, summary: `ebreak at pc ${hex(stop.pc)} ${after}` };
    case 'illegal-instruction': return { exitCode: ExitCode.simulationFault, summary: `illegal instruction ${hex(stop.word)} at pc ${hex(stop.pc)} ${after}` };
    case 'unsupported-ecall': return { exitCode: ExitCode.simulationFault, summary: `unsupported ecall a7=${stop.a7} at pc ${hex(stop.pc)} ${after}` };
  }
}

/** `--engine cv32e40p`. */
export async function runRtlEngine(elf: Uint8Array, { rtl, maxCycles, traps }: RtlEngineRun): Promise<RtlEngineOutcome> {
  const limit = maxCycles === 0 ? 0 : maxCycles + RTL_STARTUP_CYCLES;
  const result = await runOnRtl(elf, { rtl, maxCycles: limit, traps });
  return { ...rtlOutcome(result.stop, result.cycles - RTL_STARTUP_CYCLES, result.instret), output: result.output };
}

/** `--engine compare`: the program's exit code when ISS and RTL agree, ExitCode.enginesDiffer with the first divergence when not. */
export async function compareEngines(elf: Uint8Array, { rtl, maxCycles, traps }: RtlEngineRun): Promise<RtlEngineOutcome> {
  const result = await differential(elf, { rtl, maxCycles, traps });
  const output = result.iss.output ?? '';
  if (!result.same) return { exitCode: ExitCode.enginesDiffer, summary: `the ISS and the CV32E40P RTL differ:\n${result.report}`, output };
  return {
    exitCode: result.iss.exitCode === undefined ? ExitCode.simulationFault : result.iss.exitCode & 0xff,
    summary: `the ISS and the CV32E40P RTL agree: ${result.iss.stop} ${totals(result.iss.cycles, result.iss.instret)} (the RTL's ${RTL_STARTUP_CYCLES} start-up cycles aside)`,
    output,
  };
}
