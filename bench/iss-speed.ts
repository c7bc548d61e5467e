/**
 * Simulation speed on a compute-bound kernel (dot-int8 from the kernel registry: two
 * post-increment loads and a cv.sdotsp.b in a hardware loop), for one core and for the cluster.
 * `npm run bench` reports these figures against the ISS's targets: at least 50 MIPS on one core,
 * and the cluster at most 3x slower per simulated instruction.
 */
import { PULP_CLUSTER } from '../sim/cluster/config.js';
import { dotInt8 } from '../sw/kernels/dot-int8.js';
import { instantiate, type KernelTarget } from '../sw/kernels/instance.js';
import { runKernel } from '../sw/kernels/run.js';
import type { BenchCase } from '../sw/kernels/bench/cases.js';
import { benchCaseProgram } from '../sw/kernels/bench/measure.js';
import { checkLayerOutput, layerElf, runLayerProgram } from '../sw/kernels/layers/run.js';
import { fastest } from './machine.js';

export interface SpeedFigure {
  readonly label: string;
  readonly instructions: number;
  readonly cycles: number;
  readonly seconds: number;
  /** Millions of simulated instructions per host second. */
  readonly mips: number;
}

/** Load and run `passes` passes of dot-int8 on `target`, timed (the assembly is done before). */
function timed(label: string, target: KernelTarget, passes: number): () => SpeedFigure {
  const instance = instantiate(dotInt8, { params: { passes }, target });
  return () => {
    const start = performance.now();
    const { instret, cycles } = runKernel(instance);
    const seconds = (performance.now() - start) / 1000;
    return { label, instructions: instret, cycles, seconds, mips: instret / seconds / 1e6 };
  };
}

/**
 * Best of `repeats` runs of each configuration: one core, then the cluster with all its cores. The
 * runs alternate between the two, so that a slow spell of a shared machine hits both, and the
 * first ones also warm up the JIT (a block is compiled to JavaScript after a few visits and
 * optimized by V8 after many more).
 */
export function measureSpeed(passes = 60_000, repeats = 5): [single: SpeedFigure, cluster: SpeedFigure] {
  const runs = [
    timed('1 core', { kind: 'core' }, passes),
    timed(`cluster, ${PULP_CLUSTER.cores} cores`, { kind: 'cluster', cores: PULP_CLUSTER.cores }, passes),
  ] as const;
  const best = runs.map((run) => run());
  for (let i = 1; i < repeats; i++) {
    runs.forEach((run, r) => {
      const figure = run();
      if (figure.mips > best[r]!.mips) best[r] = figure;
    });
  }
  return [best[0]!, best[1]!];
}

/**
 * Each case of the kernel bench on the full cluster, the best of `repeats` runs, its output checked
 * against the golden model once: aggregate MIPS (instructions of all cores per host second) and
 * cluster cycles per second. Each run builds a new cluster, so the figure includes compiling the
 * kernel's hot code.
 */
export function measureLayerSpeed(cases: readonly Omit<BenchCase, 'cores'>[], repeats = 3): SpeedFigure[] {
  return cases.map((benchCase) => {
    const { data, program } = benchCaseProgram({ ...benchCase, cores: PULP_CLUSTER.cores });
    const elf = layerElf(program);
    checkLayerOutput(program, data, runLayerProgram(program, elf).output);
    return fastest(repeats, () => {
      const start = performance.now();
      const run = runLayerProgram(program, elf);
      const seconds = (performance.now() - start) / 1000;
      const instructions = run.perCore.reduce((sum, core) => sum + core.instructions, 0);
      return { label: `${benchCase.layer} ${benchCase.nm} ${benchCase.variant}`, instructions, cycles: run.cycles, seconds, mips: instructions / seconds / 1e6 };
    });
  });
}
