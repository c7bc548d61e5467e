/**
 * Where the network's data lives outside L1 (docs/compiler.md#memory-plan). Activations share an
 * arena by lifetime: a tensor lives from the first step that drains into it to the last step that
 * reads it, and two tensors whose lives overlap never share bytes (largest first, each at the
 * lowest offset free for its whole life). The arena goes to L2 while it fits beside the code, the
 * tables and the network's input; while it does not, its largest tensor moves to the L3 arena. The
 * constants (weights, quantization) fill what L2 has left, in the order the network reads them, and
 * the rest goes to L3. A network that needs L3 without one is an error naming the shortfall.
 */
import type { ConstantBlob } from './constants.js';
import { align4 } from './tile.js';

export type Level = 'l2' | 'l3';

export interface Placement {
  readonly level: Level;
  /** Bytes from the start of that level's arena (tensors) or constant area (constants). */
  readonly offset: number;
}

/** A tensor the arena holds: its size and the steps it lives through (inclusive). */
export interface Lifetime {
  readonly tensor: string;
  readonly bytes: number;
  readonly first: number;
  readonly last: number;
}

export interface MemoryPlan {
  readonly tensors: ReadonlyMap<string, Placement>;
  readonly constants: readonly Placement[];
  /** Bytes of each arena and constant area. */
  readonly arena: Readonly<Record<Level, number>>;
  readonly constantBytes: Readonly<Record<Level, number>>;
}

export class MemoryPlanError extends Error {
  override name = 'MemoryPlanError';
}

/** Offsets for tensors sharing one arena by lifetime; the arena's size. */
export function packLifetimes(lives: readonly Lifetime[]): { offsets: Map<string, number>; size: number } {
  const placed: { life: Lifetime; offset: number }[] = [];
  const offsets = new Map<string, number>();
  const bySize = [...lives].sort((a, b) => b.bytes - a.bytes || a.first - b.first || (a.tensor < b.tensor ? -1 : 1));
  for (const life of bySize) {
    const busy = placed.filter((p) => p.life.first <= life.last && life.first <= p.life.last).sort((a, b) => a.offset - b.offset);
    let offset = 0;
    for (const p of busy) {
      if (offset + life.bytes <= p.offset) break;
      offset = Math.max(offset, p.offset + align4(p.life.bytes));
    }
    placed.push({ life, offset });
    offsets.set(life.tensor, offset);
  }
  const size = Math.max(0, ...placed.map((p) => p.offset + align4(p.life.bytes)));
  return { offsets, size };
}

/**
 * Places the activations (`lives`) and the constants given `l2Free` bytes of L2 for data and
 * `l3Size` bytes of L3 (0: there is none).
 */
export function planMemory(lives: readonly Lifetime[], constants: readonly ConstantBlob[], l2Free: number, l3Size: number): MemoryPlan {
  const inL3 = new Set<string>();
  const pack = (level: Level) => packLifetimes(lives.filter((l) => inL3.has(l.tensor) === (level === 'l3')));
  let l2 = pack('l2');
  while (l2.size > l2Free) {
    const largest = [...lives].filter((l) => !inL3.has(l.tensor)).sort((a, b) => b.bytes - a.bytes)[0];
    if (!largest) break;
    inL3.add(largest.tensor);
    l2 = pack('l2');
  }
  const l3 = pack('l3');
  const tensors = new Map<string, Placement>();
  for (const life of lives) {
    const level: Level = inL3.has(life.tensor) ? 'l3' : 'l2';
    tensors.set(life.tensor, { level, offset: (level === 'l3' ? l3 : l2).offsets.get(life.tensor)! });
  }
  const constantBytes = { l2: 0, l3: 0 };
  const l2Left = l2Free - l2.size;
  const placements = constants.map((blob): Placement => {
    const bytes = align4(blob.bytes.length);
    const level: Level = constantBytes.l3 === 0 && constantBytes.l2 + bytes <= l2Left ? 'l2' : 'l3';
    const placement = { level, offset: constantBytes[level] };
    constantBytes[level] += bytes;
    return placement;
  });
  const l3Bytes = l3.size + constantBytes.l3;
  if (l3Bytes > l3Size) {
    const what = `${l2.size + l3.size} bytes of activations (peak) and ${constantBytes.l2 + constantBytes.l3} bytes of weights`;
    throw new MemoryPlanError(
      l3Size === 0
        ? `the network's ${what} do not fit the ${l2Free} bytes L2 has left beside the code and tables, and the cluster has no L3: give it more L2 (--l2) or an L3 (--l3)`
        : `the network's ${what} need ${l3Bytes} bytes of L3 beyond L2, more than its ${l3Size}: give it more L3 (--l3) or L2 (--l2)`,
    );
  }
  return { tensors, constants: placements, arena: { l2: l2.size, l3: l3.size }, constantBytes };
}
