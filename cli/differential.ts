/**
 * The differential harness of `nmsparse sim --engine compare` and of test/cv32e40p/ and test/core/:
 * one ELF program on the ISS (one hart, the memory map its entry point selects, every instruction
 * interpreted so the retire hook sees each) and on a reference RTL core (the CV32E40P RTL of a
 * checkout, or the project's core in the HDL simulator or under Verilator), compared by
 * gen/cv32e40p/divergence.ts: stop, output, instructions, cycles (less the reference's start-up
 * constant), retired pcs with their cycles, register writes and the final register file.
 */
import { CORE_STARTUP_CYCLES, runOnCore } from '../gen/core/run.js';
import { runOnCoreVerilator } from '../gen/core/verilator.js';
import { compareRuns, RTL_STARTUP_CYCLES, type Comparison, type RunSummary } from '../gen/cv32e40p/divergence.js';
import { runOnRtl } from '../gen/cv32e40p/run.js';
import type { RtlRunResult, RtlStop } from '../gen/rtl-harness/run-result.js';
import { readElf } from '../isa/elf/reader.js';
import type { FaultKind, TrapPolicy } from '../isa/fault.js';
import type { InstructionTable } from '../isa/table.js';
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
  /** The ISS's instruction table: CV32E40P unless given (with Xnmsparse for the core with the extension). */
  readonly table?: InstructionTable;
}

export interface Differential extends Comparison {
  readonly iss: RunSummary;
  readonly rtl: RunSummary;
}

/** The RTL testbenches' name for the stop of an ISS fault that ends a run, so that the same stop compares equal. */
const RTL_STOP_OF_FAULT: Partial<Record<FaultKind, RtlStop['kind']>> = {
  'illegal-instruction': 'illegal-instruction',
  'memory-access': 'access-fault',
};

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
    memoryMap: singleCoreMemoryMap(readElf(elf).entry),
    blocks: false,
    output: (text) => (output += text),
    grantDelay: options.grantDelay,
    traps: options.traps,
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
    end = { stop: RTL_STOP_OF_FAULT[error.kind] ?? error.name };
  }
  return { ...end, cycles: hart.stats.cycles, instret: hart.stats.instret, retired, registerWrites, regs: Array.from(hart.regs), output };
}

/** An RTL run, traced, as the comparison takes it. */
export function rtlSummary(rtl: RtlRunResult): RunSummary {
  return { ...ending(rtl.stop), cycles: rtl.cycles, instret: rtl.instret, retired: rtl.retired, registerWrites: rtl.registerWrites, regs: rtl.regs, output: rtl.output };
}

/** The cycle limit of a reference's run: the ISS's, raised by the reference's start-up constant. */
const referenceLimit = (maxCycles: number, startup: number): number => (maxCycles === 0 ? 0 : maxCycles + startup);

export async function runOnRtlSummary(elf: Uint8Array, options: DifferentialOptions): Promise<RunSummary> {
  return rtlSummary(await runOnRtl(elf, { ...options, maxCycles: referenceLimit(options.maxCycles, RTL_STARTUP_CYCLES), trace: true }));
}

/** Run `elf` on both and compare. */
export async function differential(elf: Uint8Array, options: DifferentialOptions): Promise<Differential> {
  const iss = runOnIss(elf, options);
  const rtl = await runOnRtlSummary(elf, options);
  return { iss, rtl, ...compareRuns(iss, rtl) };
}

/** The project's core as the reference: its HDL simulation (`rtl`) or its Verilog under Verilator. */
export interface CoreDifferentialOptions extends Omit<DifferentialOptions, 'rtl'> {
  readonly engine: 'rtl' | 'verilator';
  /** The core with Xnmsparse (the ISS then decodes the extension too: the program says which table it needs). */
  readonly extension: boolean;
}

export async function runOnCoreSummary(elf: Uint8Array, options: CoreDifferentialOptions): Promise<RunSummary> {
  const settings = { ...options, maxCycles: referenceLimit(options.maxCycles, CORE_STARTUP_CYCLES), trace: true };
  return rtlSummary(options.engine === 'rtl' ? runOnCore(elf, settings) : await runOnCoreVerilator(elf, settings));
}

/** Run `elf` on the ISS and on the project's core and compare. */
export async function coreDifferential(elf: Uint8Array, options: CoreDifferentialOptions): Promise<Differential> {
  const iss = runOnIss(elf, options);
  const rtl = await runOnCoreSummary(elf, options);
  return { iss, rtl, ...compareRuns(iss, rtl, CORE_STARTUP_CYCLES) };
}
