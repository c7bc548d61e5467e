/**
 * Support for the engine-equivalence tests (test/sim/engines.test.ts): run one program on the
 * reference engine (every instruction interpreted, one instruction per scheduling decision) and on
 * the fast paths (compiled blocks, run-ahead), capture everything the two must agree on, and count
 * how often the fast paths were taken so that a comparison cannot pass by never using them.
 */
import { expect } from 'vitest';
import { Cluster, type ClusterOptions } from '../../../sim/cluster/cluster.js';
import { assemblerEquates } from '../../../isa/platform/symbols.js';
import type { PortStats } from '../../../sim/cluster/core-port.js';
import { Block } from '../../../sim/core/block.js';
import { LoopRegion } from '../../../sim/core/loop-region.js';
import { LoopBatchRun } from '../../../sim/core/loop-batch-run.js';
import { BatchWindows, FIRST_BACKOFF } from '../../../sim/core/loop-batch-window.js';
import type { HaltReason } from '../../../sim/core/environment.js';
import { IssError } from '../../../sim/core/errors.js';
import { Hart, type RunStop } from '../../../sim/core/hart.js';
import type { MappedMemory } from '../../../sim/core/memory.js';
import type { CoreStats } from '../../../sim/core/timing.js';
import { readElf } from '../../../isa/elf/reader.js';
import type { InstructionTable } from '../../../isa/table.js';
import { loadProgram, type ProgramOptions } from '../../../sim/program.js';
import { assemble } from '../../../sw/asm/assembler.js';
import { writeElf } from '../../../isa/elf/writer.js';

// --- programs -------------------------------------------------------------------------------

/** Assemble a complete program (it defines `_start`) into an ELF file, placed in L2 by default. */
export function elfOf(source: string, options: { readonly table?: InstructionTable; readonly base?: number } = {}): Uint8Array {
  return writeElf(assemble(source, { file: 'engines.S', ...options }));
}

/** The platform symbols (isa/platform/symbols.ts) and the core count as assembler constants. */
export function clusterPrelude(cores: number): string {
  return `${assemblerEquates()}  .equ CORES, ${cores}\n`;
}

// --- what the engines must agree on -----------------------------------------------------------

type Counters<T> = { -readonly [K in keyof T as T[K] extends number ? K : never]: number };

/** A hart's architectural state and every counter. */
export interface HartState {
  readonly pc: number;
  readonly regs: readonly number[];
  readonly stats: Counters<CoreStats>;
  readonly hwloop: { readonly start: readonly number[]; readonly end: readonly number[]; readonly count: readonly number[] };
  readonly halted: HaltReason | undefined;
}

export function hartState(hart: Hart): HartState {
  return {
    pc: hart.pc,
    regs: Array.from(hart.regs),
    stats: { ...hart.stats },
    hwloop: { start: Array.from(hart.hwloop.start), end: Array.from(hart.hwloop.end), count: Array.from(hart.hwloop.count) },
    halted: hart.halted,
  };
}

/** How often the fast paths ran during one simulation (not compared: it differs by design). */
export interface FastPathUse {
  /**
   * Runs of compiled code: Hart.runBlocks (a block and those it chains into, also when a fault ends
   * it), a block's first instruction alone (Block.step), and a cluster core's turn (Block.turn).
   */
  blocks: number;
  /** Hardware-loop iterations that went back to the start inside a compiled block. */
  loopBacks: number;
  /** Hart.runAhead calls: a core ran on alone until the next core, DMA event or limit. */
  runAheads: number;
  /** Cycles in which cores in lock-step issued through one group step (Block.groupStep). */
  groupSteps: number;
  /** Calls of a hardware-loop body's region, cores taking turns inside it (LoopRegion.run). */
  regionRuns: number;
  /** Calls of a hardware-loop body's batch, its cores' loads replayed (LoopBatchRun.run). */
  batchRuns: number;
  /** A batch's windows that held, and that failed (BatchWindows.run). */
  windows: number;
  windowsFailed: number;
}

/**
 * Run `simulate` with counting wrappers around the hart's runs of compiled blocks, the in-block
 * loop back edge and Hart.runAhead (restored afterwards). Harts and blocks call these methods
 * through their instance, so the prototype wrappers see every call.
 */
function observed<T>(simulate: () => T): { value: T; use: FastPathUse } {
  const use: FastPathUse = { blocks: 0, loopBacks: 0, runAheads: 0, groupSteps: 0, regionRuns: 0, batchRuns: 0, windows: 0, windowsFailed: 0 };
  const { loopsBack } = Block.prototype;
  // runBlocks is private to the hart; the wrapper only counts its calls.
  const hart = Hart.prototype as unknown as { runAhead: Hart['runAhead']; runBlocks: (first: Block) => void };
  const { runAhead, runBlocks } = hart;
  const groupStep = Object.getOwnPropertyDescriptor(Block.prototype, 'groupStep')!;
  const counted = (['step', 'turn'] as const).map((name) => [name, Object.getOwnPropertyDescriptor(Block.prototype, name)!] as const);
  for (const [name, descriptor] of counted) {
    Object.defineProperty(Block.prototype, name, {
      configurable: true,
      get(this: Block) {
        use.blocks++;
        return descriptor.get!.call(this);
      },
    });
  }
  const regionRun = Object.getOwnPropertyDescriptor(LoopRegion.prototype, 'run')!;
  Object.defineProperty(LoopRegion.prototype, 'run', {
    configurable: true,
    get(this: LoopRegion) {
      use.regionRuns++;
      return regionRun.get!.call(this);
    },
  });
  const batchRun = LoopBatchRun.prototype.run;
  LoopBatchRun.prototype.run = function (this: LoopBatchRun, ...args: Parameters<LoopBatchRun['run']>) {
    use.batchRuns++;
    return batchRun.apply(this, args);
  };
  const windowRun = BatchWindows.prototype.run;
  BatchWindows.prototype.run = function (this: BatchWindows, ...args: Parameters<BatchWindows['run']>) {
    const wait = windowRun.apply(this, args);
    // 0: the window held; a backoff: it failed (BatchWindows.run).
    if (wait === 0) use.windows++;
    else if (wait >= FIRST_BACKOFF) use.windowsFailed++;
    return wait;
  };
  Object.defineProperty(Block.prototype, 'groupStep', {
    configurable: true,
    get(this: Block) {
      use.groupSteps++;
      return groupStep.get!.call(this);
    },
  });
  hart.runBlocks = function (this: Hart, first: Block) {
    use.blocks++;
    return runBlocks.call(this, first);
  };
  Block.prototype.loopsBack = function (this: Block, ...args: Parameters<Block['loopsBack']>) {
    const back = loopsBack.apply(this, args);
    if (back) use.loopBacks++;
    return back;
  };
  hart.runAhead = function (this: Hart, ...args: Parameters<Hart['runAhead']>) {
    use.runAheads++;
    return runAhead.apply(this, args);
  };
  try {
    return { value: simulate(), use };
  } finally {
    Object.assign(Block.prototype, { loopsBack });
    Object.assign(hart, { runAhead, runBlocks });
    Object.defineProperty(Block.prototype, 'groupStep', groupStep);
    Object.defineProperty(LoopRegion.prototype, 'run', regionRun);
    LoopBatchRun.prototype.run = batchRun;
    BatchWindows.prototype.run = windowRun;
    for (const [name, descriptor] of counted) Object.defineProperty(Block.prototype, name, descriptor);
  }
}

/** The stop reason, or the message of the simulation error that ended the run. */
function ending<T extends { stop: RunStop }>(simulate: () => T): { stop: RunStop | undefined; error: string | undefined } {
  try {
    return { stop: simulate().stop, error: undefined };
  } catch (error) {
    if (error instanceof IssError) return { stop: undefined, error: error.message };
    throw error;
  }
}

/** Compiled blocks currently held by the pre-decode caches of `memory`. */
export function compiledBlocks(memory: MappedMemory): number {
  return memory.regions.flatMap((region) => region.codePages).reduce((n, page) => n + page.blocks.filter((b) => b instanceof Block).length, 0);
}

function memoryOf(memory: MappedMemory): { readonly name: string; readonly bytes: Uint8Array }[] {
  return memory.regions.map((r) => ({ name: r.name, bytes: r.bytes.slice() }));
}

/** Both runs left every memory byte equal; on failure, names the first differing address. */
function expectSameMemory(fast: readonly { name: string; bytes: Uint8Array }[], reference: readonly { name: string; bytes: Uint8Array }[]): void {
  // The same regions, and the same pages of L3 written.
  expect(fast.map((r) => r.name), 'memory regions').toEqual(reference.map((r) => r.name));
  const differences = reference.flatMap(({ name, bytes }, r) => {
    const other = fast[r]!.bytes;
    const offset = bytes.findIndex((byte, i) => byte !== other[i]);
    return offset < 0 ? [] : [{ region: name, offset, reference: bytes[offset], fast: other[offset] }];
  });
  expect(differences, 'memory differs').toEqual([]);
}

// --- single core ----------------------------------------------------------------------------

export interface SingleOptions extends Omit<ProgramOptions, 'blocks' | 'output'> {
  readonly maxCycles?: number;
  /** Stop at each of these cycle limits in turn (recording the state), then run on to maxCycles. */
  readonly checkpoints?: readonly number[];
  /** Called after loading, before running (e.g. to place data). */
  readonly setup?: (memory: MappedMemory) => void;
}

export interface SingleOutcome {
  readonly stop: RunStop | undefined;
  readonly error: string | undefined;
  readonly hart: HartState;
  /** The state at each checkpoint, and how that run stopped. */
  readonly checkpoints: readonly { readonly stop: RunStop; readonly hart: HartState }[];
  readonly output: string;
  readonly memory: readonly { readonly name: string; readonly bytes: Uint8Array }[];
  readonly use: FastPathUse;
  /** Compiled blocks left in the caches at the end. */
  readonly compiled: number;
  readonly symbols: ReadonlyMap<string, number>;
}

export function runSingle(elf: Uint8Array, blocks: boolean, options: SingleOptions = {}): SingleOutcome {
  const { maxCycles = 20_000_000, checkpoints = [], setup, ...programOptions } = options;
  const output: string[] = [];
  const { hart, memory, image } = loadProgram(elf, { ...programOptions, blocks, output: (text) => output.push(text) });
  setup?.(memory);
  const states: { stop: RunStop; hart: HartState }[] = [];
  const { value, use } = observed(() => ending(() => {
    for (const limit of checkpoints) {
      if (hart.halted) break;
      states.push({ stop: hart.run(limit).stop, hart: hartState(hart) });
    }
    return hart.run(maxCycles);
  }));
  return {
    ...value, hart: hartState(hart), checkpoints: states, output: output.join(''), memory: memoryOf(memory), use,
    compiled: compiledBlocks(memory), symbols: image.symbols,
  };
}

/**
 * Run `elf` interpreted and with blocks; every register, counter, the stop or error message, the
 * output and all memory must be identical. Returns both outcomes for program-specific checks.
 */
export function compareSingle(elf: Uint8Array, options: SingleOptions = {}): { reference: SingleOutcome; fast: SingleOutcome } {
  const reference = runSingle(elf, false, options);
  const fast = runSingle(elf, true, options);
  expect(reference.use.blocks, 'the reference engine ran a compiled block').toBe(0);
  const comparable = (o: SingleOutcome) => ({ stop: o.stop, error: o.error, output: o.output, hart: o.hart, checkpoints: o.checkpoints });
  expect(comparable(fast)).toEqual(comparable(reference));
  expectSameMemory(fast.memory, reference.memory);
  return { reference, fast };
}

// --- cluster ------------------------------------------------------------------------------

export interface ClusterCoreState {
  readonly hart: HartState;
  readonly waits: Counters<PortStats>;
}

export interface ClusterOutcome {
  readonly stop: RunStop | undefined;
  readonly error: string | undefined;
  readonly cores: readonly ClusterCoreState[];
  readonly dma: { readonly bytes: number; readonly busy: number; readonly lastQueued: number };
  readonly output: string;
  readonly memory: readonly { readonly name: string; readonly bytes: Uint8Array }[];
  readonly use: FastPathUse;
  /** Compiled blocks left in the caches at the end. */
  readonly compiled: number;
}

export const REFERENCE_CLUSTER: ClusterOptions = { blocks: false, runAhead: false };

export interface ClusterRunOptions extends ClusterOptions {
  readonly maxCycles?: number;
  /** Stop at each of these cycle limits in turn, then run on to maxCycles (as `simulate` runs in slices). */
  readonly checkpoints?: readonly number[];
}

export function runCluster(elf: Uint8Array, cores: number, options: ClusterRunOptions = {}): ClusterOutcome {
  const { maxCycles = 20_000_000, checkpoints = [], ...clusterOptions } = options;
  const output: string[] = [];
  const cluster = new Cluster({ ...clusterOptions, config: { ...clusterOptions.config, cores }, output: (text) => output.push(text) });
  cluster.load(readElf(elf));
  const { value, use } = observed(() => ending(() => {
    for (const limit of checkpoints) {
      if (cluster.run(limit).stop.kind !== 'cycle-limit') break;
    }
    return cluster.run(maxCycles);
  }));
  return {
    ...value,
    // Read from the cluster rather than its result, so that this also covers runs ended by an error.
    cores: cluster.reports.map(({ hart, waits }) => ({ hart: hartState(hart), waits: { ...waits } })),
    dma: { bytes: cluster.dma.bytes, busy: cluster.dma.busy, lastQueued: cluster.dma.lastQueued },
    output: output.join(''),
    memory: [...memoryOf(cluster.memory), ...cluster.l3.writtenPages().map(({ address, bytes }) => ({ name: `l3 page ${address}`, bytes: bytes.slice() }))],
    use,
    compiled: compiledBlocks(cluster.memory),
  };
}

/**
 * Run `elf` on `cores` cores with the defaults (blocks and run-ahead, with `fastOptions`) and with
 * the reference scheduler (with the table of `fastOptions`) in one run; every core's registers, counters, waits and stop, the DMA state, the output and all
 * memory must be identical.
 */
export function compareCluster(elf: Uint8Array, cores: number, maxCycles?: number, fastOptions: ClusterRunOptions = {}): { reference: ClusterOutcome; fast: ClusterOutcome } {
  const limit = maxCycles === undefined ? {} : { maxCycles };
  // Both run the same instruction set on the same cluster.
  const isa = fastOptions.table ? { table: fastOptions.table } : {};
  const config = fastOptions.config ? { config: fastOptions.config } : {};
  const reference = runCluster(elf, cores, { ...REFERENCE_CLUSTER, ...isa, ...config, ...limit });
  const fast = runCluster(elf, cores, { ...fastOptions, ...limit });
  expect(reference.use, 'the reference scheduler used a fast path').toEqual({ blocks: 0, loopBacks: 0, runAheads: 0, groupSteps: 0, regionRuns: 0, batchRuns: 0, windows: 0, windowsFailed: 0 });
  const comparable = (o: ClusterOutcome) => ({ stop: o.stop, error: o.error, output: o.output, dma: o.dma, cores: o.cores });
  expect(comparable(fast)).toEqual(comparable(reference));
  expectSameMemory(fast.memory, reference.memory);
  return { reference, fast };
}
