/**
 * Windows of a LoopBatch's replay (sim/core/loop-batch-run.ts): a span of cycles in which the
 * members run one after the other, each to the window's end, instead of access by access in
 * cluster-time order (docs/iss.md, Loop batches).
 *
 * Why: the order only decides something when two cores ask for one bank in one cycle, and in a
 * dense kernel they rarely do once they are under way: on CIFAR's dense ResNet18, 70% of the
 * cluster's loads lie in stretches of 2,048 or more granted without a wait.
 *
 * Why it is exact: if, on the timelines the members have without any wait, no two accesses ask for
 * one bank in one cycle, and no earlier reservation or DMA transfer holds the bank either, then the
 * replay grants each access at once (by induction over its order: every earlier grant is in its own
 * bank and cycle), so those timelines are the members' own. No core outside the body runs before
 * the window's end, and a member's stores are written as its walk reaches them, so its own later
 * passes see them as in the replay; the window holds only if no member stored to bytes another
 * loaded (in the window, or ahead of it) or stored, so that what the passes read and what memory
 * holds after do not depend on the order of the cores. The window ends where the first member would
 * leave the body (without waits, its leaving cycle is known), before any core outside the body (or
 * just come in) runs, and before the run's limits. When two accesses meet (or an access goes to L2,
 * or a pass stops, or a store rewrites code), memory and the members go back to where the window
 * began and the replay goes access by access for a while.
 */
import type { AccessSize, Addr, Cycles, Word } from '../../isa/types.js';
import type { LapWindow, LoopBatch } from './loop-batch.js';
import { MAX_BLOCK_LENGTH, type Block, type BlockHost } from './block.js';

/** The cluster's banked L1 as a window sees it (sim/cluster/tcdm.ts). */
export interface BankedMemory {
  readonly l1Base: Addr;
  readonly l1End: Addr;
  /** Word-interleaved banks: bank = (address - l1Base) / 4 mod banks; */
  readonly banks: number;
  /** banks - 1 when their count is a power of two (a mask instead of the remainder), else -1. */
  readonly bankMask: number;
  /**
   * Set bit b of taken[k], k < cycles, when bank b is reserved in cycle from + k; false when the
   * reservations cannot be told that way (the window is not tried then).
   */
  reservedFrom(from: Cycles, cycles: number, taken: Int32Array): boolean;
  /** The DMA may take a bank in some cycle from `from` up to `to`; */
  dmaBusy(from: Cycles, to: Cycles): boolean;
  /** the banks it takes in `cycle`, a bit each. */
  dmaBanks(cycle: Cycles): number;
}

/** What a window reads and moves of the replay (LoopBatchRun, sim/core/loop-batch-run.ts), per core. */
export interface BatchReplay {
  readonly harts: readonly BlockHost[];
  /** The cycle of the next instruction; its index in the body; where its pass began and stopped; the body's accesses before its pass. */
  readonly cycles: Float64Array;
  readonly index: Int32Array;
  readonly passStart: Int32Array;
  readonly passEnd: Int32Array;
  readonly traceBase: Int32Array;
  /** 0 for a core not running, else in the body or not (member). */
  readonly state: Uint8Array;
  /** Instructions run since it entered, counted up to 2 (then its stalls are the body's own). */
  readonly settled: Uint8Array;
  /** The span its pass loaded from; the registers the body writes as the pass began; each access's address and value (arrays a window may exchange for others). */
  readonly lowest: Float64Array;
  readonly highest: Float64Array;
  readonly snapshots: Int32Array[];
  readonly addresses: Float64Array[];
  readonly values: Int32Array[];
  /** Loads and stores issue only before `limit`, no instruction at or past `stop`. */
  readonly limit: Cycles;
  readonly stop: Cycles;
  member(id: number): boolean;
  startPass(batch: LoopBatch, id: number, from: number): void;
  passAgain(batch: LoopBatch, id: number, to: number): void;
  retired(id: number, index: number, k: Cycles, previousLoaded: number, next: Cycles): void;
  leave(batch: LoopBatch, id: number): void;
}

/** Cycles one window spans at most: about a thousand accesses of eight cores in a dense kernel. */
const WINDOW_CYCLES = 256;
/** A shorter window is not worth its start. */
const MIN_WINDOW_CYCLES = 16;
/** Stores one window writes at most: one per cycle per core. */
const MAX_STORES_PER_CORE = WINDOW_CYCLES;
/** Accesses the replay runs one by one when the members cannot start a window (a core outside the body, or one that has just come in, about to run). */
const NOT_READY = 32;
/**
 * Accesses run one by one after a window in which two accesses met; doubled after each such window
 * in a row with the same cores in the body, up to the last.
 */
export const FIRST_BACKOFF = 64;
const LAST_BACKOFF = 8192;

export class BatchWindows implements LapWindow {
  /** The windows of a banked memory, when its banks fit the 32-bit masks of a window's table. */
  static over(banked: BankedMemory, cores: number, registers: number): BatchWindows | undefined {
    return banked.banks <= 32 ? new BatchWindows(banked, cores, registers) : undefined;
  }

  /** Per cycle of the window: the banks taken, a bit each. */
  private readonly taken = new Int32Array(WINDOW_CYCLES);
  private backoff = FIRST_BACKOFF;
  /** The cores in the body (a bit each) when a window last failed: once they change, the backoff starts over. */
  private failedWith = 0;
  /** Per core, while a window runs: whether it walked, and whether it ran a pass (its state to restore if the window fails). */
  private readonly walked: Uint8Array;
  private readonly ranPass: Uint8Array;
  /** Per core, after its walk: whether it ran the body's last iteration (it leaves when the window holds). */
  private readonly leaving: Uint8Array;
  /** Per core: where its pass began, its hardware-loop counts, and its written registers as its pass began, when the window began. */
  private readonly passStart: Int32Array;
  private readonly passEnd: Int32Array;
  private readonly counts: Uint32Array;
  private readonly saved: Int32Array[];
  /**
   * Per core: the arrays of a trace (each access's address and value). When a member runs a pass
   * in the window, its trace arrays are swapped with these, which keep the trace it had (to go
   * back to) and are its next spare ones if the window holds.
   */
  private readonly addresses: Float64Array[];
  private readonly values: Int32Array[];
  /** Per core: its pass's load span when the window began. */
  private readonly lowest: Float64Array;
  private readonly highest: Float64Array;
  /** Per core: the lowest and highest address it loaded from (its passes in the window, all of them) and stored to (in the window). */
  readonly loadLow: Float64Array;
  readonly loadHigh: Float64Array;
  private readonly storeLow: Float64Array;
  private readonly storeHigh: Float64Array;
  /** The window's stores, in order: address, bytes, and what memory held before (to put back if the window fails). */
  private readonly undoAddresses: Float64Array;
  private readonly undoSizes: Uint8Array;
  private readonly undoValues: Int32Array;
  private undoCount = 0;
  /** Per core, where the walk left it: its cycle, next instruction, instructions and stall cycles, and last instruction. */
  private readonly cycle: Float64Array;
  private readonly next: Int32Array;
  private readonly retired: Float64Array;
  private readonly stalls: Float64Array;
  private readonly last: Int32Array;

  private constructor(
    readonly banked: BankedMemory,
    cores: number,
    registers: number,
  ) {
    this.walked = new Uint8Array(cores);
    this.ranPass = new Uint8Array(cores);
    this.leaving = new Uint8Array(cores);
    this.passStart = new Int32Array(cores);
    this.passEnd = new Int32Array(cores);
    this.counts = new Uint32Array(2 * cores);
    this.saved = Array.from({ length: cores }, () => new Int32Array(registers));
    this.addresses = Array.from({ length: cores }, () => new Float64Array(MAX_BLOCK_LENGTH));
    this.values = Array.from({ length: cores }, () => new Int32Array(MAX_BLOCK_LENGTH));
    this.lowest = new Float64Array(cores);
    this.highest = new Float64Array(cores);
    this.cycle = new Float64Array(cores);
    this.next = new Int32Array(cores);
    this.retired = new Float64Array(cores);
    this.stalls = new Float64Array(cores);
    this.last = new Int32Array(cores);
    this.loadLow = new Float64Array(cores);
    this.loadHigh = new Float64Array(cores);
    this.storeLow = new Float64Array(cores);
    this.storeHigh = new Float64Array(cores);
    this.undoAddresses = new Float64Array(cores * MAX_STORES_PER_CORE);
    this.undoSizes = new Uint8Array(cores * MAX_STORES_PER_CORE);
    this.undoValues = new Int32Array(cores * MAX_STORES_PER_CORE);
  }

  /**
   * One window from the replay's time, when the members can take one: returns how many accesses
   * the replay runs one by one before the next try (0: try again now).
   */
  run(replay: BatchReplay, batch: LoopBatch): number {
    const n = batch.block.instructions.length;
    const iteration = batch.cyclesBefore[n]!;
    const cores = replay.harts.length;
    const C = replay.cycles;
    let from = Number.POSITIVE_INFINITY;
    let members = 0;
    let to = Math.min(replay.limit, replay.stop - iteration);
    for (let id = 0; id < cores; id++) {
      const member = replay.member(id);
      // A member whose stalls are not yet the body's own (it has just come in) is left to the
      // replay, like a core outside: the window ends before its cycle.
      if (member) members |= 1 << id;
      if (member && replay.settled[id] === 2) {
        from = Math.min(from, C[id]!);
        // Without waits, it leaves the body in this cycle (and goes on outside): the window ends there.
        const i = replay.index[id]!;
        const leaves = C[id]! + iteration - batch.cyclesBefore[i]! + (batch.block.iterationsLeft(replay.harts[id]!.hwloop) - 1) * iteration;
        to = Math.min(to, leaves);
      } else if (replay.state[id] !== 0) to = Math.min(to, C[id]!);
    }
    to = Math.min(to, from + WINDOW_CYCLES);
    if (!(to - from >= MIN_WINDOW_CYCLES)) return NOT_READY;
    const cycles = to - from;
    this.taken.fill(0, 0, cycles);
    if (!this.banked.reservedFrom(from, cycles, this.taken)) return NOT_READY;
    // The DMA's banks as if reserved: a core's access there would wait.
    if (this.banked.dmaBusy(from, to)) for (let slot = 0; slot < cycles; slot++) this.taken[slot] = this.taken[slot]! | this.banked.dmaBanks(from + slot);
    let met = false;
    this.walked.fill(0);
    this.undoCount = 0;
    for (let id = 0; id < cores && !met; id++) {
      this.loadLow[id] = replay.lowest[id]!;
      this.loadHigh[id] = replay.highest[id]!;
      this.storeLow[id] = Number.POSITIVE_INFINITY;
      this.storeHigh[id] = Number.NEGATIVE_INFINITY;
      if (!replay.member(id) || C[id]! >= to) continue;
      this.walked[id] = 1;
      met = !this.walk(replay, batch, id, from, to);
    }
    if (!met && this.undoCount > 0) met = this.storesMet(replay);
    if (met) {
      this.undo(replay);
      for (let id = 0; id < cores; id++) if (this.walked[id] === 1) this.restore(replay, batch, id);
      if (members !== this.failedWith) this.backoff = FIRST_BACKOFF;
      this.failedWith = members;
      const backoff = this.backoff;
      this.backoff = Math.min(2 * backoff, LAST_BACKOFF);
      return backoff;
    }
    for (let id = 0; id < cores; id++) if (this.walked[id] === 1) this.commit(replay, batch, id);
    this.backoff = FIRST_BACKOFF;
    return 0;
  }

  /**
   * Member `id` from its next access up to its first one at or past cycle `to`, without waits,
   * writing its stores: false when an access meets another in its bank and cycle (or the DMA
   * there), goes outside L1, its pass stopped before it, or a store rewrote code.
   */
  private walk(replay: BatchReplay, batch: LoopBatch, id: number, from: Cycles, to: Cycles): boolean {
    const { accessAt, cyclesAfter, accessesBefore, stallsBefore, sizes, stores } = batch;
    const n = batch.block.instructions.length;
    const iteration = batch.cyclesBefore[n]!;
    const hart = replay.harts[id]!;
    const taken = this.taken;
    const { l1Base, l1End } = this.banked;
    const mask = this.banked.bankMask;
    const start = replay.index[id]!;
    // A member waits at a load or store (LoopBatchRun.advance).
    if (batch.nextAccess[start] !== start) return false;
    let addresses = replay.addresses[id]!;
    let base = replay.traceBase[id]!;
    let end = replay.passEnd[id]!;
    // Cycles from the window's start (small integers, for the inner loop's arithmetic).
    let c = (replay.cycles[id]! - from) | 0;
    const span = (to - from) | 0;
    let k = accessesBefore[start]!;
    let passAccesses = accessesBefore[end]!;
    let laps = 0;
    let i: number;
    this.ranPass[id] = 0;
    this.leaving[id] = 0;
    for (;;) {
      for (; k < passAccesses && c < span; k++) {
        const trace = k - base;
        const a = addresses[trace]!;
        const at = accessAt[k]!;
        const size = sizes[at]! as AccessSize;
        if (a < l1Base || a + size > l1End) return false;
        const word = (a - l1Base) >>> 2;
        const bit = 1 << (mask >= 0 ? word & mask : word % this.banked.banks);
        if ((taken[c]! & bit) !== 0) return false;
        taken[c] = taken[c]! | bit;
        if (stores[at] === 1 && !this.store(hart, batch.block, id, a, size, replay.values[id]![trace]!)) return false;
        c = (c + cyclesAfter[k]!) | 0;
      }
      if (k < passAccesses) {
        i = accessAt[k]!;
        break;
      }
      // Past the pass's last access: where it stopped (a load it could not run), or the iteration's end.
      if (end !== n) return false;
      if (this.ranPass[id] === 0) this.save(replay, batch, id);
      if (!(hart.hwloop.active && batch.block.loopsBack(hart.hwloop))) {
        // Its last iteration: it leaves in the window's last cycle.
        this.leaving[id] = 1;
        i = n;
        break;
      }
      // The iterations that end in the window run whole, without a trace (LoopBatch.laps); the next one, which
      // reaches the window's end, as a pass whose trace is walked (the replay goes on from inside it).
      const whole = Math.min(Math.floor((span - c) / iteration), batch.block.iterationsLeft(hart.hwloop));
      if (whole > 0) {
        if (batch.laps(hart, taken, c, whole, this, id) === 0) return false;
        batch.block.loopBack(hart.hwloop, whole - 1);
        laps += whole;
        c = (c + whole * iteration) | 0;
        continue;
      }
      laps++;
      replay.startPass(batch, id, 0);
      addresses = replay.addresses[id]!;
      base = replay.traceBase[id]!;
      end = replay.passEnd[id]!;
      if (replay.lowest[id]! < this.loadLow[id]!) this.loadLow[id] = replay.lowest[id]!;
      if (replay.highest[id]! > this.loadHigh[id]!) this.loadHigh[id] = replay.highest[id]!;
      k = 0;
      passAccesses = accessesBefore[end]!;
      c = (c + batch.cyclesBefore[accessAt[0]!]!) | 0;
    }
    this.cycle[id] = from + c;
    this.next[id] = i;
    this.retired[id] = laps * n + i - start;
    this.stalls[id] = laps * stallsBefore[n]! + stallsBefore[i]! - stallsBefore[start]!;
    this.last[id] = this.retired[id] === 0 ? -1 : i === 0 ? n - 1 : i - 1;
    return true;
  }

  /** Member `id`'s store, written now and kept to put back: false when it rewrote code (the members' passes ran the old). */
  store(hart: BlockHost, block: Block, id: number, address: Addr, size: AccessSize, value: Word): boolean {
    const memory = hart.directMemory!;
    const k = this.undoCount++;
    this.undoAddresses[k] = address;
    this.undoSizes[k] = size;
    this.undoValues[k] = memory.read(address, size, false);
    memory.write(address, size, value);
    if (address < this.storeLow[id]!) this.storeLow[id] = address;
    if (address + size > this.storeHigh[id]!) this.storeHigh[id] = address + size;
    return block.epoch.current;
  }

  /** Whether a member stored to bytes another loaded, in the window or ahead of it, or stored (the order of the cores would matter). */
  private storesMet(replay: BatchReplay): boolean {
    const cores = replay.harts.length;
    for (let a = 0; a < cores; a++) {
      if (this.storeHigh[a]! <= this.storeLow[a]!) continue;
      for (let b = 0; b < cores; b++) {
        if (b === a || !replay.member(b)) continue;
        // Loads are counted as words (as LoopBatchRun.seen does); the store span ends past its last byte.
        if (this.storeLow[a]! < this.loadHigh[b]! + 4 && this.loadLow[b]! < this.storeHigh[a]!) return true;
        if (this.storeLow[a]! < this.storeHigh[b]! && this.storeLow[b]! < this.storeHigh[a]!) return true;
      }
    }
    return false;
  }

  /** The window's stores taken back, the last first (the cores share one memory). */
  private undo(replay: BatchReplay): void {
    const memory = replay.harts[0]!.directMemory!;
    for (let k = this.undoCount - 1; k >= 0; k--) memory.write(this.undoAddresses[k]!, this.undoSizes[k]! as AccessSize, this.undoValues[k]!);
    this.undoCount = 0;
  }

  /** Before member `id` runs a pass of its own in the window: what restore needs to go back. */
  private save(replay: BatchReplay, batch: LoopBatch, id: number): void {
    this.ranPass[id] = 1;
    this.passStart[id] = replay.passStart[id]!;
    this.passEnd[id] = replay.passEnd[id]!;
    this.lowest[id] = replay.lowest[id]!;
    this.highest[id] = replay.highest[id]!;
    const hwloop = replay.harts[id]!.hwloop;
    this.counts[2 * id] = hwloop.count[0]!;
    this.counts[2 * id + 1] = hwloop.count[1]!;
    const snapshot = replay.snapshots[id]!;
    const saved = this.saved[id]!;
    for (const reg of batch.written) saved[reg] = snapshot[reg]!;
    this.swapTrace(replay, id);
  }

  /**
   * The window failed: member `id` back to its pass as the window began. Its trace goes back, and
   * the pass runs again on it (its loads fed the values recorded): memory may have changed since the
   * pass first ran, after loads the replay had already taken.
   */
  private restore(replay: BatchReplay, batch: LoopBatch, id: number): void {
    if (this.ranPass[id] === 0) return;
    const hwloop = replay.harts[id]!.hwloop;
    hwloop.count[0] = this.counts[2 * id]!;
    hwloop.count[1] = this.counts[2 * id + 1]!;
    const saved = this.saved[id]!;
    const snapshot = replay.snapshots[id]!;
    for (const reg of batch.written) snapshot[reg] = saved[reg]!;
    const from = (replay.passStart[id] = this.passStart[id]!);
    replay.passEnd[id] = this.passEnd[id]!;
    replay.traceBase[id] = batch.accessesBefore[from]!;
    replay.lowest[id] = this.lowest[id]!;
    replay.highest[id] = this.highest[id]!;
    this.swapTrace(replay, id);
    replay.passAgain(batch, id, this.passEnd[id]!);
  }

  /** Member `id`'s trace arrays and the spare ones, exchanged. */
  private swapTrace(replay: BatchReplay, id: number): void {
    const addresses = replay.addresses[id]!;
    replay.addresses[id] = this.addresses[id]!;
    this.addresses[id] = addresses;
    const values = replay.values[id]!;
    replay.values[id] = this.values[id]!;
    this.values[id] = values;
  }

  /** The window held: member `id`'s counters and place where its walk left it. */
  private commit(replay: BatchReplay, batch: LoopBatch, id: number): void {
    const last = this.last[id]!;
    if (last < 0) return;
    const stats = replay.harts[id]!.stats;
    stats.instret += this.retired[id]!;
    if (this.stalls[id] !== 0) stats.loadUseStalls += this.stalls[id]!;
    replay.retired(id, last, batch.cycles[last]!, batch.previousLoaded[last]!, this.cycle[id]!);
    replay.index[id] = this.next[id]!;
    if (this.leaving[id] === 1) replay.leave(batch, id);
  }
}
