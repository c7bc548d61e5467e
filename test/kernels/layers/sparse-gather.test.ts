// The software N:M-sparse kernel of fully connected layers (gathered activation bytes), bit-exact
// against the golden model for every pattern, on shapes that exercise the reduction padding
// (K not a multiple of the group span), one channel, fewer channels than cores, signed and
// unsigned inputs and outputs; its weight report, its bound and its speed on the bench's fc layer.
import { describe, expect, it } from 'vitest';
import { patternName, patterns } from '../../../isa/xnmsparse/gather.js';
import { BENCH_LAYERS } from '../../../sw/kernels/bench/cases.js';
import { layerProgram } from '../../../sw/kernels/layers/program.js';
import { generatorFor } from '../../../sw/kernels/layers/registry.js';
import { sparseGatherGenerator } from '../../../sw/kernels/layers/sparse-gather.js';
import { randomLayerData } from '../../../sw/layers/data.js';
import { type LayerSpec, NO_PADDING } from '../../../sw/layers/spec.js';
import { AMPLE_SCRATCH, expectBitExact, testLayer } from './support.js';


const fc = (name: string, inC: number, outC: number, signs: Pick<LayerSpec, 'inputSigned' | 'output' | 'relu'>): LayerSpec =>
  testLayer(name, { kind: 'fc', inH: 1, inW: 1, inC, outC, kH: 1, kW: 1, pad: NO_PADDING, ...signs });

const SHAPES: readonly LayerSpec[] = [
  // 8 channels per core on 8 cores.
  fc('fc-512-64', 512, 64, { inputSigned: true, output: 'int8', relu: false }),
  // K = 13 pads to one group span or more; 5 channels: 3 cores idle on 8.
  fc('fc-13-5', 13, 5, { inputSigned: false, output: 'uint8', relu: true }),
  // One channel: 7 cores idle.
  fc('fc-7-1', 7, 1, { inputSigned: true, output: 'uint8', relu: false }),
  // 9 channels over 8 cores: one core has two; K = 100 is no multiple of any span but 4.
  fc('fc-100-9', 100, 9, { inputSigned: false, output: 'int8', relu: false }),
];

describe('sparse fc kernel (gathered activations)', () => {
  it('is the sparse variant of fc layers', () => {
    expect(generatorFor(SHAPES[0]!, 'sparse')).toBe(sparseGatherGenerator);
  });

  for (const pattern of patterns) {
    it.each(SHAPES.map((spec) => [spec.name, spec] as const))(`${patternName(pattern)} %s, 1 and 8 cores, bit-exact`, (_, spec) => {
      for (const cores of [1, 8]) expectBitExact(spec, 'sparse', pattern, cores, 23);
    });
  }

  it('reports the bytes it reads (one value and a 16-bit offset per non-zero) and needs no scratch', () => {
    const spec = SHAPES[3]!;
    const program = layerProgram(randomLayerData(spec, 3, { n: 2, m: 8 }), 'sparse', { n: 2, m: 8 }, 8);
    // K = 100 pads to 112 (span 16): 28 non-zeros per channel.
    expect(program.weights).toEqual({ valueBytes: 9 * 28, indexBytes: 9 * 28 * 2, total: 9 * 28 * 3 });
    expect(program.plan.scratchBytes).toBe(0);
    expect(program.instructionSet).toBe('cv32e40p');
  });

  it('bounds the layer by its busiest core: 12 cycles per group of four non-zeros', () => {
    const spec = SHAPES[0]!;
    // 512 / 8 = 64 non-zeros = 16 groups per channel; 64 channels, 8 per core on 8 cores.
    expect(sparseGatherGenerator.bound(spec, { n: 1, m: 8 }, 1, AMPLE_SCRATCH)).toBe(64 * 16 * 12);
    expect(sparseGatherGenerator.bound(spec, { n: 1, m: 8 }, 8, AMPLE_SCRATCH)).toBe(8 * 16 * 12);
    // 9 channels on 8 cores: the busiest has 2.
    expect(sparseGatherGenerator.bound(SHAPES[3]!, { n: 2, m: 8 }, 8, AMPLE_SCRATCH)).toBe(2 * 7 * 12);
  });

  it('runs the bench fc-512-64 at 1:8 on 8 cores within 25% of its bound, with no load-use stall', () => {
    const spec = BENCH_LAYERS.find((layer) => layer.name === 'fc-512-64')!;
    const pattern = { n: 1, m: 8 } as const;
    const { run } = expectBitExact(spec, 'sparse', pattern, 8, 1);
    expect(run.perCore.every((core) => core.loadUse === 0)).toBe(true);
    // Bound 1,536 cycles; measured 1,827 (bank contention, the per-channel requantization, the barrier);
    // one load-use stall per group would add 128 cycles (8 channels x 16 groups per core).
    expect(run.cycles).toBeLessThan(1.25 * sparseGatherGenerator.bound(spec, pattern, 8, AMPLE_SCRATCH));
  });
});
