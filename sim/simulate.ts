/**
 * Everything `nmsparse sim <program> [--cores N] [--trace] [--stats] [--max-cycles N]` needs once
 * it has an ELF executable, as one call: load it, run it on one hart or on the cluster (in slices,
 * so that an interruption is noticed: sim/run-in-slices.ts), and report the outcome, where the
 * cores stood, statistics and (optionally) a trace line per retired instruction. The CLI reads (or
 * assembles) the program, parses arguments, turns Ctrl-C and SIGTERM into `interrupt` and prints.
 */
import { ExitCode } from '../util/exit-codes.js';
import { constants } from 'node:os';
import { hex } from '../isa/bits.js';
import { formatInstruction, instructionHex } from '../isa/disassembler.js';
import { regName } from '../isa/registers.js';
import type { Cycles } from '../isa/types.js';
import type { InstructionTable } from '../isa/table.js';
import { describeTrapCause, type TrapPolicy } from '../isa/fault.js';
import { Cluster } from './cluster/cluster.js';
import { MAX_CLUSTER_CORES, PULP_CLUSTER } from './cluster/config.js';
import type { PortStats } from './cluster/core-port.js';
import { describeSite, IssError, type FaultSite } from './core/errors.js';
import type { ImplementedRows } from './core/code-cache.js';
import type { Hart, RunStop } from './core/hart.js';
import type { RetireEvent, TrapEvent } from './core/retire.js';
import { ElfError, readElf } from '../isa/elf/reader.js';
import { loadProgram } from './program.js';
import { runInSlices, type Machine, type SlicedResult } from './run-in-slices.js';
import { DEFAULT_MAX_CYCLES } from './limits.js';
import { singleCoreMemoryMap } from '../isa/platform/memory-map.js';

export interface SimulateOptions {
  /** 1 (default): one hart with single-cycle memory; 2..16: the cluster. */
  readonly cores?: number;
  /** Stop a runaway program after this many cycles: DEFAULT_MAX_CYCLES unless given, 0 for no limit. */
  readonly maxCycles?: Cycles;
  /**
   * Stops the run when aborted, within milliseconds, with the name of the signal that asked for it
   * ('SIGINT', 'SIGTERM') as the reason; any other reason counts as SIGINT (Ctrl-C).
   */
  readonly interrupt?: AbortSignal;
  /** Receives one line per retired instruction. */
  readonly trace?: (line: string) => void;
  /** Receives what the program writes. */
  readonly output?: (text: string, fd: number) => void;
  /** Instruction table of every core: CV32E40P unless given, e.g. with Xnmsparse. */
  readonly table?: InstructionTable;
  /** Only these rows of the table are instructions (`--strict-core`: the project's core's rows); all unless given. */
  readonly implemented?: ImplementedRows;
  /**
   * Interpret every instruction and, on the cluster, schedule one instruction at a time: the
   * reference the compiled blocks and the run-ahead are tested against. Same results, slower.
   */
  readonly interpret?: boolean;
  /**
   * What an exception does on one core (docs/iss.md#traps): 'auto' unless given. The cluster's
   * cores stop at every fault.
   */
  readonly traps?: TrapPolicy;
}

/** How the run ended when no fault ended it: a halt, the cycle limit, or an interruption by a signal. */
export type SimulationStop = RunStop | { readonly kind: 'interrupted'; readonly signal: string };

export interface SimulationReport {
  /**
   * Process exit code: the program's (mod 256), or one of util/exit-codes.ts (bad input, a
   * fault, the cycle limit), or 128 + the signal's number when interrupted (130 SIGINT, 143 SIGTERM).
   */
  readonly exitCode: number;
  /**
   * What happened, after how many cycles and instructions ("exit 0 after 1234 cycles, 900
   * instructions"), then one line per site of `where`, as describeSite writes it.
   */
  readonly summary: string;
  /** Undefined when a fault or bad input ended the run. */
  readonly stop: SimulationStop | undefined;
  /** The faulting core, or each core still running at the cycle limit or an interruption; else none. */
  readonly where: readonly FaultSite[];
  readonly cycles: Cycles;
  readonly instret: number;
  /** Per-core statistics table. */
  readonly stats: string;
  readonly error?: Error;
}

/** The --trace line of a trap taken: where, what, and where the handler starts. */
export function formatTrap(e: TrapEvent): string {
  const word = e.word === undefined ? '?' : instructionHex(e.word);
  const text = e.disassembly.padEnd(32);
  return `core ${e.core} cycle ${String(e.cycle).padStart(8)} ${hex(e.pc)} ${word.padEnd(10)} ${text} trap: ${describeTrapCause(e.cause)}, handler at ${hex(e.handler)}`;
}

export function formatRetire(e: RetireEvent): string {
  const writes = e.regWrites.map((w) => `${regName(w.reg)}=${hex(w.value)}`).join(' ');
  const access = e.dataAccesses.map((a) => `${a.write ? 'st' : 'ld'}${a.size} ${hex(a.addr)}=${hex(a.value)}`).join(' ');
  const text = formatInstruction(e.insn).padEnd(32);
  return `core ${e.core} cycle ${String(e.cycle).padStart(8)} ${hex(e.pc)} ${instructionHex(e.word).padEnd(10)} ${text} ${writes} ${access}`.trimEnd();
}

/** A table of where each core's cycles went. */
export function formatStats(harts: readonly Hart[], waits?: readonly PortStats[]): string {
  const waited = (i: number): number => (waits ? waits[i]!.barrierWait + waits[i]!.dmaWait : 0);
  const rows: [string, (h: Hart, i: number) => number][] = [
    ['cycles', (h) => h.stats.cycles],
    ['active cycles', (h, i) => h.stats.cycles - waited(i)],
    ['instructions', (h) => h.stats.instret],
    ['load-use stalls', (h) => h.stats.loadUseStalls],
    ['branch penalty', (h) => h.stats.branchPenalty],
    ['jump penalty', (h) => h.stats.jumpPenalty + h.stats.jalrStalls],
    ['mulh/div extra', (h) => h.stats.multiCycle],
    ['misaligned', (h) => h.stats.splitAccessStalls],
    ['csr/fence flush', (h) => h.stats.csrFlushStalls + h.stats.fenceStalls],
    ['memory wait', (h) => h.stats.memoryWait],
  ];
  if (waits) {
    rows.push(
      ['  tcdm contention', (_h, i) => waits[i]!.tcdmContention],
      ['  dma contention', (_h, i) => waits[i]!.dmaContention],
      ['  l2 latency', (_h, i) => waits[i]!.l2Wait],
      ['barrier wait', (_h, i) => waits[i]!.barrierWait],
      ['dma wait', (_h, i) => waits[i]!.dmaWait],
    );
  }
  return statsTable(harts.map((h) => h.hartId), rows.map(([label, get]) => [label, harts.map((h, i) => get(h, i))]));
}

/** The layout of the `--stats` table: a column per core, a row per figure (also for the RTL engines' table). */
export function statsTable(cores: readonly number[], rows: readonly (readonly [string, readonly number[]])[]): string {
  const width = 18;
  const header = 'core'.padEnd(width) + cores.map((c) => String(c).padStart(10)).join('');
  const body = rows.map(([label, values]) => label.padEnd(width) + values.map((v) => String(v).padStart(10)).join(''));
  return [header, ...body].join('\n');
}

/** How a run ended, in words: `exit 3`, or the kind of stop (also for the RTL's stops, cli/differential.ts). */
export function stopText(stop: { readonly kind: string; readonly code?: number }): string {
  return stop.kind === 'exit' ? `exit ${stop.code}` : stop.kind;
}

/** Why `cores` is no core count `simulate` takes, or undefined when it is one. */
export function coreCountError(cores: number): string | undefined {
  return Number.isInteger(cores) && cores >= 1 && cores <= MAX_CLUSTER_CORES ? undefined : `--cores must be 1..${MAX_CLUSTER_CORES}, not ${cores}`;
}

/** A loaded program, ready to run, and its statistics table at any time. */
interface Loaded {
  readonly machine: Machine;
  stats(): string;
}

function load(elf: Uint8Array, cores: number, options: SimulateOptions): Loaded {
  const table = { ...(options.table ? { table: options.table } : {}), ...(options.implemented ? { implemented: options.implemented } : {}) };
  const image = readElf(elf);
  if (cores === 1) {
    const { hart } = loadProgram(elf, { memoryMap: singleCoreMemoryMap(image.entry), output: options.output, blocks: !options.interpret, traps: options.traps, ...table });
    return { machine: { harts: [hart], run: (maxCycles) => hart.run(maxCycles) }, stats: () => formatStats([hart]) };
  }
  const engine = options.interpret ? { blocks: false, runAhead: false } : {};
  const cluster = new Cluster({ config: { ...PULP_CLUSTER, cores }, output: options.output, ...engine, ...table });
  cluster.load(image);
  return { machine: cluster, stats: () => formatStats(cluster.harts, cluster.reports.map((r) => r.waits)) };
}

const badInput = (summary: string, error?: Error): SimulationReport => ({
  exitCode: ExitCode.userError, summary, stop: undefined, where: [], cycles: 0, instret: 0, stats: '', ...(error ? { error } : {}),
});

/** How long a run took, as every report of a run says it. */
export const totals = (cycles: Cycles, instret: number): string => `after ${cycles} cycles, ${instret} instructions`;

/** The headline, then one indented line per site. */
function summarize(headline: string, where: readonly FaultSite[]): string {
  return [headline, ...where.map((site) => `  ${describeSite(site)}`)].join('\n');
}

/** The exit status a shell gives a command the signal `signal` ended: 128 + its number. */
function signalExitCode(signal: string): number {
  return 128 + constants.signals[signal as NodeJS.Signals];
}

function signalName(reason: unknown): string {
  return typeof reason === 'string' && reason in constants.signals ? reason : 'SIGINT';
}

/** Run the ELF executable `elf`. */
export async function simulate(elf: Uint8Array, options: SimulateOptions = {}): Promise<SimulationReport> {
  const cores = options.cores ?? 1;
  const badCores = coreCountError(cores);
  if (badCores !== undefined) return badInput(badCores);
  let loaded: Loaded;
  try {
    loaded = load(elf, cores, options);
  } catch (error) {
    if (error instanceof ElfError) return badInput(error.message, error);
    throw error;
  }
  const { machine, stats } = loaded;
  if (options.trace) {
    const trace = options.trace;
    for (const hart of machine.harts) {
      hart.onRetire = (e) => trace(formatRetire(e));
      hart.onTrap = (e) => trace(formatTrap(e));
    }
  }
  const limit = options.maxCycles === 0 ? Number.POSITIVE_INFINITY : options.maxCycles ?? DEFAULT_MAX_CYCLES;
  try {
    return { ...ended(machine.harts, await runInSlices(machine, limit, options.interrupt), limit), stats: stats() };
  } catch (error) {
    if (!(error instanceof IssError)) throw error;
    const cycles = Math.max(...machine.harts.map((h) => h.stats.cycles));
    const instret = machine.harts.reduce((n, h) => n + h.stats.instret, 0);
    const where = [error.site];
    const summary = summarize(`${error.name} ${totals(cycles, instret)}: ${error.detail}`, where);
    return { exitCode: ExitCode.simulationFault, summary, stop: undefined, where, cycles, instret, stats: stats(), error };
  }
}

/** The report of a run that ended without a fault (its statistics aside). */
function ended(harts: readonly Hart[], { stop, cycles, instret }: SlicedResult, limit: Cycles): Omit<SimulationReport, 'stats'> {
  const after = totals(cycles, instret);
  if (stop.kind !== 'cycle-limit' && stop.kind !== 'interrupted') {
    return { exitCode: stop.kind === 'exit' ? stop.code & 0xff : 0, summary: `${stopText(stop)} ${after}`, stop, where: [], cycles, instret };
  }
  const where = harts.filter((h) => h.halted === undefined).map((h) => h.site());
  if (stop.kind === 'cycle-limit') {
    const headline = `stopped at the cycle limit ${after}: a runaway program? The limit is ${limit}; --max-cycles N changes it, 0 removes it`;
    return { exitCode: ExitCode.cycleLimit, summary: summarize(headline, where), stop, where, cycles, instret };
  }
  const signal = signalName(stop.reason);
  return { exitCode: signalExitCode(signal), summary: summarize(`interrupted by ${signal} ${after}`, where), stop: { kind: 'interrupted', signal }, where, cycles, instret };
}
