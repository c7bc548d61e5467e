// The memory plan's lifetime packing and the network bench's cases, speedups and merge, without
// simulating a network.
import { describe, expect, it } from 'vitest';
import { BenchMergeError } from '../../sw/kernels/bench/merge.js';
import { BENCH_NETWORKS, networkCaseName, networkCases } from '../../sw/net/bench/cases.js';
import { type NetworkRow, withSpeedups } from '../../sw/net/bench/measure.js';
import { mergeNetworkSlices } from '../../sw/net/bench/merge.js';
import { MemoryPlanError, packLifetimes, planMemory } from '../../sw/net/compile/memory-plan.js';
import { Random } from '../../util/random.js';

describe('the memory plan', () => {
  it('never gives two tensors that live at once the same bytes, and reuses the bytes of dead ones', () => {
    const random = new Random(11);
    for (let trial = 0; trial < 50; trial++) {
      const lives = Array.from({ length: 12 }, (_, i) => {
        const first = (random.uint32() % 20) - 1;
        return { tensor: `t${i}`, bytes: 1 + (random.uint32() % 5000), first, last: first + (random.uint32() % 6) };
      });
      const { offsets, size } = packLifetimes(lives);
      for (const a of lives) {
        expect(offsets.get(a.tensor)! + a.bytes).toBeLessThanOrEqual(size);
        for (const b of lives) {
          if (a === b || a.last < b.first || b.last < a.first) continue;
          const [oa, ob] = [offsets.get(a.tensor)!, offsets.get(b.tensor)!];
          expect(oa + a.bytes <= ob || ob + b.bytes <= oa, `${a.tensor} and ${b.tensor}`).toBe(true);
        }
      }
      expect(size).toBeLessThanOrEqual(lives.reduce((s, l) => s + Math.ceil(l.bytes / 4) * 4, 0));
    }
    const chain = packLifetimes([{ tensor: 'a', bytes: 100, first: 0, last: 1 }, { tensor: 'b', bytes: 100, first: 1, last: 2 }, { tensor: 'c', bytes: 100, first: 2, last: 3 }]);
    expect(chain.size).toBe(200);
  });

  it('moves the largest tensors to L3 when L2 is short, and says what does not fit', () => {
    const lives = [{ tensor: 'big', bytes: 1000, first: 0, last: 2 }, { tensor: 'small', bytes: 100, first: 0, last: 2 }];
    const plan = planMemory(lives, [{ name: 'w', node: 'n', bytes: new Uint8Array(50) }], 400, 10_000);
    expect(plan.tensors.get('big')!.level).toBe('l3');
    expect(plan.tensors.get('small')!.level).toBe('l2');
    expect(plan.constants[0]!.level).toBe('l2');
    expect(() => planMemory(lives, [], 400, 0)).toThrow(MemoryPlanError);
    expect(() => planMemory(lives, [], 400, 0)).toThrow(/has no L3/);
  });
});

describe('the network bench', () => {
  const cases = networkCases(BENCH_NETWORKS.slice(0, 1), [8]);
  const row = (c: (typeof cases)[number], cycles: number): NetworkRow => ({
    ...c, cycles, weightBytes: 1, peakActivationBytes: 1, dmaWaitPercent: 0, dmaContentionPercent: 0, layers: 1, tiles: 1, cyclesByKind: { conv: cycles }, simulationSeconds: 1,
  });

  it('has each network dense and at 1:8 and 1:16 with both kernels', () => {
    expect(cases.map(networkCaseName)).toEqual([
      'resnet18-cifar dense 8c', 'resnet18-cifar sparse 1:8 8c', 'resnet18-cifar xnmsparse 1:8 8c', 'resnet18-cifar sparse 1:16 8c', 'resnet18-cifar xnmsparse 1:16 8c',
    ]);
  });

  it('joins slices into the whole sweep with speedups over dense, and refuses a missing or repeated case', () => {
    const rows = cases.map((c, i) => row(c, 1000 / (i + 1)));
    const merged = mergeNetworkSlices([{ source: 'b.json', rows: rows.slice(2) }, { source: 'a.json', rows: rows.slice(0, 2) }], cases);
    expect(merged.map((r) => r.speedupVsDense)).toEqual(withSpeedups(rows).map((r) => r.speedupVsDense));
    expect(merged[3]!.speedupVsDense).toBeCloseTo(4);
    expect(() => mergeNetworkSlices([{ source: 'a.json', rows: rows.slice(1) }], cases)).toThrow(/missing case resnet18-cifar dense 8c/);
    expect(() => mergeNetworkSlices([{ source: 'a.json', rows }, { source: 'b.json', rows: rows.slice(0, 1) }], cases)).toThrow(BenchMergeError);
    expect(() => mergeNetworkSlices([{ source: 'a.json', rows: [{ network: 'x' }] }], cases)).toThrow(/a\.json, row 0: not a network bench row/);
  });
});

describe('a run reports its progress', () => {
  it('calls onNode once per node, in order, as its last tile ends', async () => {
    const { compileModel, DEFAULT_MEMORY } = await import('../../sw/net/pipeline.js');
    const { runNetwork } = await import('../../sw/net/run.js');
    const { ZOO } = await import('../../sw/onnx/zoo/index.js');
    const model = compileModel(ZOO.find((m) => m.name === 'small-resnet')!.onnx(1), 'small.onnx', { calibration: { random: 1, seed: 1 }, cores: 8, memory: DEFAULT_MEMORY });
    const seen: string[] = [];
    runNetwork(model.compiled, { onNode: (index, total) => seen.push(`${index}/${total}`) });
    const total = model.compiled.nodes.length;
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => `${i}/${total}`));
  });
});
