// `nmsparse bench networks` and `nmsparse bench networks-merge`: whole networks compiled and run on
// the cluster for every kernel variant, on the kernel bench's pool of worker threads, whole or one
// slice, and the slices joined again.
import path from 'node:path';
import { shardCases } from '../../sw/kernels/bench/shard.js';
import { runPool } from '../../sw/kernels/bench/sweep.js';
import type { SliceRows } from '../../sw/kernels/bench/merge.js';
import { BENCH_NETWORKS, type NetworkCase, networkCaseName, networkCases } from '../../sw/net/bench/cases.js';
import { type NetworkRow, withSpeedups } from '../../sw/net/bench/measure.js';
import { mergeNetworkSlices } from '../../sw/net/bench/merge.js';
import { NETWORK_WORKER } from '../../sw/net/bench/worker.js';
import { checkOutputDirectory, writeFileAtomic } from '../../util/atomic-write.js';
import { MAX_CLUSTER_CORES } from '../../sim/cluster/config.js';
import { parseJobs, parseShard } from '../bench/options.js';
import { list } from '../options.js';
import { progressLine } from '../bench/progress.js';
import { slurmScript } from '../bench/slurm.js';
import { formatNetworkReport } from '../bench/network-report.js';
import type { ReportFormat } from '../bench/report.js';
import { runCommand, UsageError } from '../errors.js';
import { parseCount } from '../options.js';
import { readSliceFile } from '../bench/slice-file.js';

export interface NetworkReportOptions {
  networks?: string;
  cores?: string;
  nm?: string;
  json?: boolean;
  markdown?: boolean;
  out?: string;
}

export interface BenchNetworksOptions extends NetworkReportOptions {
  jobs?: string;
  shard?: string;
  slurm?: string;
}

/** The cases --networks, --cores and --nm select (by default every network, dense and every pattern, on 8 cores). */
export function selectedNetworkCases(options: NetworkReportOptions): NetworkCase[] {
  const networks = options.networks === undefined ? BENCH_NETWORKS : list(options.networks, '--networks').map((name) => {
    const network = BENCH_NETWORKS.find((n) => n.name === name);
    if (!network) throw new UsageError(`--networks: no bench network '${name}' (networks: ${BENCH_NETWORKS.map((n) => n.name).join(', ')})`);
    return network;
  });
  const cores = options.cores === undefined ? [8] : list(options.cores, '--cores').map((n) => parseCount(n, '--cores', 1, MAX_CLUSTER_CORES));
  const cases = networkCases(networks, cores);
  if (options.nm === undefined) return cases;
  const wanted = list(options.nm, '--nm');
  const known = [...new Set(cases.map((c) => c.nm))];
  const unknown = wanted.find((nm) => !known.includes(nm));
  if (unknown !== undefined) throw new UsageError(`--nm: the network bench has no sparsity '${unknown}' (it has ${known.join(', ')})`);
  return cases.filter((c) => wanted.includes(c.nm));
}

const formatOf = (options: NetworkReportOptions): ReportFormat => (options.json ? 'json' : options.markdown ? 'markdown' : 'text');

function emit(rows: readonly NetworkRow[], options: NetworkReportOptions): void {
  const report = formatNetworkReport(rows, formatOf(options));
  if (options.out === undefined) process.stdout.write(report);
  else writeFileAtomic(options.out, report);
}

/** Every selected case's row, in case order, on `jobs` worker threads. */
export function runNetworkSweep(cases: readonly NetworkCase[], jobs: number): Promise<NetworkRow[]> {
  return runPool<NetworkCase, NetworkRow>(cases, { jobs, worker: NETWORK_WORKER, name: networkCaseName, onProgress: progressLine });
}

export function benchNetworks(options: BenchNetworksOptions): Promise<void> {
  return runCommand(async () => {
    const cases = selectedNetworkCases(options);
    if (options.slurm !== undefined) {
      const tasks = parseCount(options.slurm, '--slurm', 1, cases.length);
      const caseArguments = (['networks', 'cores', 'nm'] as const).flatMap((o) => (options[o] === undefined ? [] : [`--${o}`, options[o]!]));
      process.stdout.write(slurmScript({ tasks, jobs: options.jobs === undefined ? 1 : parseJobs(options.jobs), caseArguments, sweep: 'networks' }));
      return;
    }
    const shard = options.shard === undefined ? undefined : parseShard(options.shard);
    if (options.out !== undefined) checkOutputDirectory(path.dirname(options.out));
    const rows = await runNetworkSweep(shard ? shardCases(cases, shard) : cases, parseJobs(options.jobs));
    // A slice reports its rows as measured; networks-merge adds the speedups once all are together.
    emit(shard ? rows : withSpeedups(rows), options);
  });
}

export function benchNetworksMerge(files: readonly string[], options: NetworkReportOptions): Promise<void> {
  return runCommand(() => {
    const slices: SliceRows[] = files.map((file) => readSliceFile(file, 'bench networks --json --shard i/n'));
    emit(mergeNetworkSlices(slices, selectedNetworkCases(options)), options);
  });
}
