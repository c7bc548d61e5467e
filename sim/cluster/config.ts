/**
 * Cluster parameters with PULP-cluster defaults, all in one object. The addresses default to the
 * platform's memory map (isa/platform/memory-map.ts).
 */
import { CV32E40P_TIMING, type TimingConfig } from '../core/timing.js';
import type { Addr, Cycles } from '../../isa/types.js';
import { PERIPHERALS_BASE, PULP_L1, PULP_L2, PULP_L3 } from '../../isa/platform/memory-map.js';

/** The most cores a cluster has (the PULP cluster's 16-core configuration). */
export const MAX_CLUSTER_CORES = 16;

export interface ClusterConfig {
  /** Number of cores, 1..MAX_CLUSTER_CORES. */
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
  /** External memory (HyperRAM-like), reached only by the DMA. */
  readonly l3Base: Addr;
  readonly l3Size: number;
  /** DMA: cycles from a transfer's start to its first byte, between L1 and L2. */
  readonly dmaLatency: Cycles;
  /** DMA: bytes moved per cycle once started (a positive integer), between L1 and L2. */
  readonly dmaBandwidth: number;
  /** DMA: cycles from the start of a transfer with L3 at either end to its first byte. */
  readonly l3Latency: Cycles;
  /** DMA: bytes per cycle of a transfer with L3 at either end (a positive integer). */
  readonly l3Bandwidth: number;
  readonly timing: TimingConfig;
}

export const PULP_CLUSTER: ClusterConfig = {
  cores: 8,
  l1Base: PULP_L1.base,
  l1Size: PULP_L1.size,
  l1Banks: 16,
  l2Base: PULP_L2.base,
  l2Size: PULP_L2.size,
  l2Latency: 8,
  peripheralsBase: PERIPHERALS_BASE,
  barrierWakeup: 2,
  l3Base: PULP_L3.base,
  l3Size: PULP_L3.size,
  dmaLatency: 10,
  dmaBandwidth: 8,
  // HyperRAM on a HyperBus clocked like the cluster (docs/iss.md#cluster-sim-cluster): 8-bit DDR
  // moves 2 bytes per clock; the first byte comes after the DMA's own 10 cycles and the device's
  // 16 (command, address and its fixed double latency at 166 MHz).
  l3Latency: 26,
  l3Bandwidth: 2,
  timing: CV32E40P_TIMING,
};
