// The sweep with the real kernels (the compiled worker in dist/, as the command runs it) on a small
// case set: the same rows on 1 and 2 jobs, and from two slices merged as from the whole.
import { describe, expect, it } from 'vitest';
import { benchCases, benchLayer } from '../../../sw/kernels/bench/cases.js';
import { runBenchCase } from '../../../sw/kernels/bench/measure.js';
import { mergeSlices } from '../../../sw/kernels/bench/merge.js';
import { shardCases } from '../../../sw/kernels/bench/shard.js';
import { runSweep } from '../../../sw/kernels/bench/sweep.js';

const cases = benchCases([benchLayer('fc-512-64')], [8]).filter((c) => c.nm === 'dense' || c.nm === '1:8');

describe('kernel-bench sweep of the real kernels', () => {
  it('gives the same rows on 1 and 2 jobs, whole or from merged slices, as running the cases here', async () => {
    expect(cases.map((c) => c.variant)).toEqual(['dense', 'sparse', 'xnmsparse', 'xnmsparse-v1']);
    const here = JSON.stringify(cases.map(runBenchCase));
    expect(JSON.stringify(await runSweep(cases, { jobs: 1 }))).toBe(here);
    expect(JSON.stringify(await runSweep(cases, { jobs: 2 }))).toBe(here);
    const slices = await Promise.all([1, 0].map(async (index) => ({ source: `slice ${index}`, rows: await runSweep(shardCases(cases, { index, count: 2 }), { jobs: 2 }) })));
    expect(JSON.stringify(mergeSlices(slices, cases))).toBe(here);
  });
});
