/**
 * The PULP-style cluster: N CV32E40P cores in lock-step on one clock, sharing a banked L1 (TCDM),
 * an L2, a DMA engine, a barrier and a timer. Cores issuing in the same cycle are served in
 * round-robin order (rotating each cycle), which is also the TCDM arbitration order. A waiting
 * core (barrier, DMA wait) is parked and its hart's cycle counter is moved forward when it
 * resumes, so mcycle is cluster time.
 *
 * The simulation is exact but not cycle by cycle: the core that is first in time (earliest cycle,
 * then round-robin order) runs ahead until it reaches the cycle of the next core, the next DMA
 * completion or the cycle limit, or touches a peripheral. Every shared resource is therefore used
 * in cluster-time order, as a cycle-by-cycle loop would use it, and a core that computes without
 * competing runs whole compiled blocks. The DMA's use of the TCDM banks needs no such care: it is
 * fixed by the transfers queued, and only a peripheral access (which pauses its core) queues one.
 */
import { Fault } from '../../isa/fault.js';
import type { ImplementedRows } from '../core/code-cache.js';
import { Hart, type RunStop } from '../core/hart.js';
import { MappedMemory } from '../core/memory.js';
import { SyscallEnvironment, type HaltReason } from '../core/environment.js';
import type { ElfImage } from '../../isa/elf/reader.js';
import { hex } from '../../isa/bits.js';
import type { InstructionTable } from '../../isa/table.js';
import type { Addr, Cycles, Word } from '../../isa/types.js';
import { loadImage } from '../program.js';
import { MAX_CLUSTER_CORES, PULP_CLUSTER, type ClusterConfig } from './config.js';
import { CLINT_BASE, CLINT_SIZE, CORE_STACK_BYTES, PERIPHERAL, PERIPHERALS_SIZE } from '../../isa/platform/memory-map.js';
import { CorePort, type PortHost, type PortStats } from './core-port.js';
import { Dma, type DmaRequest } from './dma.js';
import { Tcdm } from './tcdm.js';
import { PagedMemory } from './paged-memory.js';
import { SystemMemory } from './system-memory.js';
import { Clint } from '../../isa/platform/clint.js';
import { LoopRegion, LoopRegionRun } from '../core/loop-region.js';
import { LoopBatch } from '../core/loop-batch.js';
import { LoopBatchRun, type OutsideTurn } from '../core/loop-batch-run.js';
import { StoreLog } from '../core/memory-region.js';
import type { Block } from '../core/block.js';

export interface ClusterOptions {
  readonly config?: Partial<ClusterConfig>;
  readonly table?: InstructionTable;
  /** Only these rows of the table are instructions (HartOptions.implemented). */
  readonly implemented?: ImplementedRows;
  readonly output?: (text: string, fd: number) => void;
  /** Bytes of L1 reserved per core for its stack, from the top of L1 down (sp is set at reset). */
  readonly stackSize?: number;
  /** Compile hot code into blocks (HartOptions.blocks); default true. */
  readonly blocks?: boolean;
  /**
   * Let the first core in time run ahead (default true). When false, every scheduling decision
   * issues one instruction: slower, and the reference the run-ahead is tested against.
   */
  readonly runAhead?: boolean;
  /**
   * Called each time the barrier opens, with the cycle it opens in (that of the last core to
   * arrive, or to halt), in cluster-time order: every other core is parked at the barrier then, so
   * `cluster.reports` holds each core's statistics up to that point (a network's per-layer table).
   */
  readonly onBarrierRelease?: (cycle: Cycles) => void;
}

export interface CoreReport {
  readonly core: number;
  readonly stop: HaltReason | undefined;
  readonly hart: Hart;
  readonly waits: PortStats;
}

export interface ClusterResult {
  readonly stop: RunStop;
  readonly cycles: Cycles;
  readonly instret: number;
  readonly cores: readonly CoreReport[];
}

const SP = 2;

/**
 * The core first in round-robin order in `cycle` (cycle mod the core count). Cycles are doubles to
 * JavaScript: `%` on one is a floating-point remainder, a library call that was the scheduler's
 * costliest line; below 2^31 the integer remainder gives the same value.
 */
function roundRobinStart(cycle: Cycles, cores: number): number {
  return cycle < 0x80000000 ? (cycle | 0) % cores : cycle % cores;
}

interface CoreState {
  readonly hart: Hart;
  readonly port: CorePort;
  /** Parked at the barrier. */
  atBarrier: boolean;
  /** The core may not issue before this cycle (DMA wait). */
  holdUntil: Cycles;
  dmaRegisters: { src: number; dst: number; length: number; rows: number; srcStride: number; dstStride: number };
}

export class Cluster implements PortHost {
  readonly config: ClusterConfig;
  /** L1 and L2: the memories the cores reach. */
  readonly memory: MappedMemory;
  /** The external memory, which only the DMA (and the ELF loader) reaches. */
  readonly l3: PagedMemory;
  /** Every memory, as the DMA and the loader see them. */
  readonly system: SystemMemory;
  readonly tcdm: Tcdm;
  readonly dma: Dma;
  /** The platform's CLINT: each core's software and timer interrupt lines. */
  readonly clint: Clint;
  private readonly cores: CoreState[];
  private readonly runsAhead: boolean;
  private readonly onBarrierRelease: ((cycle: Cycles) => void) | undefined;
  /** roundRobinOrders by set of cores. */
  private readonly orders = new Map<number, Hart[][]>();
  /** The arrays of runInLoopRegion, made on first use, and the region it runs. */
  private regionRun: LoopRegionRun | undefined;
  private region: LoopRegion | undefined;
  /** The arrays of a LoopBatch's replay, made on first use. */
  private batchRun: LoopBatchRun | undefined;
  /** The body of the batch running. */
  private batchBody: Block | undefined;
  /** The stores of a core outside a batch's body during its turn. */
  private readonly storeLog = new StoreLog();

  constructor(options: ClusterOptions = {}) {
    const config = { ...PULP_CLUSTER, ...options.config };
    if (config.cores < 1 || config.cores > MAX_CLUSTER_CORES) throw new Error(`cluster: 1 to ${MAX_CLUSTER_CORES} cores, not ${config.cores}`);
    for (const key of ['dmaBandwidth', 'l3Bandwidth'] as const) {
      if (!Number.isInteger(config[key]) || config[key] < 1) throw new Error(`cluster: ${key} must be a positive whole number of bytes per cycle, not ${config[key]}`);
    }
    this.config = config;
    this.memory = new MappedMemory([
      { name: 'l1', base: config.l1Base, size: config.l1Size },
      { name: 'l2', base: config.l2Base, size: config.l2Size },
    ]);
    this.l3 = new PagedMemory({ name: 'l3', base: config.l3Base, size: config.l3Size });
    const windows = [
      { name: 'the peripherals', base: config.peripheralsBase, end: config.peripheralsBase + PERIPHERALS_SIZE },
      { name: 'the CLINT', base: CLINT_BASE, end: CLINT_BASE + CLINT_SIZE },
    ];
    for (const region of [...this.memory.regions, ...windows]) {
      if (region.base < this.l3.end && this.l3.base < region.end) throw new Error(`cluster: L3 ${hex(this.l3.base)}..${hex(this.l3.end)} overlaps ${region.name}`);
    }
    this.system = new SystemMemory(this.memory, this.l3);
    this.dma = new Dma(this.system, config);
    this.tcdm = new Tcdm(config.l1Base, config.l1Size, config.l1Banks, this.dma);
    const stackSize = options.stackSize ?? CORE_STACK_BYTES;
    this.runsAhead = options.runAhead ?? true;
    this.onBarrierRelease = options.onBarrierRelease;
    this.clint = new Clint(config.cores);
    this.cores = Array.from({ length: config.cores }, (_, id) => {
      const port = new CorePort(id, this.memory, this.tcdm, this, config);
      const hart = new Hart(port, {
        // A fault stops the cluster: the lock-step group steps (Block.groupStep) cannot divert one
        // core to a handler midway (docs/iss.md#traps).
        resetPc: config.l2Base, hartId: id, timing: config.timing, blocks: options.blocks ?? true, traps: 'stop', sharingCode: config.cores,
        environment: new SyscallEnvironment(options.output), ...(options.table ? { table: options.table } : {}),
        ...(options.implemented ? { implemented: options.implemented } : {}),
      });
      port.hart = hart;
      hart.attachInterrupts(this.clint);
      hart.wakeableByOthers = true;
      hart.regs[SP] = config.l1Base + config.l1Size - id * stackSize;
      return { hart, port, atBarrier: false, holdUntil: 0, dmaRegisters: { src: 0, dst: 0, length: 0, rows: 1, srcStride: 0, dstStride: 0 } };
    });
  }

  get harts(): readonly Hart[] {
    return this.cores.map((c) => c.hart);
  }

  /** Each core's hart, stop and waits so far: also after a run that ended with a fault. */
  get reports(): readonly CoreReport[] {
    return this.cores.map((c, core) => ({ core, stop: c.hart.halted, hart: c.hart, waits: c.port.stats }));
  }

  /** Load an ELF image (into L1, L2 and L3); every core starts at its entry point. */
  load(image: ElfImage): void {
    loadImage(this.system, image);
    for (const { hart } of this.cores) hart.pc = image.entry;
  }

  run(maxCycles: Cycles = Number.POSITIVE_INFINITY): ClusterResult {
    const cores = this.cores;
    const n = cores.length;
    for (;;) {
      // The earliest cycle of a running core, the first core there, and the next cycle (equal to
      // it when cores tie); whether the cores there are all at one pc (then maybe in lock-step).
      let earliest = Number.POSITIVE_INFINITY;
      let following = Number.POSITIVE_INFINITY;
      let first = 0;
      let onePc = true;
      for (let id = 0; id < n; id++) {
        const core = cores[id]!;
        const hart = core.hart;
        if (!this.running(core)) continue;
        const cycle = hart.stats.cycles;
        if (cycle < earliest) {
          following = earliest;
          earliest = cycle;
          first = id;
          onePc = true;
        } else if (cycle === earliest) {
          following = cycle;
          if (hart.pc !== cores[first]!.hart.pc) onePc = false;
        } else if (cycle < following) {
          following = cycle;
        }
      }
      // A barrier opens as soon as every running core waits at it, so no core can go on only when
      // all halted or sleep in wfi with nothing left to wake them, which ends their run there.
      if (earliest === Number.POSITIVE_INFINITY) {
        for (const { hart } of cores) if (hart.parkedInWfi) hart.halt({ kind: 'wfi' });
        break;
      }
      if (earliest >= maxCycles) return this.result({ kind: 'cycle-limit' }, maxCycles);
      this.dma.advance(earliest);
      if (following > earliest && this.runsAhead) {
        const alone = cores[first]!;
        alone.hart.runAhead(Math.min(following, this.dma.nextEvent), maxCycles);
        this.afterRun(alone);
        continue;
      }
      // Cores in a hardware-loop body run it as a batch where it allows one (in lock-step too: a
      // batch window runs each core through a span of cycles alone, where a group step issues one
      // instruction of each); else cores in lock-step issue together (a group step per cycle for all
      // of them), and cores in a loop body take turns in its region.
      const body = this.runsAhead ? this.loopBodyAt(earliest) : undefined;
      const batch = body === undefined ? 'none' : this.runInLoopBatch(body, maxCycles);
      if (batch === 'ran') continue;
      if (batch === 'none' && this.runsAhead && onePc && this.runInLockStep(earliest, maxCycles)) continue;
      if (body !== undefined && this.runInLoopRegion(body, maxCycles)) continue;
      // Cores tie: each takes its turn in round-robin order from core (cycle mod N), issuing one
      // instruction and then, when running ahead, the local ones after it.
      const start = roundRobinStart(earliest, n);
      for (let k = 0; k < n; k++) {
        const core = cores[start + k < n ? start + k : start + k - n]!;
        const hart = core.hart;
        if (hart.stats.cycles !== earliest || !this.running(core)) continue;
        if (this.runsAhead) hart.runAhead(earliest, maxCycles);
        else hart.step();
        if (core.holdUntil > hart.stats.cycles || hart.halted !== undefined) this.afterRun(core);
      }
    }
    const stop = this.cores[0]!.hart.halted!;
    return this.result(stop, maxCycles);
  }

  /**
   * Cores tied at `cycle`, all at one pc (run() checks that as it finds them), with compiled code
   * there, go on together: every cycle
   * each issues its instruction in round-robin order, as the rounds of run() would have them do,
   * through one call for all of them (Block.groupStep). They stop when they part (different cycles
   * or pcs), a peripheral paused one, one halted, their cycle reaches another core, the next DMA
   * completion or the limit, or they reach code where lock-step is not hot yet (Block.lockStepHot).
   * Returns false when they cannot start.
   */
  private runInLockStep(cycle: Cycles, maxCycles: Cycles): boolean {
    const cores = this.cores;
    const n = cores.length;
    let members = 0;
    let lead: Hart | undefined;
    let limit = Math.min(this.dma.nextEvent, maxCycles);
    for (let id = 0; id < n; id++) {
      const hart = cores[id]!.hart;
      if (!this.running(cores[id]!)) continue;
      if (hart.stats.cycles !== cycle) limit = Math.min(limit, hart.stats.cycles);
      // Every member must run compiled code: a hart with a retire hook, or one an interrupt may
      // reach (Hart.hotBlock), is interpreted.
      else if (!hart.compiles || hart.hotBlock() === undefined) return false;
      else {
        members |= 1 << id;
        lead ??= hart;
      }
    }
    let block = lead!.hotBlock();
    if ((members & (members - 1)) === 0 || !block?.lockStepHot()) return false;
    const group = cores.filter((_, id) => (members & (1 << id)) !== 0);
    const orders = this.roundRobinOrders(members);
    for (const c of group) c.hart.stopAt = Number.POSITIVE_INFINITY;
    for (let t = cycle; ; ) {
      const order = orders[roundRobinStart(t, n)]!;
      const pc = lead!.pc;
      let together: boolean;
      try {
        together = block.groupStep(order);
      } catch (error) {
        // The hart that faulted is the first one still at the instruction: every other one moved on.
        throw order.find((hart) => hart.pc === pc)!.locate(error);
      }
      if (!together) {
        // A peripheral may have parked a core or made it wait for the DMA.
        for (const c of group) this.afterRun(c);
        return true;
      }
      t = lead!.stats.cycles;
      if (t >= limit) return true;
      const next = lead!.hotBlock();
      if (!next?.lockStepHot()) return true;
      block = next;
    }
  }

  /** The hardware-loop body the first of the cores tied at `cycle` (in round-robin order) is in, if any. */
  private loopBodyAt(cycle: Cycles): Block | undefined {
    const cores = this.cores;
    const n = cores.length;
    let lead = roundRobinStart(cycle, n);
    while (cores[lead]!.hart.stats.cycles !== cycle || !this.running(cores[lead]!)) lead = lead + 1 === n ? 0 : lead + 1;
    return cores[lead]!.hart.loopBody();
  }

  /**
   * The cores in `body`, when it allows a batch and at least two are there, run it as a LoopBatch
   * (the others taking their turns from inside the call): 'ran', or 'blocked' when the first in time
   * must run a load the batch cannot (the region runs it), or 'none' when no batch ran.
   */
  private runInLoopBatch(body: Block, maxCycles: Cycles): 'ran' | 'blocked' | 'none' {
    const batch = LoopBatch.of(body, this.cores[0]!.hart.timing.config);
    if (!batch?.hot() || !body.epoch.current) return 'none';
    const [inside, others] = this.membersIn(body);
    if ((inside & (inside - 1)) === 0) return 'none';
    const replay = (this.batchRun ??= new LoopBatchRun(this.harts, (id, limit) => this.batchTurn(id, limit), this.storeLog, this.tcdm));
    this.batchBody = body;
    replay.limit = Math.min(this.dma.nextEvent, maxCycles);
    replay.stop = maxCycles;
    const end = replay.run(batch, inside, others);
    if (end === 'cluster') this.afterRun(this.cores[replay.current]!);
    return end === 'blocked' ? 'blocked' : 'ran';
  }

  /**
   * The cores in `body`, the body of the first of the tied cores in round-robin order, when at
   * least two are there, go on through its LoopRegion: one call runs their turns, and those of the
   * cores outside the body (turnOutside), in the order run() would, until a core is paused, halted
   * or made to wait for the DMA, no core is left in the body, or the earliest reaches the next DMA
   * completion or the cycle limit. Returns false when they cannot start.
   */
  private runInLoopRegion(body: Block, maxCycles: Cycles): boolean {
    const cores = this.cores;
    const n = cores.length;
    const region = LoopRegion.of(body);
    if (!region?.hot()) return false;
    const run = (this.regionRun ??= new LoopRegionRun(this.harts, (id, limit) => this.turnOutside(id, limit)));
    this.region = region;
    run.limit = Math.min(this.dma.nextEvent, maxCycles);
    run.stop = maxCycles;
    let members = 0;
    for (let id = 0; id < n; id++) {
      run.cycles[id] = this.running(cores[id]!) ? cores[id]!.hart.stats.cycles : Number.POSITIVE_INFINITY;
      if (this.joinRegion(id)) members++;
    }
    if (members < 2) {
      run.settle(region);
      return false;
    }
    try {
      region.run(run);
    } catch (error) {
      // The core whose turn it was faulted; the others stopped between turns.
      run.members[run.current] = 0;
      run.settle(region);
      throw cores[run.current]!.hart.locate(error);
    }
    run.settle(region);
    // The last core to go may have left paused by a peripheral (a DMA wait) or halted.
    const last = cores[run.current]!;
    if (last.holdUntil > last.hart.stats.cycles || last.hart.halted !== undefined) this.afterRun(last);
    return true;
  }

  /** Core `id`, running inside the current region's loop body, becomes one of its members; returns whether it did. */
  private joinRegion(id: number): boolean {
    if (!this.runsIn(this.cores[id]!, this.region!.block)) return false;
    const { hart } = this.cores[id]!;
    this.regionRun!.enter(id, this.region!);
    hart.stopAt = this.regionRun!.stop;
    return true;
  }

  /**
   * LoopRegionRun.outside: a core outside the region takes its turn as in run(); then it may join
   * the region. The call goes on while a member is left, unless the turn needs the cluster to act
   * (a peripheral access, a halt, a DMA wait: it may open the barrier or change the DMA's schedule).
   */
  private turnOutside(id: number, limit: Cycles): boolean {
    const core = this.cores[id]!;
    const hart = core.hart;
    const run = this.regionRun!;
    hart.runAhead(limit, run.stop);
    if (this.mustAct(core)) return false;
    run.cycles[id] = this.running(core) ? hart.stats.cycles : Number.POSITIVE_INFINITY;
    this.joinRegion(id);
    return run.members.includes(1);
  }

  /** After a core's turn inside a region's or a batch's call: a peripheral paused it, it halted or it waits for the DMA, and the cluster must act on it. */
  private mustAct(core: CoreState): boolean {
    const hart = core.hart;
    return hart.stopAt === 0 || hart.halted !== undefined || core.holdUntil > hart.stats.cycles;
  }

  /** The core runs, at an instruction of `body`, in compiled code, the body fitting its hardware loops. */
  private runsIn(core: CoreState, body: Block): boolean {
    const { hart } = core;
    return this.running(core) && hart.pc >= body.start && hart.pc < body.end && hart.runsCompiled && body.fitsLoops(hart.hwloop);
  }

  /** The running cores in `body` (runsIn) and the other running cores, as bit masks. */
  private membersIn(body: Block): [number, number] {
    let inside = 0;
    let others = 0;
    for (let id = 0; id < this.cores.length; id++) {
      const core = this.cores[id]!;
      if (this.runsIn(core, body)) inside |= 1 << id;
      else if (this.running(core)) others |= 1 << id;
    }
    return [inside, others];
  }

  /**
   * LoopBatchRun.outside: a core outside the current region's body takes its turn as in run(), its
   * stores logged; whether the cluster must act on it, or where it goes on.
   */
  private batchTurn(id: number, limit: Cycles): OutsideTurn {
    const core = this.cores[id]!;
    const hart = core.hart;
    for (const region of this.memory.regions) region.stores = this.storeLog;
    try {
      hart.runAhead(limit, this.batchRun!.stop);
    } finally {
      for (const region of this.memory.regions) region.stores = undefined;
    }
    if (this.mustAct(core) || !this.running(core)) return 'stop';
    return this.runsIn(core, this.batchBody!) ? 'inside' : 'outside';
  }

  /** Neither halted, nor parked at the barrier or in wfi. */
  private running(core: CoreState): boolean {
    return core.hart.halted === undefined && !core.atBarrier && !core.hart.parkedInWfi;
  }

  /** The harts of a set of cores (bit mask) in round-robin order, for each value of (cycle mod N). */
  private roundRobinOrders(members: number): Hart[][] {
    let orders = this.orders.get(members);
    if (!orders) {
      const n = this.cores.length;
      orders = Array.from({ length: n }, (_, start) => {
        const order: Hart[] = [];
        for (let k = 0; k < n; k++) {
          const id = (start + k) % n;
          if ((members & (1 << id)) !== 0) order.push(this.cores[id]!.hart);
        }
        return order;
      });
      this.orders.set(members, orders);
    }
    return orders;
  }

  private afterRun(core: CoreState): void {
    const stats = core.hart.stats;
    if (core.holdUntil > stats.cycles) {
      const wait = core.holdUntil - stats.cycles;
      stats.cycles += wait;
      core.port.stats.dmaWait += wait;
    }
    if (core.hart.halted) this.releaseBarrierIfComplete(undefined, core.hart.haltCycle);
  }

  /**
   * The DMA completes every transfer due by the last cycle simulated (the one before the cycle
   * limit, or the last cycle of the last core to halt), whichever cycles the scheduler visited.
   */
  private result(stop: RunStop, maxCycles: Cycles): ClusterResult {
    const cycles = Math.max(...this.cores.map((c) => c.hart.stats.cycles));
    this.dma.advance(stop.kind === 'cycle-limit' ? maxCycles - 1 : cycles);
    return {
      stop,
      cycles,
      instret: this.cores.reduce((sum, c) => sum + c.hart.stats.instret, 0),
      cores: this.reports,
    };
  }

  // --- peripherals --------------------------------------------------------------------------

  /** A core stored to the CLINT: a core parked in wfi may now have a line to wake it. */
  clintWritten(): void {
    for (const { hart } of this.cores) hart.wakeFromWfi();
  }

  peripheralRead(core: number, offset: number, cycle: Cycles): Word {
    const state = this.cores[core]!;
    switch (offset) {
      case PERIPHERAL.BARRIER:
        state.atBarrier = true;
        this.releaseBarrierIfComplete(state, cycle);
        return 0;
      case PERIPHERAL.DMA_START: return this.dma.lastQueued;
      case PERIPHERAL.DMA_BUSY: return this.dma.busy;
      case PERIPHERAL.DMA_WAIT:
        state.holdUntil = Math.max(state.holdUntil, this.dma.idleAt);
        return 0;
      case PERIPHERAL.CYCLES_LO: return cycle % 2 ** 32 | 0;
      case PERIPHERAL.CYCLES_HI: return Math.floor(cycle / 2 ** 32) | 0;
      default:
        throw new Fault('memory-access', `no readable peripheral register at offset ${hex(offset, 3)}`);
    }
  }

  peripheralWrite(core: number, offset: number, value: Word, cycle: Cycles): void {
    const r = this.cores[core]!.dmaRegisters;
    switch (offset) {
      case PERIPHERAL.DMA_SRC: r.src = value >>> 0; return;
      case PERIPHERAL.DMA_DST: r.dst = value >>> 0; return;
      case PERIPHERAL.DMA_LENGTH: r.length = value >>> 0; return;
      case PERIPHERAL.DMA_ROWS: r.rows = value >>> 0; return;
      case PERIPHERAL.DMA_SRC_STRIDE: r.srcStride = value; return;
      case PERIPHERAL.DMA_DST_STRIDE: r.dstStride = value; return;
      case PERIPHERAL.DMA_WAIT_ID: {
        if (value >>> 0 > this.dma.lastQueued) throw new Fault('memory-access', `DMA wait for transfer ${value >>> 0}, which was never queued (the last is ${this.dma.lastQueued})`);
        const state = this.cores[core]!;
        state.holdUntil = Math.max(state.holdUntil, this.dma.doneAt(value >>> 0));
        return;
      }
      case PERIPHERAL.DMA_START: {
        const request: DmaRequest = { ...r };
        for (let row = 0; row < request.rows; row++) this.checkDmaRow(request, row);
        this.dma.start(request, cycle);
        r.rows = 1;
        return;
      }
      default:
        throw new Fault('memory-access', `no writable peripheral register at offset ${hex(offset, 3)}`);
    }
  }

  /** Each row of each end lies in the memory of the end's first row (the DMA times a transfer by its ends' memories). */
  private checkDmaRow(r: DmaRequest, row: number): void {
    for (const [what, first, stride] of [['source', r.src, r.srcStride], ['destination', r.dst, r.dstStride]] as const) {
      const addr: Addr = (first + row * stride) >>> 0;
      const region = this.system.find(addr, r.length);
      if (!region) throw new Fault('memory-access', `DMA ${what} ${hex(addr)}+${r.length} is outside memory`);
      if (row > 0 && region !== this.system.find(first >>> 0, r.length)) {
        throw new Fault('memory-access', `DMA ${what} row ${row} at ${hex(addr)} leaves the memory of the first row (${hex(first >>> 0)})`);
      }
    }
  }

  /**
   * When every running core has arrived, the barrier opens in `cycle`, when the last arrival (or
   * halt) happened: the core that completed it goes on, the others resume after the wake-up latency.
   */
  private releaseBarrierIfComplete(trigger: CoreState | undefined, cycle: Cycles): void {
    const running = this.cores.filter((c) => !c.hart.halted);
    const waiting = running.filter((c) => c.atBarrier);
    if (waiting.length === 0 || waiting.length < running.length) return;
    for (const c of waiting) {
      c.atBarrier = false;
      if (c === trigger) continue;
      const resume = Math.max(c.hart.stats.cycles, cycle + this.config.barrierWakeup);
      c.port.stats.barrierWait += resume - c.hart.stats.cycles;
      c.hart.stats.cycles = resume;
    }
    this.onBarrierRelease?.(cycle);
  }
}
