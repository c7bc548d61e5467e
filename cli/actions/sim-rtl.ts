// `nmsparse sim --engine cv32e40p|rtl|verilator|compare`: the program on an RTL core, alone or
// against the ISS. The cores: the real CV32E40P (the user's checkout, built with Verilator into
// the cache, gen/cv32e40p/), or the project's own core (hw/core/) in the HDL's simulator
// (gen/core/run.ts) or as its emitted Verilog under Verilator (gen/core/verilator.ts, cached).
import { hex } from '../../isa/bits.js';
import { disassemble } from '../../isa/disassembler.js';
import { type ElfImage, readElf } from '../../isa/elf/reader.js';
import { CV32E40P_TABLE, type InstructionTable } from '../../isa/table.js';
import { CORE_STARTUP_CYCLES, type CoreRunResult, runOnCore } from '../../gen/core/run.js';
import { STALL_ROWS } from '../../gen/core/stall-stats.js';
import { runOnCoreVerilator } from '../../gen/core/verilator.js';
import { RTL_STARTUP_CYCLES } from '../../gen/cv32e40p/divergence.js';
import { runOnRtl } from '../../gen/cv32e40p/run.js';
import type { RtlRunResult, RtlStop } from '../../gen/rtl-harness/run-result.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { describeSite } from '../../sim/core/errors.js';
import { statsTable, totals } from '../../sim/simulate.js';
import { describeTrapCause, type TrapPolicy } from '../../isa/fault.js';
import { ExitCode } from '../../util/exit-codes.js';
import { coreDifferential, differential, type Differential } from '../differential.js';

/** The RTL a run uses: the CV32E40P of a checkout, or the project's core in one of its two simulations. */
export type RtlReference =
  | { readonly kind: 'cv32e40p'; readonly rtl: string }
  | { readonly kind: 'rtl' | 'verilator'; readonly extension: boolean };

export interface RtlEngineRun {
  readonly reference: RtlReference;
  readonly maxCycles: number;
  /** Return the table of where the cycles went (the project's core only). */
  readonly stats?: boolean;
  /** What exceptions do (docs/iss.md#traps), on every engine. */
  readonly traps: TrapPolicy;
}

/** One line on stderr, like every other report of the command. */
export interface RtlEngineOutcome {
  readonly exitCode: number;
  readonly summary: string;
  /** What the program wrote. */
  readonly output: string;
  /** The `--stats` table, when asked. */
  readonly stats?: string;
}

/** How the reports name a reference, and the cycles it spends before its first instruction. */
function described(reference: RtlReference): { name: string; startup: number } {
  if (reference.kind === 'cv32e40p') return { name: 'the CV32E40P RTL', startup: RTL_STARTUP_CYCLES };
  const core = `the nmsparse core${reference.extension ? ' with Xnmsparse' : ''}`;
  return { name: reference.kind === 'rtl' ? `the HDL simulation of ${core}` : `the Verilog of ${core} under Verilator`, startup: CORE_STARTUP_CYCLES };
}

function rtlOutcome(stop: RtlStop, cycles: number, instret: number, reference: RtlReference): Pick<RtlEngineOutcome, 'exitCode' | 'summary'> {
  const { name, startup } = described(reference);
  const after = `${totals(cycles, instret)} on ${name} (counted from its first instruction, as the ISS counts; ${startup} more since reset)`;
  switch (stop.kind) {
    case 'exit': return { exitCode: stop.code & 0xff, summary: `exit ${stop.code} ${after}` };
    case 'cycle-limit': return { exitCode: ExitCode.cycleLimit, summary: `stopped at the cycle limit ${after}` };
    case 'ebreak': return { exitCode: ExitCode.simulationFault, summary: `ebreak at pc ${hex(stop.pc)} ${after}` };
    case 'illegal-instruction': return { exitCode: ExitCode.simulationFault, summary: `illegal instruction ${hex(stop.word)} at pc ${hex(stop.pc)} ${after}` };
    case 'unsupported-ecall': return { exitCode: ExitCode.simulationFault, summary: `unsupported ecall a7=${stop.a7} at pc ${hex(stop.pc)} ${after}` };
    case 'access-fault': return { exitCode: ExitCode.simulationFault, summary: `${describeTrapCause(stop.cause)} at pc ${hex(stop.pc)} ${after}` };
    // As the ISS reports it (sim/simulate.ts): the core sleeps with nothing left to wake it.
    case 'wfi': return { exitCode: 0, summary: `wfi ${after}` };
  }
}

/** The core's `--stats` table, in the ISS's rows (sim/simulate.ts formatStats); `other` only when some cycle fits no row. */
function coreStats(result: CoreRunResult, cycles: number): string {
  const rows: [string, number[]][] = [['cycles', [cycles]], ['active cycles', [cycles]], ['instructions', [result.instret]]];
  for (const row of STALL_ROWS) if (row !== 'other' || result.stalls.other > 0) rows.push([row, [result.stalls[row]]]);
  return statsTable([0], rows);
}

/** `--engine cv32e40p`, `rtl` or `verilator`. */
export async function runRtlEngine(elf: Uint8Array, { reference, maxCycles, stats, traps }: RtlEngineRun): Promise<RtlEngineOutcome> {
  const { startup } = described(reference);
  const limit = maxCycles === 0 ? 0 : maxCycles + startup;
  let result: RtlRunResult;
  let core: CoreRunResult | undefined;
  if (reference.kind === 'cv32e40p') {
    result = await runOnRtl(elf, { rtl: reference.rtl, maxCycles: limit, traps });
  } else {
    const settings = { extension: reference.extension, maxCycles: limit, traps };
    result = core = reference.kind === 'rtl' ? runOnCore(elf, settings) : await runOnCoreVerilator(elf, settings);
  }
  const cycles = result.cycles - startup;
  const table = stats && core ? { stats: coreStats(core, cycles) } : {};
  return { ...rtlOutcome(result.stop, cycles, result.instret, reference), output: result.output, ...table };
}

/** The instruction word at `pc` in the program's segments (16 bits for a compressed one), or undefined outside them. */
function wordAt(image: ElfImage, pc: number): number | undefined {
  const byte = (address: number): number | undefined => {
    const segment = image.segments.find((s) => address >= s.address && address < s.address + s.data.length);
    return segment?.data[address - segment.address];
  };
  const half = (address: number): number | undefined => {
    const [low, high] = [byte(address), byte(address + 1)];
    return low === undefined || high === undefined ? undefined : low | (high << 8);
  };
  const low = half(pc);
  if (low === undefined || (low & 3) !== 3) return low;
  const high = half(pc + 2);
  return high === undefined ? undefined : (low | (high << 16)) >>> 0;
}

/** The ISS's instruction where the runs part, as the ISS names a fault's site (its ISS cycle). */
function divergenceSite(elf: Uint8Array, result: Differential, table: InstructionTable): string | undefined {
  if (result.at === undefined) return undefined;
  const retired = result.iss.retired[result.at] ?? result.rtl.retired[result.at];
  if (retired === undefined) return undefined;
  const word = wordAt(readElf(elf), retired.pc);
  return describeSite({ core: 0, pc: retired.pc, word, disassembly: word === undefined ? '?' : disassemble(table, word, retired.pc), cycle: retired.cycle });
}

/** `--engine compare`: the program's exit code when ISS and RTL agree, ExitCode.enginesDiffer with the first divergence when not. */
export async function compareEngines(elf: Uint8Array, { reference, maxCycles, traps }: RtlEngineRun): Promise<RtlEngineOutcome> {
  const { name, startup } = described(reference);
  const result: Differential = reference.kind === 'cv32e40p'
    ? await differential(elf, { rtl: reference.rtl, maxCycles, traps })
    : await coreDifferential(elf, { engine: reference.kind, extension: reference.extension, maxCycles, traps, ...(reference.extension ? { table: CV32E40P_XNMSPARSE_TABLE } : {}) });
  const output = result.iss.output ?? '';
  if (!result.same) {
    const site = divergenceSite(elf, result, reference.kind !== 'cv32e40p' && reference.extension ? CV32E40P_XNMSPARSE_TABLE : CV32E40P_TABLE);
    return { exitCode: ExitCode.enginesDiffer, summary: `the ISS and ${name} differ:\n${result.report}${site === undefined ? '' : `\nfirst instruction where they part: ${site}`}`, output };
  }
  return {
    exitCode: result.iss.exitCode === undefined ? ExitCode.simulationFault : result.iss.exitCode & 0xff,
    summary: `the ISS and ${name} agree: ${result.iss.stop} ${totals(result.iss.cycles, result.iss.instret)} (the RTL's ${startup} start-up cycles aside)`,
    output,
  };
}
