/**
 * The cost model that picks tile sizes (docs/compiler.md#cost-model): a tile's compute from its
 * kernel's inner-loop bound (VariantGenerator.bound) and its output count, a transfer's cycles from
 * the DMA's latency and bandwidth, and the pipeline they make with double buffering: while the
 * cores compute tile k the DMA brings tile k+1 in, so each step costs the larger of the two.
 */
import type { Cycles } from '../../../isa/types.js';

export interface DmaModel {
  /** Cycles from a transfer's start to its first byte. */
  readonly latency: Cycles;
  /** Bytes per cycle. */
  readonly bandwidth: number;
}

/**
 * Cycles a tile costs beyond its kernel's inner loops: the runtime's step (table reads, dispatch,
 * the barrier), measured at about 100 to 150 cycles on 8 cores, rounded up.
 */
export const TILE_OVERHEAD: Cycles = 200;

/**
 * The kernels' cycles outside their inner loops (im2col, requantization, loop set-up) in the
 * tiles the compiler makes, as a fraction of the bound: the measured ratio of layer cycles to
 * bound in the kernel bench is 1.1 to 1.6; the model takes a middle value.
 */
export const KERNEL_OVERHEAD = 1.3;

export const transferCycles = (bytes: number, dma: DmaModel): Cycles => (bytes === 0 ? 0 : dma.latency + Math.ceil(bytes / dma.bandwidth));

/** One tile as the model sees it: its compute and the cycles of the transfers that fill it. */
export interface StepEstimate {
  readonly compute: Cycles;
  readonly fill: Cycles;
}

/** The first tile's fill, then each tile's compute overlapped with the next one's fill. */
export function pipelineCycles(steps: readonly StepEstimate[]): Cycles {
  let total = steps[0]?.fill ?? 0;
  for (let k = 0; k < steps.length; k++) total += Math.max(steps[k]!.compute + TILE_OVERHEAD, steps[k + 1]?.fill ?? 0);
  return total;
}
