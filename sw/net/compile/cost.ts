/**
 * The cost model that ranks tilings (docs/compiler.md#cost-model): a tile's compute from its
 * kernel's inner-loop bound (VariantGenerator.bound) times KERNEL_OVERHEAD, a transfer's cycles from
 * the DMA's latency and bandwidth; with double buffering the DMA brings tile k+1 in while the cores
 * compute tile k, so each tile costs the larger of the two (layer-tiles.ts evaluates a tiling).
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
