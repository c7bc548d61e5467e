/**
 * Cluster parameters with PULP-cluster defaults, all in one object. The addresses default to the
 * platform's memory map (isa/platform/memory-map.ts).
 */
import { CV32E40P_TIMING, type TimingConfig } from '../core/timing.js';
import type { Addr, Cycles } from '../../isa/types.js';
import { PERIPHERALS_BASE, PULP_L1, PULP_L2 } from '../../isa/platform/memory-map.js';

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
  /** DMA: cycles from a transfer's start to its first byte. */
  readonly dmaLatency: Cycles;
  /** DMA: bytes moved per cycle once started. */
  readonly dmaBandwidth: number;
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
  dmaLatency: 10,
  dmaBandwidth: 8,
  timing: CV32E40P_TIMING,
};
