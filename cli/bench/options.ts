// The options the kernel-bench commands share: which cases (--layers, --cores), which slice of
// them (--shard) and how many at once (--jobs). Every refusal names the option.
import { availableParallelism } from 'node:os';
import { patternName } from '../../isa/xnmsparse/gather.js';
import { BENCH_CORES, BENCH_LAYERS, BENCH_PATTERNS, type BenchCase, benchCases } from '../../sw/kernels/bench/cases.js';
import type { Shard } from '../../sw/kernels/bench/shard.js';
import { UsageError } from '../errors.js';
import { list, parseCount } from '../options.js';
import { MAX_CLUSTER_CORES } from '../../sim/cluster/config.js';

export interface CaseOptions {
  layers?: string;
  cores?: string;
  nm?: string;
}

/** "dense" and the bench's sparsities, as --nm names them. */
const SPARSITIES = ['dense', ...BENCH_PATTERNS.map(patternName)];

/** The cases --layers, --cores and --nm select (all of the bench's by default), in report order. */
export function selectedCases(options: CaseOptions): BenchCase[] {
  const layers = options.layers === undefined ? BENCH_LAYERS : list(options.layers, '--layers').map((name) => {
    const spec = BENCH_LAYERS.find((l) => l.name === name);
    if (!spec) throw new UsageError(`--layers: no bench layer '${name}' (layers: ${BENCH_LAYERS.map((l) => l.name).join(', ')})`);
    return spec;
  });
  const cores = options.cores === undefined ? BENCH_CORES : list(options.cores, '--cores').map((n) => parseCount(n, '--cores', 1, MAX_CLUSTER_CORES));
  const cases = benchCases(layers, cores);
  if (options.nm === undefined) return cases;
  const sparsities = list(options.nm, '--nm').map((nm) => {
    if (!SPARSITIES.includes(nm)) throw new UsageError(`--nm: the bench has no sparsity '${nm}' (it has ${SPARSITIES.join(', ')})`);
    return nm;
  });
  return cases.filter((c) => sparsities.includes(c.nm));
}

/** `i/n`: slice i (0-based) of n. */
export function parseShard(text: string): Shard {
  const match = /^([0-9]+)\/([0-9]+)$/.exec(text);
  if (!match) throw new UsageError(`--shard takes i/n (slice i of n, counted from 0), got '${text}'`);
  const count = parseCount(match[2]!, '--shard count', 1);
  const index = parseCount(match[1]!, '--shard index', 0);
  if (index >= count) throw new UsageError(`--shard ${text}: the index counts from 0, so it must be below ${count}`);
  return { index, count };
}

/** --jobs, or one per core of this machine. */
export const parseJobs = (text: string | undefined): number => (text === undefined ? availableParallelism() : parseCount(text, '--jobs', 1, 1024));
