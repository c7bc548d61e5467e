// The kernels' layers on the 8-core cluster: the compiled engine (blocks, run-ahead, lock-step group
// steps, hardware-loop regions and batches) gives the interpreted reference's cycles, per-core counters and
// output, on the layers whose timing the bench and the network tables report.
import { describe, expect, it } from 'vitest';
import { benchCaseProgram } from '../../../sw/kernels/bench/measure.js';
import { layerElf, runLayerProgram } from '../../../sw/kernels/layers/run.js';
import { LoopRegion } from '../../../sim/core/loop-region.js';
import { LoopBatchRun } from '../../../sim/core/loop-batch-run.js';

/** Runs `simulate`, counting the calls of hardware-loop regions (LoopRegion.run) and batches (LoopBatchRun.run). */
function countingLoopEngines<T>(simulate: () => T): { value: T; regions: number; batches: number } {
  const regionRun = Object.getOwnPropertyDescriptor(LoopRegion.prototype, 'run')!;
  const batchRun = LoopBatchRun.prototype.run;
  const counts = { regions: 0, batches: 0 };
  Object.defineProperty(LoopRegion.prototype, 'run', {
    configurable: true,
    get(this: LoopRegion) {
      counts.regions++;
      return regionRun.get!.call(this);
    },
  });
  LoopBatchRun.prototype.run = function (this: LoopBatchRun, ...args: Parameters<LoopBatchRun['run']>) {
    counts.batches++;
    return batchRun.apply(this, args);
  };
  try {
    return { value: simulate(), ...counts };
  } finally {
    Object.defineProperty(LoopRegion.prototype, 'run', regionRun);
    LoopBatchRun.prototype.run = batchRun;
  }
}

describe('layers on 8 cores: compiled engine against the interpreted reference', () => {
  // The cores must meet in a hot loop body for the comparison to cover the loop engines: these
  // layers' bodies of loads, stores and local instructions (the inner loops of the dense and
  // software sparse kernels, the sparse kernels' buffer fill) run as batches.
  it.each([
    ['conv3x3-256-4x4', 'dense', 'batches'],
    ['conv3x3-256-4x4', 'sparse', 'batches'],
    ['conv3x3-256-4x4', 'xnmsparse', 'batches'],
    ['pw-128-64-8x8', 'dense', 'batches'],
  ] as const)('%s, %s kernels', (layer, variant, engine) => {
    const { program } = benchCaseProgram({ layer, nm: variant === 'dense' ? 'dense' : '1:16', variant, cores: 8 });
    const elf = layerElf(program);
    const { value: compiled, ...use } = countingLoopEngines(() => runLayerProgram(program, elf, 'compiled'));
    const interpreted = runLayerProgram(program, elf, 'interpreted');
    expect(use[engine], `the cores ran the inner loop through ${engine}`).toBeGreaterThan(0);
    expect({ cycles: compiled.cycles, perCore: compiled.perCore, stats: compiled.stats() }).toEqual({ cycles: interpreted.cycles, perCore: interpreted.perCore, stats: interpreted.stats() });
    expect(compiled.output).toEqual(interpreted.output);
  });
});
