/**
 * The cluster DMA: 1D and 2D copies between any mapped addresses (L2 <-> L1 in practice), queued
 * and served one at a time, each taking latency + ceil(bytes / bandwidth) cycles. The data moves
 * when a transfer completes, so a core reading the destination earlier sees the old contents.
 */
import type { MappedMemory } from '../core/memory.js';
import type { Addr, Cycles } from '../../isa/types.js';

export interface DmaRequest {
  readonly src: Addr;
  readonly dst: Addr;
  /** Bytes per row. */
  readonly length: number;
  readonly rows: number;
  readonly srcStride: number;
  readonly dstStride: number;
}

interface Transfer extends DmaRequest {
  readonly id: number;
  readonly doneAt: Cycles;
}

export class Dma {
  private readonly queue: Transfer[] = [];
  private lastId = 0;
  /** Bytes moved so far, for statistics. */
  bytes = 0;

  constructor(
    private readonly memory: MappedMemory,
    private readonly latency: Cycles,
    private readonly bandwidth: number,
  ) {}

  get busy(): number {
    return this.queue.length;
  }

  get lastQueued(): number {
    return this.lastId;
  }

  /** Queue a transfer issued at `cycle`; it starts when the previous one is done. */
  start(request: DmaRequest, cycle: Cycles): number {
    const begin = Math.max(cycle, this.queue.at(-1)?.doneAt ?? cycle);
    const bytes = request.length * request.rows;
    const doneAt = begin + this.latency + Math.ceil(bytes / this.bandwidth);
    this.queue.push({ ...request, id: ++this.lastId, doneAt });
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
    while (this.queue.length > 0 && this.queue[0]!.doneAt <= cycle) {
      const t = this.queue.shift()!;
      for (let row = 0; row < t.rows; row++) {
        const data = this.memory.readBytes((t.src + row * t.srcStride) >>> 0, t.length);
        this.memory.writeBytes((t.dst + row * t.dstStride) >>> 0, data);
      }
      this.bytes += t.length * t.rows;
    }
  }
}
