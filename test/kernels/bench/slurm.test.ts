// The kernel bench on a real (one-node) Slurm cluster: the script of `bench kernels --slurm`
// submits a two-task array of a small case set and the dependent merge; the merged report must
// equal the one a local run prints. Outside CI a machine without slurm-wlm and munge skips it;
// under CI=true it fails (.ci/run installs them).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { skipUnlessTools } from '../../support/tools.js';
import { nmsparse } from '../../cli/run-nmsparse.js';
import { SLURM_ENV, SLURM_TOOLS, type SlurmCluster, startSlurmCluster } from './support/slurm-cluster.js';

const skip = skipUnlessTools(SLURM_TOOLS, SLURM_ENV);
const test = skip ? it.skip : it;
const bin = path.resolve(__dirname, '../../../bin/nmsparse.js');
/** One small layer on 8 cores, dense and one sparsity: 3 cases, so the two tasks get 2 and 1. */
const CASES = ['--layers', 'fc-512-64', '--cores', '8', '--nm', 'dense,1:8'];

let cluster: SlurmCluster | undefined;
beforeAll(async () => {
  if (!skip) cluster = await startSlurmCluster();
}, 60_000);
afterAll(async () => cluster?.stop());

function merged(jobLine: string, dir: string): boolean {
  const job = /merge as job (\d+)/.exec(jobLine)?.[1];
  if (!job) throw new Error(`no merge job in the script's output: ${jobLine}`);
  const queue = execFileSync('squeue', ['-h', '-j', job, '-o', '%T %r'], { env: cluster!.env, encoding: 'utf8' }).trim();
  if (/DependencyNeverSatisfied/.test(queue)) {
    const logs = readdirSync(dir).filter((f) => f.endsWith('.log')).map((f) => `--- ${f}\n${readFileSync(path.join(dir, f), 'utf8')}`);
    throw new Error(`an array task failed, so the merge never runs:\n${logs.join('\n')}`);
  }
  return queue === '' && existsSync(path.join(dir, 'report.json'));
}

test(`runs the bench as a Slurm job array and merges it like a local run${skip ? ` [skipped: ${skip}]` : ''}`, async () => {
  const { env, dir } = cluster!;
  const script = await nmsparse(['bench', 'kernels', '--slurm', '2', ...CASES]);
  expect(script.stderr).toBe('');
  writeFileSync(path.join(dir, 'bench.sh'), script.stdout);
  const out = path.join(dir, 'bench');
  const submitted = execFileSync('bash', [path.join(dir, 'bench.sh')], { cwd: dir, env: { ...env, OUT: out, NMSPARSE: `${process.execPath} ${bin}` }, encoding: 'utf8' });
  const deadline = Date.now() + 45_000;
  while (!merged(submitted, out)) {
    if (Date.now() > deadline) throw new Error(`the merge did not finish within 45 s\n${cluster!.logs()}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  expect(readdirSync(out).filter((f) => /^slice-\d\.json$/.test(f)).sort()).toEqual(['slice-0.json', 'slice-1.json']);
  const local = await nmsparse(['bench', 'kernels', '--json', '--jobs', '1', ...CASES]);
  expect(local.code).toBe(0);
  expect(JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'))).toEqual(JSON.parse(local.stdout));
  expect(readFileSync(path.join(out, 'report.txt'), 'utf8')).toContain('fc-512-64 (fc');
}, 60_000);
