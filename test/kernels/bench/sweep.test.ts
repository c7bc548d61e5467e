// The sweep machinery on a stand-in worker (fixtures/fake-worker.mjs): rows in case order whatever
// the job count, slices that merge back into the whole, and the merge's refusals.
import { describe, expect, it } from 'vitest';
import { BENCH_LAYERS, benchCases } from '../../../sw/kernels/bench/cases.js';
import type { BenchRow } from '../../../sw/kernels/bench/measure.js';
import { BenchMergeError, mergeSlices } from '../../../sw/kernels/bench/merge.js';
import { shardCases } from '../../../sw/kernels/bench/shard.js';
import { runSweep, type SweepProgress } from '../../../sw/kernels/bench/sweep.js';

const worker = new URL('./fixtures/fake-worker.mjs', import.meta.url);
const cases = benchCases(BENCH_LAYERS.slice(0, 3), [1, 8]);

describe('kernel-bench sweep', () => {
  it('gives the same rows, in case order, on 1 and on 2 jobs', async () => {
    const progress: SweepProgress[] = [];
    const one = await runSweep(cases, { jobs: 1, worker });
    const two = await runSweep(cases, { jobs: 2, worker, onProgress: (p) => progress.push(p) });
    expect(one.map((r) => `${r.layer} ${r.variant} ${r.nm} ${r.cores}`)).toEqual(cases.map((c) => `${c.layer} ${c.variant} ${c.nm} ${c.cores}`));
    expect(JSON.stringify(two)).toBe(JSON.stringify(one));
    expect(progress.map((p) => p.done)).toEqual(cases.map((_, i) => i + 1));
    expect(progress.every((p) => p.total === cases.length)).toBe(true);
  });

  it('merges slices, in any order, into the rows of the whole sweep', async () => {
    const whole = await runSweep(cases, { jobs: 1, worker });
    const slices = await Promise.all([0, 1, 2].map((index) => runSweep(shardCases(cases, { index, count: 3 }), { jobs: 1, worker })));
    expect(slices.map((s) => s.length).reduce((a, b) => a + b)).toBe(cases.length);
    const merged = mergeSlices([2, 0, 1].map((i) => ({ source: `slice-${i}.json`, rows: JSON.parse(JSON.stringify(slices[i])) as unknown })), cases);
    expect(JSON.stringify(merged)).toBe(JSON.stringify(whole));
  });

  it('slices interleave the cases, and refuses an index outside the count', () => {
    expect(shardCases([0, 1, 2, 3, 4], { index: 1, count: 2 })).toEqual([1, 3]);
    expect(shardCases([0, 1], { index: 2, count: 3 })).toEqual([]);
    expect(() => shardCases([0], { index: 2, count: 2 })).toThrow(/index must be from 0 to count - 1/);
  });

  it('names the case a worker failed on', async () => {
    const failing = [...cases.slice(0, 2), { layer: 'fails', variant: 'dense' as const, nm: 'dense', cores: 8 }];
    for (const jobs of [1, 2]) {
      await expect(runSweep(failing, { jobs, worker })).rejects.toThrow('bench case fails dense on 8 cores: output (y 0, x 0, channel 0) differs');
    }
  });

  it('refuses to merge slices with a case missing, twice, unexpected, or not a row', async () => {
    const rows: BenchRow[] = await runSweep(cases, { jobs: 1, worker });
    const merge = (...parts: unknown[]): BenchRow[] => mergeSlices(parts.map((p, i) => ({ source: `s${i}.json`, rows: p })), cases);
    const error = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(BenchMergeError);
        return (e as Error).message;
      }
      throw new Error('no error');
    };
    expect(error(() => merge(rows.slice(1)))).toBe(`1 of ${cases.length} cases missing: ${cases[0]!.layer} dense on 1 core`);
    expect(error(() => merge(rows, rows.slice(3, 4)))).toMatch(/^case .* on \d+ cores? appears twice: s0.json, row 4 and s1.json, row 1$/);
    expect(error(() => merge(rows, [{ ...rows[0]!, cores: 4 }]))).toMatch(/s1.json, row 1: case .* on 4 cores is not one of the sweep's/);
    expect(error(() => merge([{ ...rows[0]!, cycles: 'many' }]))).toBe('s0.json, row 1: not a bench row (missing or wrong: cycles)');
    expect(error(() => merge({ rows }))).toMatch(/^s0.json: not a list of bench rows/);
  });

  it('recomputes the speedups rather than keep a slice\'s', async () => {
    const rows = await runSweep(cases, { jobs: 1, worker });
    const merged = mergeSlices([{ source: 'all.json', rows: rows.map((r) => ({ ...r, speedupVsDense: 99 })) }], cases);
    expect(merged.some((r) => 'speedupVsDense' in r)).toBe(false);
  });
});
