/**
 * The differential harness of `nmsparse sim --engine compare` and of test/cv32e40p/: one ELF
 * program on the ISS (one hart, the memory map its entry point selects, every instruction
 * interpreted so the retire hook sees each) and on the CV32E40P RTL of a checkout,
 * compared by gen/cv32e40p/divergence.ts: stop, output, instructions, cycles (less the start-up constant),
 * retired pcs with their cycles, register writes and the final register file.
 */
import { compareRuns, RTL_STARTUP_CYCLES, type Comparison, type RunSummary } from '../gen/cv32e40p/divergence.js';
import { runOnRtl, type RtlStop } from '../gen/cv32e40p/run.js';
import { readElf } from '../isa/elf/reader.js';
import type { TrapPolicy } from '../isa/fault.js';
import type { GrantDelay } from '../isa/platform/grant-delay.js';
import { singleCoreMemoryMap } from '../isa/platform/memory-map.js';
import { IssError } from '../sim/core/errors.js';
import type { RunStop } from '../sim/core/hart.js';
import { loadProgram, type ProgramOptions } from '../sim/program.js';
import { stopText } from '../sim/simulate.js';

export interface DifferentialOptions {
  /** The CV32E40P checkout. */
  readonly rtl: string;
  /** Cycle limit of both runs (the RTL's is raised by the start-up constant). */
  readonly maxCycles: number;
  /** Bytes placed in memory before the run on both (a kernel's inputs). */
  readonly inputs?: readonly { readonly address: number; readonly bytes: Uint8Array }[];
  readonly grantDelay?: GrantDelay;
  /** What exceptions do on both (docs/iss.md#traps): 'auto' unless given. */
  readonly traps?: TrapPolicy;
}

export interface Differential extends Comparison {
  readonly iss: RunSummary;
  readonly rtl: RunSummary;
}

/** How a run ended, as RunSummary.stop spells it, and the program's exit code when it exited. */
function ending(stop: RunStop | RtlStop): Pick<RunSummary, 'stop' | 'exitCode'> {
  return stop.kind === 'exit' ? { stop: stopText(stop), exitCode: stop.code } : { stop: stopText(stop) };
}

/**
 * The ISS's side of a comparison; `table` for a core with Xnmsparse (the project's own core), and
 * `implemented` for the rows that core has (--strict-core).
 */
export function runOnIss(elf: Uint8Array, options: Omit<DifferentialOptions, 'rtl'> & Pick<ProgramOptions, 'table' | 'implemented'>): RunSummary {
  let output = '';
  const { hart, memory } = loadProgram(elf, {
    memoryMap: singleCoreMemoryMap(readElf(elf).entry), blocks: false, output: (text) => (output += text), grantDelay: options.grantDelay, traps: options.traps,
    ...(options.table ? { table: options.table } : {}),
    ...(options.implemented ? { implemented: options.implemented } : {}),
  });
  for (const input of options.inputs ?? []) memory.writeBytes(input.address, input.bytes);
  const retired: { pc: number; cycle: number }[] = [];
  const registerWrites: { reg: number; value: number }[] = [];
  hart.onRetire = (e) => {
    retired.push({ pc: e.pc, cycle: e.cycle });
    registerWrites.push(...e.regWrites);
  };
  let end: Pick<RunSummary, 'stop' | 'exitCode'>;
  try {
    end = ending(hart.run(options.maxCycles === 0 ? Number.POSITIVE_INFINITY : options.maxCycles).stop);
  } catch (error) {
    if (!(error instanceof IssError)) throw error;
    end = { stop: error.name };
  }
  return { ...end, cycles: hart.stats.cycles, instret: hart.stats.instret, retired, registerWrites, regs: Array.from(hart.regs), output };
}

export async function runOnRtlSummary(elf: Uint8Array, options: DifferentialOptions): Promise<RunSummary> {
  const maxCycles = options.maxCycles === 0 ? 0 : options.maxCycles + RTL_STARTUP_CYCLES;
  const rtl = await runOnRtl(elf, { ...options, maxCycles, trace: true });
  return { ...ending(rtl.stop), cycles: rtl.cycles, instret: rtl.instret, retired: rtl.retired, registerWrites: rtl.registerWrites, regs: rtl.regs, output: rtl.output };
}

/** Run `elf` on both and compare. */
export async function differential(elf: Uint8Array, options: DifferentialOptions): Promise<Differential> {
  const iss = runOnIss(elf, options);
  const rtl = await runOnRtlSummary(elf, options);
  return { iss, rtl, ...compareRuns(iss, rtl) };
}
