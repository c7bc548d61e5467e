// Every kernel of the registry, in every checked configuration, on one core and on the cluster:
// both engines give the golden model's outputs, in the same number of cycles.
import { describe, expect, it } from 'vitest';
import { PULP_CLUSTER } from '../../sim/cluster/config.js';
import { expectedOutputs, instantiate, type KernelTarget } from '../../sw/kernels/instance.js';
import { findKernel, kernels } from '../../sw/kernels/registry.js';
import { runKernel } from '../../sw/kernels/run.js';

const cases = kernels.flatMap((entry) => {
  const targets: KernelTarget[] = [{ kind: 'core' }, { kind: 'cluster', cores: Math.min(PULP_CLUSTER.cores, entry.maxCores) }];
  return entry.checked.flatMap((params) => targets.map((target) => [entry.name, JSON.stringify(params), target.kind === 'core' ? 'one core' : `${target.cores} cores`, { entry, params, target }] as const));
});

describe('kernels against their golden models', () => {
  it.each(cases)('%s %s on %s', (_, _params, _target, { entry, params, target }) => {
    const instance = instantiate(entry, { params, target, seed: 11 });
    const expected = expectedOutputs(instance);
    const compiled = runKernel(instance, 'compiled');
    const interpreted = runKernel(instance, 'interpreted');
    expect(compiled.outputs).toEqual(expected);
    expect(interpreted.outputs).toEqual(expected);
    expect({ cycles: compiled.cycles, instret: compiled.instret }).toEqual({ cycles: interpreted.cycles, instret: interpreted.instret });
  });
});

describe('the registry', () => {
  it('names every kernel once and finds it by name', () => {
    expect(new Set(kernels.map((k) => k.name)).size).toBe(kernels.length);
    for (const entry of kernels) expect(findKernel(entry.name)).toBe(entry);
    expect(findKernel('no-such-kernel')).toBeUndefined();
  });

  it('checks parameters and core counts', () => {
    const [entry] = kernels;
    expect(() => instantiate(entry!, { params: { nonsense: 1 } })).toThrow(/has no parameter 'nonsense'/);
    const [first] = entry!.params;
    expect(() => instantiate(entry!, { params: { [first!.name]: first!.max + 1 } })).toThrow(/must be between/);
    expect(() => instantiate(entry!, { target: { kind: 'cluster', cores: entry!.maxCores + 1 } })).toThrow(/cores/);
  });

  it('generates the same inputs from the same seed, other inputs from another', () => {
    for (const entry of kernels) {
      const inputs = (seed: number) => instantiate(entry, { seed }).inputs;
      expect(inputs(3)).toEqual(inputs(3));
      expect(inputs(3)).not.toEqual(inputs(4));
    }
  });
});
