// `nmsparse bench kernels` and `bench merge` as a user runs them: refusals that name the option or
// the case, the Slurm script, and merging slices of rows (made by the sweep's stand-in worker).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchLayer, benchCases } from '../../sw/kernels/bench/cases.js';
import { type BenchRow, summarize } from '../../sw/kernels/bench/measure.js';
import { shardCases } from '../../sw/kernels/bench/shard.js';
import { runSweep } from '../../sw/kernels/bench/sweep.js';
import { ExitCode } from '../../util/exit-codes.js';
import { nmsparse } from './run-nmsparse.js';

const worker = new URL('../kernels/bench/fixtures/fake-worker.mjs', import.meta.url);
const LAYER = 'conv3x3-256-4x4';
const SELECTION = ['--layers', LAYER, '--cores', '8'];
const cases = benchCases([benchLayer(LAYER)], [8]);

let dir: string;
let rows: BenchRow[];
let slices: string[];
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-bench-'));
  rows = await runSweep(cases, { jobs: 1, worker });
  slices = await Promise.all(
    [0, 1].map(async (index) => {
      const file = path.join(dir, `slice-${index}.json`);
      writeFileSync(file, JSON.stringify(await runSweep(shardCases(cases, { index, count: 2 }), { jobs: 1, worker })));
      return file;
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const refused = async (args: string[], ...names: string[]): Promise<void> => {
  const result = await nmsparse(args, { cwd: dir });
  expect(result.code, result.stderr).toBe(ExitCode.userError);
  expect(result.stderr).toMatch(/^nmsparse: [^\n]*\n$/);
  for (const name of names) expect(result.stderr).toContain(name);
  expect(result.stdout).toBe('');
};

describe('nmsparse bench', () => {
  it('refuses bad selections, slices and job counts, naming the option', async () => {
    await refused(['bench', 'kernels', '--shard', '2/2'], '--shard 2/2', 'below 2');
    await refused(['bench', 'kernels', '--shard', '1'], '--shard takes i/n', "'1'");
    await refused(['bench', 'kernels', '--shard', '0/0'], '--shard count');
    await refused(['bench', 'kernels', '--layers', 'conv,nope'], "--layers: no bench layer 'conv'");
    await refused(['bench', 'kernels', '--layers', `${LAYER},${LAYER}`], `--layers names '${LAYER}' twice`);
    await refused(['bench', 'kernels', '--nm', 'dense,3:8'], "--nm: the bench has no sparsity '3:8'");
    await refused(['bench', 'kernels', '--cores', '0'], '--cores must be an integer from 1 to 16');
    await refused(['bench', 'kernels', '--jobs', '0'], '--jobs');
    await refused(['bench', 'kernels', '--slurm', '0'], '--slurm');
    await refused(['bench', 'kernels', '--slurm', '2', '--shard', '0/2'], "'--slurm <tasks>' cannot be used with option '--shard <i/n>'");
    await refused(['bench', 'kernels', '--json', '--markdown'], '--json', '--markdown');
  });

  it('runs the kernels: the report alone on stdout or in --out, progress on stderr', async () => {
    const args = ['bench', 'kernels', '--layers', 'fc-512-64', '--cores', '1,8', '--nm', 'dense', '--jobs', '2'];
    const json = await nmsparse([...args, '--json']);
    expect(json.code, json.stderr).toBe(0);
    const rows = JSON.parse(json.stdout) as BenchRow[];
    expect(rows.map((r) => [r.layer, r.variant, r.cores, r.speedupVsDense])).toEqual([
      ['fc-512-64', 'dense', 1, 1],
      ['fc-512-64', 'dense', 8, 1],
    ]);
    expect(rows[1]!.cycles).toBeLessThan(rows[0]!.cycles);
    expect(json.stderr.split('\n').filter(Boolean).sort()).toEqual([
      expect.stringMatching(/^\[1\/2\] fc-512-64 dense on (1 core|8 cores) \(\d+\.\d s\)$/),
      expect.stringMatching(/^\[2\/2\] fc-512-64 dense on (1 core|8 cores) \(\d+\.\d s\)$/),
    ]);
    const out = path.join(dir, 'report', 'fc.md');
    const markdown = await nmsparse([...args, '--markdown', '--out', out]);
    expect(markdown.stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^### fc-512-64 \(fc: 1x1x512 -> 64, 1x1\)\n\n\| variant \| N:M \|/);
  });

  it('prints a Slurm script: an array of slices and a merge after all of them', async () => {
    const { code, stdout } = await nmsparse(['bench', 'kernels', '--slurm', '3', '--jobs', '2', ...SELECTION]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^#!\/usr\/bin\/env bash\n/);
    expect(stdout).toContain('--array=0-2 --cpus-per-task=2');
    expect(stdout).toContain(`bench kernels --layers ${LAYER} --cores 8 --jobs 2 --json --shard \\$SLURM_ARRAY_TASK_ID/\\$SLURM_ARRAY_TASK_COUNT`);
    expect(stdout).toContain('--dependency=afterok:$array');
    expect(stdout).toContain(`bench merge --layers ${LAYER} --cores 8 --json --out '$out'/report.json '$out'/slice-*.json`);
  });

  it('merges slices into the whole report, as JSON and as a table', async () => {
    const json = await nmsparse(['bench', 'merge', '--json', ...SELECTION, ...[...slices].reverse()]);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(JSON.stringify(summarize(rows))));
    const text = await nmsparse(['bench', 'merge', ...SELECTION, ...slices]);
    const lines = text.stdout.split('\n');
    expect(lines[0]).toBe(`${LAYER} (conv: 4x4x256 -> 8, 3x3)`);
    expect(lines[1]).toMatch(/^variant\s+N:M\s+cores\s+cycles\s+MAC\/cycle\s+vs dense\s+vs sparse\s+weight B\s+dense B\s+L1 B\s+% bound\s+TCDM %\s+load-use %\s+br\+jump %\s+barrier %$/);
    expect(lines.filter((l) => /^(dense|sparse|xnmsparse|xnmsparse-v1) /.test(l))).toHaveLength(cases.length);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(160);
  });

  it('refuses a merge with a case missing or twice, or a file that is not rows', async () => {
    await refused(['bench', 'merge', ...SELECTION, slices[0]!], `cases missing: ${LAYER}`);
    await refused(['bench', 'merge', ...SELECTION, slices[0]!, slices[0]!, slices[1]!], 'appears twice');
    await refused(['bench', 'merge', '--cores', '1', slices[0]!], 'is not one of the sweep');
    writeFileSync(path.join(dir, 'broken.json'), '[{');
    await refused(['bench', 'merge', ...SELECTION, path.join(dir, 'broken.json')], 'broken.json: not JSON');
    await refused(['bench', 'merge', ...SELECTION, path.join(dir, 'absent.json')], "cannot read slice '");
  });
});
