/**
 * Cluster parameters with PULP-cluster defaults, all in one object, and the memory map. The
 * peripheral layout is this simulator's own (documented in docs/iss.md), not the PULP SDK's.
 */
import { CV32E40P_TIMING, type TimingConfig } from '../core/timing';
import type { Addr, Cycles } from '../isa/types';

export interface ClusterConfig {
  /** Number of cores, 1..16. */
  readonly cores: number;
  readonly l1Base: Addr;
  readonly l1Size: number;
  /** TCDM banks, word-interleaved: bank = (addr / 4) mod banks. */
  readonly l1Banks: number;
  readonly l2Base: Addr;
  readonly l2Size: number;
  /** Extra cycles of a core's data access to L2 (through the cluster interconnect). */
  readonly l2Latency: Cycles;
  readonly peripheralsBase: Addr;
  /** Cycles from the last core reaching a barrier to the waiting cores resuming. */
  readonly barrierWakeup: Cycles;
  /** DMA: cycles from a transfer's start to its first byte. */
  readonly dmaLatency: Cycles;
  /** DMA: bytes moved per cycle once started. */
  readonly dmaBandwidth: number;
  readonly timing: TimingConfig;
}

export const PULP_CLUSTER: ClusterConfig = {
  cores: 8,
  l1Base: 0x1000_0000,
  l1Size: 64 * 1024,
  l1Banks: 16,
  l2Base: 0x1c00_0000,
  l2Size: 512 * 1024,
  l2Latency: 8,
  peripheralsBase: 0x1020_0000,
  barrierWakeup: 2,
  dmaLatency: 10,
  dmaBandwidth: 8,
  timing: CV32E40P_TIMING,
};

/**
 * Peripheral registers, as offsets from `peripheralsBase` (32-bit accesses only).
 *
 * Barrier: a load from BARRIER returns 0 once every running core has loaded it; until then the
 * core waits (counted as barrier wait).
 *
 * DMA: write SRC, DST, LENGTH (bytes per row), and for 2D transfers ROWS, SRC_STRIDE, DST_STRIDE;
 * a store to START queues the transfer (ROWS reset to 1 afterwards). A load from START returns the
 * id of the last transfer queued, BUSY the number of transfers not finished, and WAIT blocks the
 * core until all are finished (counted as DMA wait). Transfers run one after another,
 * concurrently with the cores.
 *
 * Timer: CYCLES_LO / CYCLES_HI read the cluster cycle counter.
 */
export const PERIPHERAL = {
  BARRIER: 0x000,
  DMA_SRC: 0x100,
  DMA_DST: 0x104,
  DMA_LENGTH: 0x108,
  DMA_ROWS: 0x10c,
  DMA_SRC_STRIDE: 0x110,
  DMA_DST_STRIDE: 0x114,
  DMA_START: 0x118,
  DMA_BUSY: 0x11c,
  DMA_WAIT: 0x120,
  CYCLES_LO: 0x200,
  CYCLES_HI: 0x204,
} as const;

export const PERIPHERALS_SIZE = 0x1000;
