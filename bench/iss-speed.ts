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
import { benchLayer } from '../sw/kernels/bench/cases.js';
import { BENCH_SEED } from '../sw/kernels/bench/measure.js';
import { layerProgram } from '../sw/kernels/layers/program.js';
import { checkLayerOutput, layerElf, runLayerProgram } from '../sw/kernels/layers/run.js';
import { randomLayerData } from '../sw/layers/data.js';
import type { Variant } from '../sw/layers/spec.js';
import { parsePattern } from '../sw/sparse/pattern.js';

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

/** A layer of the kernel bench on the 8-core cluster: what a network's simulation spends its time on. */
export interface LayerCase {
  readonly layer: string;
  readonly nm: string;
  readonly variant: Variant;
}

/**
 * Best of `repeats` runs of each layer case on the full cluster, its output checked against the
 * golden model once: aggregate MIPS (instructions of all cores per host second) and cluster cycles
 * per second. Each run builds a new cluster, so the figure includes compiling the kernel's hot code.
 */
export function measureLayerSpeed(cases: readonly LayerCase[], repeats = 3): SpeedFigure[] {
  return cases.map(({ layer, nm, variant }) => {
    const spec = benchLayer(layer);
    const pattern = nm === 'dense' ? undefined : parsePattern(nm);
    const data = randomLayerData(spec, BENCH_SEED, pattern);
    const program = layerProgram(data, variant, pattern, PULP_CLUSTER.cores);
    const elf = layerElf(program);
    let best: SpeedFigure | undefined;
    for (let i = 0; i < repeats; i++) {
      const start = performance.now();
      const run = runLayerProgram(program, elf);
      const seconds = (performance.now() - start) / 1000;
      if (i === 0) checkLayerOutput(program, data, run.output);
      const instructions = run.perCore.reduce((sum, core) => sum + core.instructions, 0);
      const figure = { label: `${layer} ${nm} ${variant}`, instructions, cycles: run.cycles, seconds, mips: instructions / seconds / 1e6 };
      if (best === undefined || figure.mips > best.mips) best = figure;
    }
    return best!;
  });
}
