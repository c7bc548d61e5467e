/**
 * The replay of a LoopBatch (sim/core/loop-batch.ts): the cores' loads and stores, which their
 * passes recorded, in cluster-time order through the TCDM arbitration, the cores outside the body
 * taking their turns in between (docs/iss.md, Loop batches).
 */
import type { AccessSize, Cycles } from '../../isa/types.js';
import type { DecodedInstruction } from '../../isa/definition.js';
import { MAX_BLOCK_LENGTH, type BlockHost } from './block.js';
import type { LoopBatch } from './loop-batch.js';
import { BatchWindows, type BankedMemory, type BatchReplay } from './loop-batch-window.js';
import type { StoreLog } from './memory-region.js';

/** Why LoopBatchRun.run returned. */
export type BatchEnd =
  /** Every member waits at a load at or past the limit (or at an instruction past the stop), and every other core is past the limit. */
  | 'limit'
  /** No member is left in the body. */
  | 'left'
  /** The first core in time is a member at a load that is not a direct access: the region must run it. */
  | 'blocked'
  /** A core outside the body took its turn and the cluster must act (a peripheral paused it, it halted, it waits for the DMA). */
  | 'cluster'
  /** A member's store rewrote code: the members' passes ran the old, they go on outside the batch. */
  | 'code';

/** How a core outside the body came out of its turn (LoopBatchRun's `outside`). */
export type OutsideTurn = 'stop' | 'outside' | 'inside';

const MEMBER = 1;
const BLOCKED = 2;
const OUTSIDE = 3;

/** The cores of a batch (one entry per cluster core) and the replay. */
export class LoopBatchRun implements BatchReplay {
  /** Per core: the cycle of its next instruction (a member waiting at a load: the load's issue cycle). */
  readonly cycles: Float64Array;
  /**
   * Per core: its order in the replay, cycles[id] * N + its round-robin rank in that cycle ((id -
   * cycle) mod N): the smallest goes first, as the scheduler takes the earliest core, then the first
   * in round-robin order from cycle mod N. +Infinity for a core that is not a member.
   */
  readonly keys: Float64Array;
  /** Per core: 0 (not running), MEMBER, BLOCKED (a member at a load its pass could not run), or OUTSIDE (running elsewhere). */
  readonly state: Uint8Array;
  /** Per member: its next instruction; where its current pass began and stopped (the body's length, or a load it could not run). */
  readonly index: Int32Array;
  readonly passStart: Int32Array;
  readonly passEnd: Int32Array;
  /** Per member: the body's loads and stores before its pass's start (the trace's first entry is the next one). */
  readonly traceBase: Int32Array;
  /** Per member: the lowest and highest address its pass loaded from. */
  readonly lowest: Float64Array;
  readonly highest: Float64Array;
  /** Where a pass leaves the lowest and highest address it loaded. */
  private readonly span = new Float64Array(2);
  /** Per member: what the next instruction's two predecessors loaded (TimingModel.loadedByPrevious, loadedTwoBack), while it matters. */
  readonly loaded: Float64Array;
  readonly twoBack: Float64Array;
  /** Per member: instructions run since it entered, counted up to 2 (then its stalls are the body's own). */
  readonly settled: Uint8Array;
  /** Per member that ran an instruction: the last one, its cycles and what the one before it loaded. */
  readonly lastIndex: Int32Array;
  readonly lastCycles: Float64Array;
  readonly lastLoaded: Float64Array;
  readonly dirty: Uint8Array;
  /** Per member: the registers the body writes as they were when its pass began, and the address and value of each of the pass's loads and stores. */
  readonly snapshots: Int32Array[];
  readonly addresses: Float64Array[];
  readonly values: Int32Array[];
  /** Loads and stores issue only before this cycle (the DMA's next completion, the cycle limit). */
  limit: Cycles = 0;
  /** No instruction issues at or past this cycle (the run's cycle limit). */
  stop: Cycles = 0;
  /** The core that went last: the one the cluster acts on after 'cluster'. */
  current = 0;
  /** Members in the body. */
  private members = 0;

  /** N - 1 when the core count N is a power of two, else -1. */
  private readonly rankMask: number;
  /** The replay's windows (sim/core/loop-batch-window.ts), when the cores' L1 is banked (in 32 banks at most). */
  private readonly windows: BatchWindows | undefined;

  constructor(
    readonly harts: readonly BlockHost[],
    /**
     * Core `id`, outside the body, takes its turn with shared limit `limit` (the cluster runs it as
     * it runs any core's turn, its stores logged in `stores`): whether the cluster must act now,
     * or the core goes on, outside the body or in it.
     */
    readonly outside: (id: number, limit: Cycles) => OutsideTurn,
    /** The stores of the last outside turn. */
    readonly stores: StoreLog,
    banked?: BankedMemory,
  ) {
    const n = harts.length;
    this.windows = banked === undefined ? undefined : BatchWindows.over(banked, n, harts[0]!.regs.length);
    this.rankMask = (n & (n - 1)) === 0 ? n - 1 : -1;
    this.cycles = new Float64Array(n);
    this.keys = new Float64Array(n);
    this.traceBase = new Int32Array(n);
    this.lowest = new Float64Array(n);
    this.highest = new Float64Array(n);
    this.state = new Uint8Array(n);
    this.index = new Int32Array(n);
    this.passStart = new Int32Array(n);
    this.passEnd = new Int32Array(n);
    this.loaded = new Float64Array(n);
    this.twoBack = new Float64Array(n);
    this.settled = new Uint8Array(n);
    this.lastIndex = new Int32Array(n);
    this.lastCycles = new Float64Array(n);
    this.lastLoaded = new Float64Array(n);
    this.dirty = new Uint8Array(n);
    this.snapshots = harts.map((h) => new Int32Array(h.regs.length));
    this.addresses = harts.map(() => new Float64Array(MAX_BLOCK_LENGTH));
    this.values = harts.map(() => new Int32Array(MAX_BLOCK_LENGTH));
  }

  /**
   * Run the cores in `members` (a bit mask: cores each at an instruction of the batch's body, with
   * compiled code and the body's loops) and those in `others` (the other running cores) in the
   * order the scheduler would, until no member is left, the first in time is a member at a load its
   * pass could not run, a core outside needs the cluster, or all wait at the limit. Every member is
   * then left as a region would leave it: its registers, counters, pc and hazard state.
   */
  run(batch: LoopBatch, members: number, others: number): BatchEnd {
    const harts = this.harts;
    const cores = harts.length;
    const C = this.cycles;
    const S = this.state;
    this.members = 0;
    for (let id = 0; id < cores; id++) {
      S[id] = 0;
      this.keys[id] = Number.POSITIVE_INFINITY;
      if ((members & (1 << id)) !== 0) this.enter(batch, id);
      else if ((others & (1 << id)) !== 0) {
        S[id] = OUTSIDE;
        C[id] = harts[id]!.stats.cycles;
        this.order(id);
      }
    }
    for (let id = 0; id < cores; id++) if (S[id] === MEMBER && C[id]! < this.limit) this.advance(batch, id);
    // The common case, a settled member's load followed by local instructions up to its next load,
    // runs here rather than through access and advance: about a tenth faster on dense networks.
    const keys = this.keys;
    const I = this.index;
    const settled = this.settled;
    const passEnd = this.passEnd;
    const traceBase = this.traceBase;
    const addresses = this.addresses;
    const { cycles: own, cyclesBefore, nextAccess, accessesBefore, previousLoaded, stallsBefore, stores } = batch;
    const stop = this.stop;
    const last = this.limit * cores;
    let end: BatchEnd | undefined;
    const windows = this.windows;
    let untilWindow = windows === undefined ? Number.POSITIVE_INFINITY : 0;
    while (end === undefined) {
      if (--untilWindow < 0) untilWindow = windows!.run(this, batch);
      let x = 0;
      let first = keys[0]!;
      for (let id = 1; id < cores; id++) {
        if (keys[id]! < first) {
          first = keys[id]!;
          x = id;
        }
      }
      this.current = x;
      if (this.members === 0) {
        end = 'left';
        break;
      }
      if (first >= last) {
        end = 'limit';
        break;
      }
      if (S[x] !== MEMBER) {
        end = S[x] === BLOCKED ? 'blocked' : this.turn(batch, x);
        continue;
      }
      const i = I[x]!;
      const j = nextAccess[i + 1]!;
      if (settled[x] !== 2 || j >= passEnd[x]! || stores[i] === 1) {
        end = this.access(batch, x);
        continue;
      }
      const c = C[x]!;
      const hart = harts[x]!;
      const wait = hart.arbiter === undefined ? 0 : hart.arbiter.grant(addresses[x]![accessesBefore[i]! - traceBase[x]!]!, c);
      const k = own[i]! + wait;
      const next = c + k + cyclesBefore[j]! - cyclesBefore[i + 1]!;
      if (j !== i + 1 && next - own[j - 1]! >= stop) {
        end = this.access(batch, x, wait);
        continue;
      }
      const stats = hart.stats;
      stats.instret += j - i;
      if (k !== 1) stats.memoryWait += wait;
      const stalls = stallsBefore[j]! - stallsBefore[i]!;
      if (stalls !== 0) stats.loadUseStalls += stalls;
      this.retired(x, j - 1, j === i + 1 ? k : own[j - 1]!, previousLoaded[j - 1]!, next);
    }
    for (let id = 0; id < cores; id++) if (S[id] === MEMBER || S[id] === BLOCKED) this.settle(batch, id);
    return end;
  }

  /**
   * Core `id`, outside the body and first in time, takes its turn up to the cycle of the next core
   * (or the limit). The members whose loads ahead read what it stored run their passes again from
   * where they are; if it entered the body, it becomes a member.
   */
  private turn(batch: LoopBatch, id: number): BatchEnd | undefined {
    let limit = this.limit;
    for (let other = 0; other < this.harts.length; other++) if (other !== id && this.state[other] !== 0 && this.cycles[other]! < limit) limit = this.cycles[other]!;
    this.stores.count = 0;
    const turn = this.outside(id, limit);
    if (turn === 'stop') return 'cluster';
    if (this.stores.count > 0) this.storesSeen(batch);
    if (turn === 'inside') {
      this.enter(batch, id);
      if (this.cycles[id]! < this.limit) this.advance(batch, id);
    } else {
      this.cycles[id] = this.harts[id]!.stats.cycles;
      this.order(id);
    }
    return undefined;
  }

  /** A core outside stored (`stores`): what a member's store does to the others (seen), for each of its stores. */
  private storesSeen(batch: LoopBatch): void {
    const log = this.stores;
    if (log.overflowed) {
      for (let id = 0; id < this.harts.length; id++) if (this.state[id] === MEMBER && this.pending(batch, id) > 0) this.runAgain(batch, id);
      return;
    }
    for (let k = 0; k < log.count; k++) this.seen(batch, log.addresses[k]!, log.sizes[k]!, -1);
  }

  /** Bytes [address, address + size) were stored: the members but `except` whose passes loaded any of them ahead run them again. */
  private seen(batch: LoopBatch, address: number, size: number, except: number): void {
    for (let id = 0; id < this.harts.length; id++) {
      if (id === except || this.state[id] !== MEMBER || address + size <= this.lowest[id]! || address >= this.highest[id]! + 4) continue;
      const addresses = this.addresses[id]!;
      const base = this.traceBase[id]!;
      const from = batch.accessesBefore[this.index[id]!]! - base;
      const to = from + this.pending(batch, id);
      // Every load ahead counts as a load of a word.
      for (let l = from; l < to; l++) {
        if (batch.stores[batch.accessAt[base + l]!] === 0 && addresses[l]! < address + size && address < addresses[l]! + 4) {
          this.runAgain(batch, id);
          break;
        }
      }
    }
  }

  /** The member's accesses its pass ran ahead of the replay. */
  private pending(batch: LoopBatch, id: number): number {
    return batch.accessesBefore[this.passEnd[id]!]! - batch.accessesBefore[this.index[id]!]!;
  }

  /** The member's pass again from where the replay left it, on memory as it is now. */
  private runAgain(batch: LoopBatch, id: number): void {
    this.rewind(batch, id);
    this.startPass(batch, id, this.index[id]!);
  }

  /** Core `id` joins at its pc, with its hazard state as the hart left it, and runs its pass unless it is past the limit. */
  private enter(batch: LoopBatch, id: number): void {
    const hart = this.harts[id]!;
    const i = batch.block.instructions.findIndex((insn) => insn.pc === hart.pc);
    this.state[id] = MEMBER;
    this.members++;
    this.index[id] = i;
    this.cycles[id] = hart.stats.cycles;
    this.loaded[id] = hart.timing.loadedByPrevious;
    this.twoBack[id] = hart.timing.loadedTwoBack;
    this.settled[id] = 0;
    this.dirty[id] = 0;
    this.order(id);
    if (this.cycles[id]! < this.limit) this.startPass(batch, id, i);
    else this.passStart[id] = this.passEnd[id] = i;
  }

  /** The member's pass from instruction `from` to the body's end, its registers kept to go back to. */
  startPass(batch: LoopBatch, id: number, from: number): void {
    const hart = this.harts[id]!;
    this.passStart[id] = from;
    this.traceBase[id] = batch.accessesBefore[from]!;
    const span = this.span;
    this.passEnd[id] = batch.pass(hart, this.addresses[id]!, this.values[id]!, this.snapshots[id]!, from, batch.block.instructions.length, 0, span);
    // The span of the addresses loaded, which a store must reach to matter to the pass (seen).
    this.lowest[id] = span[0]!;
    this.highest[id] = span[1]!;
  }

  /**
   * The member's local instructions from its next one up to a load or store (it waits there), through the
   * back edge into the next pass, or out of the body (it is OUTSIDE then); never one at or past the
   * stop, nor past where its pass stopped (it is BLOCKED there).
   */
  private advance(batch: LoopBatch, id: number): void {
    const insns = batch.block.instructions;
    const n = insns.length;
    const hart = this.harts[id]!;
    for (;;) {
      const i = this.index[id]!;
      const c = this.cycles[id]!;
      if (i === n) {
        if (hart.hwloop.active && batch.block.loopsBack(hart.hwloop)) {
          this.index[id] = 0;
          this.startPass(batch, id, 0);
          continue;
        }
        this.leave(batch, id);
        return;
      }
      if (i === this.passEnd[id]) {
        this.state[id] = BLOCKED;
        return;
      }
      if (batch.nextAccess[i] === i || c >= this.stop) return;
      if (this.settled[id] === 2) {
        // Every instruction up to the next load at once, when none of them reaches the stop.
        const j = Math.min(batch.nextAccess[i]!, this.passEnd[id]!);
        const after = c + batch.cyclesBefore[j]! - batch.cyclesBefore[i]!;
        if (after - batch.cycles[j - 1]! < this.stop) {
          hart.stats.instret += j - i;
          hart.stats.loadUseStalls += batch.stallsBefore[j]! - batch.stallsBefore[i]!;
          this.retired(id, j - 1, batch.cycles[j - 1]!, batch.previousLoaded[j - 1]!, after);
          continue;
        }
      }
      const k = 1 + this.stall(batch, id, insns[i]!);
      hart.stats.instret++;
      this.step(batch, id, insns[i]!, k, c + k);
    }
  }

  /**
   * The member at a load or store, first in time: it issues and waits for its grant (a store then
   * writes memory), and goes on to its next one. Returns 'code' when the store rewrote code.
   */
  private access(batch: LoopBatch, id: number, granted = -1): BatchEnd | undefined {
    const hart = this.harts[id]!;
    const i = this.index[id]!;
    const c = this.cycles[id]!;
    const stall = this.stall(batch, id, batch.block.instructions[i]!);
    const trace = batch.accessesBefore[i]! - this.traceBase[id]!;
    const address = this.addresses[id]![trace]!;
    // The wait, unless the caller asked for the grant already.
    const wait = granted >= 0 ? granted : hart.arbiter === undefined ? 0 : hart.arbiter.grant(address, c);
    if (wait !== 0) hart.stats.memoryWait += wait;
    hart.stats.instret++;
    this.step(batch, id, batch.block.instructions[i]!, 1 + stall + wait, c + 1 + stall + wait);
    if (batch.stores[i] === 1 && this.write(batch, id, address, this.values[id]![trace]!, batch.sizes[i] as AccessSize)) {
      // It stops after the store, as a region's member does; after the body's last instruction, through the loop's end rule.
      if (i + 1 === batch.block.instructions.length) this.leave(batch, id);
      return 'code';
    }
    this.advance(batch, id);
    return undefined;
  }

  /**
   * A member's store, in its turn: the bytes go to memory, and the other members whose passes
   * loaded any of them ahead run them again from where they are. Returns whether it rewrote code
   * (the members' passes ran the old).
   */
  private write(batch: LoopBatch, id: number, address: number, value: number, size: AccessSize): boolean {
    this.harts[id]!.directMemory!.write(address, size, value);
    this.seen(batch, address, size, id);
    return !batch.block.epoch.current;
  }

  /** The load-use stall of instruction `insn` of the member, counted in its statistics. */
  private stall(batch: LoopBatch, id: number, insn: DecodedInstruction): Cycles {
    const hart = this.harts[id]!;
    if (this.settled[id] === 2) {
      const stall = batch.cycles[this.index[id]!]! - 1;
      if (stall !== 0) hart.stats.loadUseStalls += stall;
      return stall;
    }
    return hart.timing.loadUseStall(insn, this.loaded[id]!, this.twoBack[id]!);
  }

  /** The member's instruction `insn` (at its index) retired in `k` cycles, its next one issuing at `next`. */
  private step(batch: LoopBatch, id: number, insn: DecodedInstruction, k: Cycles, next: Cycles): void {
    const index = this.index[id]!;
    if (this.settled[id] === 2) {
      this.retired(id, index, k, batch.previousLoaded[index]!, next);
      return;
    }
    const previous = this.loaded[id]!;
    this.twoBack[id] = k === 1 ? previous : 0;
    this.loaded[id] = insn.loadedMask;
    this.settled[id]!++;
    this.retired(id, index, k, previous, next);
  }

  /** The member's instruction `index` retired in `k` cycles after one that loaded `previousLoaded`, its next one issuing at `next`. */
  retired(id: number, index: number, k: Cycles, previousLoaded: number, next: Cycles): void {
    this.lastIndex[id] = index;
    this.lastCycles[id] = k;
    this.lastLoaded[id] = previousLoaded;
    this.dirty[id] = 1;
    this.index[id] = index + 1;
    this.cycles[id] = next;
    this.order(id);
  }

  /** Core `id` is in the body, and not stopped before a load its pass could not run. */
  member(id: number): boolean {
    return this.state[id] === MEMBER;
  }

  /** The member's key (keys) from its cycle. */
  private order(id: number): void {
    const cores = this.harts.length;
    const cycle = this.cycles[id]!;
    // An integer remainder is a division: a mask when the core count is a power of two (the usual case).
    let rank: number;
    if (this.rankMask >= 0 && cycle < 0x80000000) rank = (id - (cycle | 0)) & this.rankMask;
    else {
      rank = id - (cycle % cores);
      if (rank < 0) rank += cores;
    }
    this.keys[id] = cycle * cores + rank;
  }

  /** The member ran the body's last instruction without going back: it commits and goes on outside (its registers are its pass's). */
  leave(batch: LoopBatch, id: number): void {
    const hart = this.harts[id]!;
    this.state[id] = OUTSIDE;
    this.members--;
    hart.timing.singleAccess(0);
    batch.block.finish(hart, this.lastIndex[id]!, 0, this.cycles[id]!, this.lastCycles[id]!, this.lastLoaded[id]!, 0);
    this.order(id);
  }

  /**
   * The member's registers as the replay left it: back to its pass's start, and the pass run again
   * up to its next instruction, its loads fed from the values recorded (memory may have changed
   * since, not what the loads saw).
   */
  private rewind(batch: LoopBatch, id: number): void {
    if (this.index[id] !== this.passEnd[id]) this.passAgain(batch, id, this.index[id]!);
  }

  /** The member's registers back to its pass's start, and the pass run again up to instruction `to` on the values its loads recorded. */
  passAgain(batch: LoopBatch, id: number, to: number): void {
    const hart = this.harts[id]!;
    const snapshot = this.snapshots[id]!;
    for (const reg of batch.written) hart.regs[reg] = snapshot[reg]!;
    batch.pass(hart, this.addresses[id]!, this.values[id]!, snapshot, this.passStart[id]!, to, 1, this.span);
  }

  /** After the run: the member's registers (rewind), counters, pc and hazard state, as a region leaves them. */
  private settle(batch: LoopBatch, id: number): void {
    const hart = this.harts[id]!;
    this.rewind(batch, id);
    hart.stats.cycles = this.cycles[id]!;
    hart.pc = batch.block.instructions[this.index[id]!]!.pc;
    if (this.dirty[id] === 1) {
      hart.timing.singleAccess(0);
      batch.block.retire(hart, this.lastIndex[id]!, this.lastCycles[id]!, this.lastLoaded[id]!, 0);
    }
  }
}

