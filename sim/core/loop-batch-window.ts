/**
 * Windows of a LoopBatch's replay (sim/core/loop-batch-run.ts): a span of cycles in which the
 * members of a body without stores run one after the other, each to the window's end, instead of
 * access by access in cluster-time order (docs/iss.md, Loop batches).
 *
 * Why: the order only decides something when two cores ask for one bank in one cycle, and in a
 * dense kernel they rarely do once they are under way: on CIFAR's dense ResNet18, 70% of the
 * cluster's loads lie in stretches of 2,048 or more granted without a wait.
 *
 * Why it is exact: if, on the timelines the members have without any wait, no two accesses ask for
 * one bank in one cycle, and no earlier reservation or DMA transfer holds the bank either, then the
 * replay grants each access at once (by induction over its order: every earlier grant is in its own
 * bank and cycle), so those timelines are the members' own. A body without stores writes no memory,
 * and no core outside the body runs before the window's end, so the passes a member runs in the
 * window read what they would in the replay. The window ends before any member could leave the body
 * or reach the run's limits. When two accesses meet (or an access goes to L2, or a pass stops), the
 * members go back to where the window began and the replay goes access by access for a while.
 */
import type { Addr, Cycles } from '../../isa/types.js';
import type { LoopBatch } from './loop-batch.js';
import { BLOCKED, MEMBER, OUTSIDE, type LoopBatchRun } from './loop-batch-run.js';

/** The cluster's banked L1 as a window sees it (sim/cluster/tcdm.ts). */
export interface BankedMemory {
  readonly l1Base: Addr;
  readonly l1End: Addr;
  /** Word-interleaved banks: bank = (address - l1Base) / 4 mod banks. */
  readonly banks: number;
  /**
   * Set bit b of taken[k], k < cycles, when bank b is reserved in cycle from + k; false when the
   * reservations cannot be told that way (the window is not tried then).
   */
  reservedFrom(from: Cycles, cycles: number, taken: Int32Array): boolean;
  /** The DMA may take a bank in some cycle from `from` up to `to`; */
  dmaBusy(from: Cycles, to: Cycles): boolean;
  /** it takes bank `bank` in `cycle`. */
  dmaTakes(bank: number, cycle: Cycles): boolean;
}

/** Cycles one window spans at most: about a thousand accesses of eight cores in a dense kernel. */
const WINDOW_CYCLES = 256;
/** A shorter window is not worth its start. */
const MIN_WINDOW_CYCLES = 16;
/** Accesses the replay runs one by one when the members cannot start a window (one of them not settled, a core outside about to run). */
const NOT_READY = 32;
/** Accesses run one by one after a window in which two accesses met; doubled after each such window in a row, up to the last. */
const FIRST_BACKOFF = 64;
const LAST_BACKOFF = 8192;

export class BatchWindows {
  /** Per cycle of the window: the banks taken, a bit each. */
  private readonly taken = new Int32Array(WINDOW_CYCLES);
  private readonly bankMask: number;
  private backoff = FIRST_BACKOFF;
  /** Per core, while a window runs: whether it walked, and whether it ran a pass (its state to restore if the window fails). */
  private readonly walked: Uint8Array;
  private readonly ranPass: Uint8Array;
  /** Per core: where its pass began, its hardware-loop counts, and its written registers as its pass began, when the window began. */
  private readonly passStart: Int32Array;
  private readonly counts: Uint32Array;
  private readonly saved: Int32Array[];
  /** Per core, where the walk left it: its cycle, next instruction, instructions and stall cycles, and last instruction. */
  private readonly cycle: Float64Array;
  private readonly next: Int32Array;
  private readonly retired: Float64Array;
  private readonly stalls: Float64Array;
  private readonly last: Int32Array;

  constructor(
    private readonly banked: BankedMemory,
    cores: number,
    registers: number,
  ) {
    this.bankMask = (banked.banks & (banked.banks - 1)) === 0 ? banked.banks - 1 : -1;
    this.walked = new Uint8Array(cores);
    this.ranPass = new Uint8Array(cores);
    this.passStart = new Int32Array(cores);
    this.counts = new Uint32Array(2 * cores);
    this.saved = Array.from({ length: cores }, () => new Int32Array(registers));
    this.cycle = new Float64Array(cores);
    this.next = new Int32Array(cores);
    this.retired = new Float64Array(cores);
    this.stalls = new Float64Array(cores);
    this.last = new Int32Array(cores);
  }

  /**
   * One window from the replay's time, when the members can take one: returns how many accesses
   * the replay runs one by one before the next try (0: try again now).
   */
  run(replay: LoopBatchRun, batch: LoopBatch): number {
    if (!batch.loadsOnly || this.banked.banks > 32) return Number.POSITIVE_INFINITY;
    const n = batch.block.instructions.length;
    const iteration = batch.cyclesBefore[n]!;
    const cores = replay.harts.length;
    const C = replay.cycles;
    let from = Number.POSITIVE_INFINITY;
    let to = Math.min(replay.limit, replay.stop - iteration);
    for (let id = 0; id < cores; id++) {
      const state = replay.state[id];
      if (state === MEMBER) {
        if (replay.settled[id] !== 2) return NOT_READY;
        from = Math.min(from, C[id]!);
        // Waits only delay a member: it cannot end its last iteration before this, and the window
        // leaves it an iteration's margin (it may run up to one past the window's end).
        const i = replay.index[id]!;
        const leaves = C[id]! + iteration - batch.cyclesBefore[i]! + (batch.block.iterationsLeft(replay.harts[id]!.hwloop) - 1) * iteration;
        to = Math.min(to, leaves - iteration);
      } else if (state === BLOCKED) return NOT_READY;
      else if (state === OUTSIDE) to = Math.min(to, C[id]!);
    }
    to = Math.min(to, from + WINDOW_CYCLES);
    if (!(to - from >= MIN_WINDOW_CYCLES)) return NOT_READY;
    const cycles = to - from;
    this.taken.fill(0, 0, cycles);
    if (!this.banked.reservedFrom(from, cycles, this.taken)) return NOT_READY;
    const dma = this.banked.dmaBusy(from, to);
    let met = false;
    this.walked.fill(0);
    for (let id = 0; id < cores && !met; id++) {
      if (replay.state[id] !== MEMBER || C[id]! >= to) continue;
      this.walked[id] = 1;
      met = !this.walk(replay, batch, id, from, to, dma);
    }
    if (met) {
      for (let id = 0; id < cores; id++) if (this.walked[id] === 1) this.restore(replay, batch, id);
      const backoff = this.backoff;
      this.backoff = Math.min(2 * backoff, LAST_BACKOFF);
      return backoff;
    }
    for (let id = 0; id < cores; id++) if (this.walked[id] === 1) this.commit(replay, batch, id);
    this.backoff = FIRST_BACKOFF;
    return 0;
  }

  /**
   * Member `id` from its next access up to its first one at or past cycle `to`, without waits:
   * false when an access meets another in its bank and cycle (or the DMA there), goes outside L1,
   * or its pass stopped before it.
   */
  private walk(replay: LoopBatchRun, batch: LoopBatch, id: number, from: Cycles, to: Cycles, dma: boolean): boolean {
    const { cycles: own, cyclesBefore, stallsBefore, nextAccess, accessesBefore, sizes } = batch;
    const n = batch.block.instructions.length;
    const hart = replay.harts[id]!;
    const taken = this.taken;
    const { l1Base, l1End } = this.banked;
    const mask = this.bankMask;
    let addresses = replay.addresses[id]!;
    let base = replay.traceBase[id]!;
    let end = replay.passEnd[id]!;
    let c = replay.cycles[id]!;
    let i = replay.index[id]!;
    let retired = 0;
    let stalls = 0;
    let last = -1;
    this.ranPass[id] = 0;
    for (;;) {
      if (i === n) {
        if (this.ranPass[id] === 0) this.save(replay, batch, id);
        if (!(hart.hwloop.active && batch.block.loopsBack(hart.hwloop))) return false;
        i = 0;
        replay.startPass(batch, id, 0);
        addresses = replay.addresses[id]!;
        base = replay.traceBase[id]!;
        end = replay.passEnd[id]!;
        continue;
      }
      if (i === end) return false;
      const j = nextAccess[i]!;
      if (j !== i) {
        const k = Math.min(j, end);
        c += cyclesBefore[k]! - cyclesBefore[i]!;
        retired += k - i;
        stalls += stallsBefore[k]! - stallsBefore[i]!;
        last = k - 1;
        i = k;
        continue;
      }
      if (c >= to) break;
      const a = addresses[accessesBefore[i]! - base]!;
      if (a < l1Base || a + sizes[i]! > l1End) return false;
      const word = (a - l1Base) >>> 2;
      const bank = mask >= 0 ? word & mask : word % this.banked.banks;
      const bit = 1 << bank;
      const slot = c - from;
      if ((taken[slot]! & bit) !== 0 || (dma && this.banked.dmaTakes(bank, c))) return false;
      taken[slot] = taken[slot]! | bit;
      c += own[i]!;
      retired++;
      stalls += own[i]! - 1;
      last = i;
      i++;
    }
    this.cycle[id] = c;
    this.next[id] = i;
    this.retired[id] = retired;
    this.stalls[id] = stalls;
    this.last[id] = last;
    return true;
  }

  /** Before member `id` runs a pass of its own in the window: what restore needs to go back. */
  private save(replay: LoopBatchRun, batch: LoopBatch, id: number): void {
    this.ranPass[id] = 1;
    this.passStart[id] = replay.passStart[id]!;
    const hwloop = replay.harts[id]!.hwloop;
    this.counts[2 * id] = hwloop.count[0]!;
    this.counts[2 * id + 1] = hwloop.count[1]!;
    const snapshot = replay.snapshots[id]!;
    const saved = this.saved[id]!;
    for (const reg of batch.written) saved[reg] = snapshot[reg]!;
  }

  /** The window failed: member `id` back to its pass as the window began (run again on the same memory, it gives the same). */
  private restore(replay: LoopBatchRun, batch: LoopBatch, id: number): void {
    if (this.ranPass[id] === 0) return;
    const hart = replay.harts[id]!;
    hart.hwloop.count[0] = this.counts[2 * id]!;
    hart.hwloop.count[1] = this.counts[2 * id + 1]!;
    const saved = this.saved[id]!;
    for (const reg of batch.written) hart.regs[reg] = saved[reg]!;
    replay.startPass(batch, id, this.passStart[id]!);
  }

  /** The window held: member `id`'s counters and place where its walk left it. */
  private commit(replay: LoopBatchRun, batch: LoopBatch, id: number): void {
    const last = this.last[id]!;
    if (last < 0) return;
    const stats = replay.harts[id]!.stats;
    stats.instret += this.retired[id]!;
    if (this.stalls[id] !== 0) stats.loadUseStalls += this.stalls[id]!;
    replay.retired(id, last, batch.cycles[last]!, batch.previousLoaded[last]!, this.cycle[id]!);
    replay.index[id] = this.next[id]!;
  }
}
