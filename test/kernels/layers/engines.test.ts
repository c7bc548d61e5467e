// The kernels' layers on the 8-core cluster: the compiled engine (blocks, run-ahead, lock-step group
// steps, hardware-loop regions) gives the interpreted reference's cycles, per-core counters and
// output, on the layers whose timing the bench and the network tables report.
import { describe, expect, it } from 'vitest';
import { benchCaseProgram } from '../../../sw/kernels/bench/measure.js';
import { layerElf, runLayerProgram } from '../../../sw/kernels/layers/run.js';
import { LoopRegion } from '../../../sim/core/loop-region.js';

/** Runs `simulate`, counting the calls of hardware-loop regions (LoopRegion.run). */
function countingRegions<T>(simulate: () => T): { value: T; regions: number } {
  const run = Object.getOwnPropertyDescriptor(LoopRegion.prototype, 'run')!;
  let regions = 0;
  Object.defineProperty(LoopRegion.prototype, 'run', {
    configurable: true,
    get(this: LoopRegion) {
      regions++;
      return run.get!.call(this);
    },
  });
  try {
    return { value: simulate(), regions };
  } finally {
    Object.defineProperty(LoopRegion.prototype, 'run', run);
  }
}

describe('layers on 8 cores: compiled engine against the interpreted reference', () => {
  it.each([
    ['conv3x3-256-4x4', 'dense'],
    ['conv3x3-256-4x4', 'sparse'],
    ['conv3x3-256-4x4', 'xnmsparse'],
    ['pw-128-64-8x8', 'dense'],
  ] as const)('%s, %s kernels', (layer, variant) => {
    const { program } = benchCaseProgram({ layer, nm: variant === 'dense' ? 'dense' : '1:16', variant, cores: 8 });
    const elf = layerElf(program);
    const { value: compiled, regions } = countingRegions(() => runLayerProgram(program, elf, 'compiled'));
    const interpreted = runLayerProgram(program, elf, 'interpreted');
    expect(regions, 'the cores took turns inside a hardware-loop body (LoopRegion)').toBeGreaterThan(0);
    expect({ cycles: compiled.cycles, perCore: compiled.perCore, stats: compiled.stats() }).toEqual({ cycles: interpreted.cycles, perCore: interpreted.perCore, stats: interpreted.stats() });
    expect(compiled.output).toEqual(interpreted.output);
  });
});
