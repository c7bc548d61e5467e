/**
 * The cluster DMA: 1D and 2D copies between any of the cluster's memories (L2 <-> L1 and L3 <-> L1
 * or L2 in practice), queued and served one at a time. A transfer waits for the one before it,
 * then `latency` cycles for its first byte, then moves `bandwidth` bytes per cycle: the DMA's own
 * figures (dmaLatency, dmaBandwidth), or the external memory's (l3Latency, l3Bandwidth) when L3 is
 * at either end, since its bus is the narrow part of the path. The data moves when a transfer
 * completes, so a core reading the destination earlier sees the old contents.
 *
 * While a transfer moves bytes to or from L1, it takes the TCDM banks of the words it moves, in
 * the cycles it moves them (dma-banks.ts), before the cores (the Tcdm asks `occupies`). The whole
 * schedule follows from the queued transfers, so the cluster can run a core ahead through it.
 */
import type { Addr, Cycles } from '../../isa/types.js';
import type { ClusterConfig } from './config.js';
import { l1SideBanks, l1SideTakesBank, type L1Side } from './dma-banks.js';
import type { BankOccupant } from './tcdm.js';

export interface DmaRequest {
  readonly src: Addr;
  readonly dst: Addr;
  /** Bytes per row. */
  readonly length: number;
  readonly rows: number;
  readonly srcStride: number;
  readonly dstStride: number;
}

/** Where the DMA copies data: every memory of the cluster, L3 included. */
export interface DmaMemory {
  readBytes(addr: Addr, length: number): Uint8Array;
  writeBytes(addr: Addr, data: Uint8Array): void;
}

type DmaConfig = Pick<ClusterConfig, 'l1Base' | 'l1Size' | 'l1Banks' | 'l3Base' | 'l3Size' | 'dmaLatency' | 'dmaBandwidth' | 'l3Latency' | 'l3Bandwidth'>;

interface Transfer extends DmaRequest {
  readonly id: number;
  /** The first cycle in which bytes move. */
  readonly dataStart: Cycles;
  readonly doneAt: Cycles;
  readonly bandwidth: number;
  /** The ends of the transfer in L1 (none, one, or both for an L1-to-L1 copy). */
  readonly l1Sides: readonly L1Side[];
}

export class Dma implements BankOccupant {
  private readonly queue: Transfer[] = [];
  private lastId = 0;
  /** Bytes moved so far, for statistics. */
  bytes = 0;
  busyFrom: Cycles = Number.POSITIVE_INFINITY;
  busyUntil: Cycles = Number.NEGATIVE_INFINITY;
  /** Counts the changes of the schedule (a transfer queued or completed): BankOccupant.schedule. */
  schedule = 0;

  constructor(
    private readonly memory: DmaMemory,
    private readonly config: DmaConfig,
  ) {}

  get busy(): number {
    return this.queue.length;
  }

  get lastQueued(): number {
    return this.lastId;
  }

  /** Queue a transfer issued at `cycle`; it starts when the previous one is done. */
  start(request: DmaRequest, cycle: Cycles): number {
    const { config } = this;
    const begin = Math.max(cycle, this.queue.at(-1)?.doneAt ?? cycle);
    const external = this.inL3(request.src) || this.inL3(request.dst);
    const latency = external ? config.l3Latency : config.dmaLatency;
    const bandwidth = external ? config.l3Bandwidth : config.dmaBandwidth;
    const dataStart = begin + latency;
    const doneAt = dataStart + Math.ceil((request.length * request.rows) / bandwidth);
    const l1Sides = [
      { base: request.src, stride: request.srcStride },
      { base: request.dst, stride: request.dstStride },
    ].filter((side) => this.inL1(side.base));
    this.queue.push({ ...request, id: ++this.lastId, dataStart, doneAt, bandwidth, l1Sides });
    this.spanBusyCycles();
    return this.lastId;
  }

  /** Cycle at which the next transfer completes, or Infinity when idle. */
  get nextEvent(): Cycles {
    return this.queue[0]?.doneAt ?? Number.POSITIVE_INFINITY;
  }

  /** When transfer `id` will be done (a past cycle, 0, once it is). */
  doneAt(id: number): Cycles {
    return this.queue.find((t) => t.id === id)?.doneAt ?? 0;
  }

  /** When all transfers queued so far will be done. */
  get idleAt(): Cycles {
    return this.queue.at(-1)?.doneAt ?? 0;
  }

  /** Complete every transfer due by `cycle`, copying its data. */
  advance(cycle: Cycles): void {
    let completed = false;
    while (this.queue.length > 0 && this.queue[0]!.doneAt <= cycle) {
      const t = this.queue.shift()!;
      for (let row = 0; row < t.rows; row++) {
        const data = this.memory.readBytes((t.src + row * t.srcStride) >>> 0, t.length);
        this.memory.writeBytes((t.dst + row * t.dstStride) >>> 0, data);
      }
      this.bytes += t.length * t.rows;
      completed = true;
    }
    if (completed) this.spanBusyCycles();
  }

  banksAt(cycle: Cycles): number {
    const t = this.movingIn(cycle);
    let banks = 0;
    if (t !== undefined) for (const side of t.l1Sides) banks |= l1SideBanks(side, t, cycle - t.dataStart, this.config.l1Base, this.config.l1Banks);
    return banks;
  }

  occupies(bank: number, cycle: Cycles): boolean {
    const t = this.movingIn(cycle);
    if (t !== undefined) {
      for (const side of t.l1Sides) {
        if (l1SideTakesBank(side, t, cycle - t.dataStart, this.config.l1Base, this.config.l1Banks, bank)) return true;
      }
    }
    return false;
  }

  /**
   * The transfer moving data in `cycle`: transfers follow one another, so at most one does. A plain
   * loop: cores ask for every L1 access while a transfer runs.
   */
  private movingIn(cycle: Cycles): Transfer | undefined {
    for (const t of this.queue) if (cycle >= t.dataStart && cycle < t.doneAt) return t;
    return undefined;
  }

  /** The cycles outside which no queued transfer takes a bank. */
  private spanBusyCycles(): void {
    this.schedule++;
    const touching = this.queue.filter((t) => t.l1Sides.length > 0 && t.doneAt > t.dataStart);
    this.busyFrom = touching[0]?.dataStart ?? Number.POSITIVE_INFINITY;
    this.busyUntil = touching.at(-1)?.doneAt ?? Number.NEGATIVE_INFINITY;
  }

  private inL1(addr: Addr): boolean {
    const a = addr >>> 0;
    return a >= this.config.l1Base && a < this.config.l1Base + this.config.l1Size;
  }

  private inL3(addr: Addr): boolean {
    const a = addr >>> 0;
    return a >= this.config.l3Base && a < this.config.l3Base + this.config.l3Size;
  }
}
