/**
 * Slicing the bench's case list for machines that each run a part (Slurm array tasks, CI matrix
 * jobs): slice i of n takes every n-th case from case i. Interleaving rather than cutting the list
 * into blocks gives every slice a share of the big layers and of the small ones, so the slices
 * take about as long as each other; merge.ts puts the rows back in case order.
 */

/** Slice `index` (0-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export function shardCases<T>(cases: readonly T[], shard: Shard): T[] {
  if (!Number.isInteger(shard.count) || shard.count < 1 || !Number.isInteger(shard.index) || shard.index < 0 || shard.index >= shard.count) {
    throw new RangeError(`shard ${shard.index}/${shard.count}: the index must be from 0 to count - 1`);
  }
  return cases.filter((_, i) => i % shard.count === shard.index);
}
