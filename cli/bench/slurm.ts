// `nmsparse bench kernels --slurm <tasks>` and `bench networks --slurm <tasks>`: a shell script that
// submits the sweep to Slurm as a job array, one slice (--shard) per task, and a merge job that runs
// once every task succeeded (afterok). The tasks and the merge get the same case selection, so the
// merge checks that the slices make up exactly the cases asked for.

export interface SlurmSettings {
  /** Array tasks, one slice each. */
  readonly tasks: number;
  /** Worker threads, and so CPUs, per task. */
  readonly jobs: number;
  /** The case selection as given, passed on to every nmsparse command of the script. */
  readonly caseArguments: readonly string[];
  /** Which bench (default: the kernels'). */
  readonly sweep?: 'kernels' | 'networks';
}

/** Each bench's commands, its name in the script, and the job and directory names. */
const SWEEPS = {
  kernels: { run: 'bench kernels', merge: 'bench merge', bench: 'kernel bench', job: 'nmsparse-bench' },
  networks: { run: 'bench networks', merge: 'bench networks-merge', bench: 'network bench', job: 'nmsparse-networks' },
} as const;

/** A word as one shell word (single-quoted unless it is plain). */
const shellWord = (word: string): string => (/^[A-Za-z0-9_./:,=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

export function slurmScript({ tasks, jobs, caseArguments, sweep = 'kernels' }: SlurmSettings): string {
  const { run, merge: mergeCommand, bench, job } = SWEEPS[sweep];
  const selection = caseArguments.map(shellWord).join(' ');
  const cases = selection === '' ? '' : ` ${selection}`;
  // Inside --wrap="...": $out and $nmsparse are filled in at submission, \$SLURM_* when the task runs;
  // '$out' stays one word on the compute node even with spaces in it.
  return `#!/usr/bin/env bash
# The nmsparse ${bench} on Slurm (docs/bench.md): ${tasks} array tasks each simulate one slice of
# the cases (${run} --shard i/n), then a job that starts once every task has succeeded merges
# the slices into one report (${mergeCommand}), which fails naming any case that is missing.
#
# Run it where sbatch works, from a directory the compute nodes share. Environment:
#   NMSPARSE  the command on the compute nodes (default: nmsparse; e.g. "node /path/to/bin/nmsparse.js")
#   OUT       the results directory (default: ${job}): slice-<i>.json, report.json, report.txt, logs
#   SBATCH    extra sbatch options for every job (partition, account, time limit)
set -euo pipefail
nmsparse=\${NMSPARSE:-nmsparse}
out=$(realpath -m "\${OUT:-${job}}")
mkdir -p "$out"
array=$(sbatch --parsable \${SBATCH:-} --job-name=${job} --array=0-${tasks - 1} --cpus-per-task=${jobs} --output="$out/slice-%a.log" \\
  --wrap="$nmsparse ${run}${cases} --jobs ${jobs} --json --shard \\$SLURM_ARRAY_TASK_ID/\\$SLURM_ARRAY_TASK_COUNT --out '$out'/slice-\\$SLURM_ARRAY_TASK_ID.json")
array=\${array%%;*} # --parsable prints "id;cluster" on a federation
merge=$(sbatch --parsable \${SBATCH:-} --job-name=${job}-merge --dependency=afterok:$array --output="$out/merge.log" \\
  --wrap="$nmsparse ${mergeCommand}${cases} --json --out '$out'/report.json '$out'/slice-*.json && $nmsparse ${mergeCommand}${cases} --out '$out'/report.txt '$out'/slice-*.json")
merge=\${merge%%;*}
echo "submitted the sweep as array job $array and the merge as job $merge; the report will be $out/report.json"
`;
}
