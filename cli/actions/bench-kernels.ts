// `nmsparse bench kernels` and `nmsparse bench merge`: the layer kernels of the bench
// (sw/kernels/bench/cases.ts) simulated on a pool of worker threads, whole or one slice, and the
// slices joined again; or a Slurm script that does both on a cluster.
import path from 'node:path';
import { type BenchRow, summarize } from '../../sw/kernels/bench/measure.js';
import { mergeSlices } from '../../sw/kernels/bench/merge.js';
import { shardCases } from '../../sw/kernels/bench/shard.js';
import { runSweep } from '../../sw/kernels/bench/sweep.js';
import { checkOutputDirectory, writeFileAtomic } from '../../util/atomic-write.js';
import { type CaseOptions, parseJobs, parseShard, selectedCases } from '../bench/options.js';
import { progressLine } from '../bench/progress.js';
import { formatBenchReport, type ReportFormat } from '../bench/report.js';
import { slurmScript } from '../bench/slurm.js';
import { runCommand } from '../errors.js';
import { parseCount } from '../options.js';
import { readSliceFile } from '../bench/slice-file.js';

export interface ReportOptions extends CaseOptions {
  json?: boolean;
  markdown?: boolean;
  out?: string;
}

export interface BenchKernelsOptions extends ReportOptions {
  jobs?: string;
  shard?: string;
  slurm?: string;
}

const formatOf = (options: ReportOptions): ReportFormat => (options.json ? 'json' : options.markdown ? 'markdown' : 'text');

function emit(rows: readonly BenchRow[], options: ReportOptions): void {
  const report = formatBenchReport(rows, formatOf(options));
  if (options.out === undefined) process.stdout.write(report);
  else writeFileAtomic(options.out, report);
}

/** The options that select the cases, as given, for the commands of a Slurm script. */
const caseArguments = (options: CaseOptions): string[] => [
  ...(options.layers === undefined ? [] : ['--layers', options.layers]),
  ...(options.cores === undefined ? [] : ['--cores', options.cores]),
  ...(options.nm === undefined ? [] : ['--nm', options.nm]),
];

export function benchKernels(options: BenchKernelsOptions): Promise<void> {
  return runCommand(async () => {
    const cases = selectedCases(options);
    if (options.slurm !== undefined) {
      const tasks = parseCount(options.slurm, '--slurm', 1, cases.length);
      const jobs = options.jobs === undefined ? 1 : parseJobs(options.jobs);
      process.stdout.write(slurmScript({ tasks, jobs, caseArguments: caseArguments(options) }));
      return;
    }
    const shard = options.shard === undefined ? undefined : parseShard(options.shard);
    const jobs = parseJobs(options.jobs);
    if (options.out !== undefined) checkOutputDirectory(path.dirname(options.out));
    const rows = await runSweep(shard ? shardCases(cases, shard) : cases, { jobs, onProgress: progressLine });
    // A slice's speedups would compare with whichever rows it happens to hold: it reports its
    // rows as measured, and `bench merge` adds the speedups once all rows are together.
    emit(shard ? rows : summarize(rows), options);
  });
}


export function benchMerge(files: readonly string[], options: ReportOptions): Promise<void> {
  return runCommand(() => {
    const cases = selectedCases(options);
    if (options.out !== undefined) checkOutputDirectory(path.dirname(options.out));
    emit(summarize(mergeSlices(files.map((file) => readSliceFile(file, 'bench kernels --json --shard i/n')), cases)), options);
  });
}
