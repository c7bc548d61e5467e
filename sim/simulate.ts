/**
 * Everything `nmsparse sim <program> [--cores N] [--trace] [--stats] [--max-cycles N]` needs once
 * it has an ELF executable, as one call: load it, run it on one hart or on the cluster, and report
 * the outcome, statistics and (optionally) a trace line per retired instruction. The CLI reads
 * (or assembles) the program, parses arguments and prints.
 */
import { hex } from '../isa/bits.js';
import { instructionLength } from '../isa/decoder.js';
import { disassemble, formatInstruction, instructionHex } from '../isa/disassembler.js';
import { regName } from '../isa/registers.js';
import type { Cycles } from '../isa/types.js';
import type { InstructionTable } from '../isa/table.js';
import { Cluster, type CoreReport } from './cluster/cluster.js';
import { PULP_CLUSTER } from './cluster/config.js';
import type { HaltReason } from './core/environment.js';
import { IssError } from './core/errors.js';
import type { Hart, RunStop } from './core/hart.js';
import type { RetireEvent } from './core/retire.js';
import { ElfError, readElf } from '../isa/elf/reader.js';
import { loadProgram } from './program.js';
import { PULP_MEMORY_MAP, SPIKE_MEMORY_MAP } from '../isa/platform/memory-map.js';

export interface SimulateOptions {
  /** 1 (default): one hart with single-cycle memory; 2..16: the cluster. */
  readonly cores?: number;
  readonly maxCycles?: Cycles;
  /** Receives one line per retired instruction. */
  readonly trace?: (line: string) => void;
  /** Receives what the program writes. */
  readonly output?: (text: string, fd: number) => void;
  /** Instruction table of every core: CV32E40P unless given, e.g. with Xnmsparse. */
  readonly table?: InstructionTable;
  /**
   * Interpret every instruction and, on the cluster, schedule one instruction at a time: the
   * reference the compiled blocks and the run-ahead are tested against. Same results, slower.
   */
  readonly interpret?: boolean;
}

export interface SimulationReport {
  /** Process exit code: the program's, or 1 bad input (ELF, core count), 2 simulation error, 3 cycle limit. */
  readonly exitCode: number;
  /** One-line outcome, e.g. "exit 0 after 1234 cycles" or the error message. */
  readonly summary: string;
  readonly stop: RunStop | undefined;
  readonly cycles: Cycles;
  readonly instret: number;
  /** Per-core statistics table. */
  readonly stats: string;
  readonly error?: Error;
}

export function formatRetire(e: RetireEvent): string {
  const writes = e.regWrites.map((w) => `${regName(w.reg)}=${hex(w.value)}`).join(' ');
  const access = e.dataAccesses.map((a) => `${a.write ? 'st' : 'ld'}${a.size} ${hex(a.addr)}=${hex(a.value)}`).join(' ');
  const text = formatInstruction(e.insn).padEnd(32);
  return `core ${e.core} cycle ${String(e.cycle).padStart(8)} ${hex(e.pc)} ${instructionHex(e.word).padEnd(10)} ${text} ${writes} ${access}`.trimEnd();
}

/** A table of where each core's cycles went. */
export function formatStats(harts: readonly Hart[], waits?: readonly CoreReport['waits'][]): string {
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
      ['  l2 latency', (_h, i) => waits[i]!.l2Wait],
      ['barrier wait', (_h, i) => waits[i]!.barrierWait],
      ['dma wait', (_h, i) => waits[i]!.dmaWait],
    );
  }
  const width = 18;
  const header = 'core'.padEnd(width) + harts.map((h) => String(h.hartId).padStart(10)).join('');
  const body = rows.map(([label, get]) => label.padEnd(width) + harts.map((h, i) => String(get(h, i)).padStart(10)).join(''));
  return [header, ...body].join('\n');
}

/** Where a stopped hart would go on: core, pc, word and disassembly. */
function nextInstruction(hart: Hart): string {
  const half = hart.memory.peek16(hart.pc);
  const word = half === undefined ? undefined : instructionLength(half) === 4 ? (half | ((hart.memory.peek16(hart.pc + 2) ?? 0) << 16)) >>> 0 : half;
  const text = word === undefined ? '<unmapped>' : `${instructionHex(word)} '${disassemble(hart.table, word, hart.pc)}'`;
  return `core ${hart.hartId} at pc ${hex(hart.pc)} ${text}`;
}

function stopText(stop: HaltReason): string {
  return stop.kind === 'exit' ? `exit ${stop.code}` : stop.kind;
}

/** Why `cores` is no core count `simulate` takes, or undefined when it is one. */
export function coreCountError(cores: number): string | undefined {
  return Number.isInteger(cores) && cores >= 1 && cores <= 16 ? undefined : `--cores must be 1..16, not ${cores}`;
}

/** Run the ELF executable `elf`. */
export function simulate(elf: Uint8Array, options: SimulateOptions = {}): SimulationReport {
  const cores = options.cores ?? 1;
  const badCores = coreCountError(cores);
  if (badCores !== undefined) return { exitCode: 1, summary: badCores, stop: undefined, cycles: 0, instret: 0, stats: '' };
  try {
    const table = options.table ? { table: options.table } : {};
    const image = readElf(elf);
    if (cores === 1) {
      const inSpikeMap = SPIKE_MEMORY_MAP.some((r) => image.entry >= r.base && image.entry < r.base + r.size);
      const { hart } = loadProgram(elf, { memoryMap: inSpikeMap ? SPIKE_MEMORY_MAP : PULP_MEMORY_MAP, output: options.output, blocks: !options.interpret, ...table });
      return run([hart], undefined, () => hart.run(options.maxCycles), options);
    }
    const engine = options.interpret ? { blocks: false, runAhead: false } : {};
    const cluster = new Cluster({ config: { ...PULP_CLUSTER, cores }, output: options.output, ...engine, ...table });
    cluster.load(image);
    let reports: readonly CoreReport[] = [];
    return run(cluster.harts, () => reports.map((r) => r.waits), () => {
      const result = cluster.run(options.maxCycles);
      reports = result.cores;
      return result;
    }, options);
  } catch (error) {
    if (error instanceof ElfError) {
      return { exitCode: 1, summary: error.message, stop: undefined, cycles: 0, instret: 0, stats: '', error };
    }
    throw error;
  }
}

function run(
  harts: readonly Hart[],
  waits: (() => readonly CoreReport['waits'][]) | undefined,
  go: () => { stop: RunStop; cycles: Cycles; instret: number },
  options: SimulateOptions,
): SimulationReport {
  if (options.trace) {
    const trace = options.trace;
    for (const hart of harts) hart.onRetire = (e) => trace(formatRetire(e));
  }
  const stats = (): string => formatStats(harts, waits?.());
  try {
    const { stop, cycles, instret } = go();
    if (stop.kind === 'cycle-limit') {
      const where = harts.filter((h) => !h.halted).map(nextInstruction).join('; ');
      return { exitCode: 3, summary: `stopped at the cycle limit (${cycles} cycles, ${instret} instructions): runaway program? ${where}`, stop, cycles, instret, stats: stats() };
    }
    return { exitCode: stop.kind === 'exit' ? stop.code & 0xff : 0, summary: `${stopText(stop)} after ${cycles} cycles, ${instret} instructions`, stop, cycles, instret, stats: stats() };
  } catch (error) {
    if (!(error instanceof IssError)) throw error;
    const cycles = Math.max(...harts.map((h) => h.stats.cycles));
    const instret = harts.reduce((n, h) => n + h.stats.instret, 0);
    return { exitCode: 2, summary: `${error.name}: ${error.message}`, stop: undefined, cycles, instret, stats: stats(), error };
  }
}
