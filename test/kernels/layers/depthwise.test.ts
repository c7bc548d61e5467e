// The depthwise kernel on the cluster, bit-exact against the golden model for awkward shapes on one
// and eight cores and for the bench's depthwise layer on eight cores.
import { describe, expect, it } from 'vitest';
import { benchLayer } from '../../../sw/kernels/bench/cases.js';
import { depthwiseGenerator } from '../../../sw/kernels/layers/depthwise.js';
import type { LayerSpec } from '../../../sw/layers/spec.js';
import { expectBitExact, testLayer } from './support.js';

const dw = (name: string, shape: Partial<LayerSpec>): LayerSpec => testLayer(name, { kind: 'dw', inH: 6, inW: 7, inC: 5, outC: 5, ...shape });

const ASYMMETRIC = { top: 2, bottom: 0, left: 1, right: 2 };

const AWKWARD: readonly LayerSpec[] = [
  dw('3x3, 5 channels, odd width', {}),
  dw('3x3, asymmetric padding, int8 in and out', { pad: ASYMMETRIC, inputSigned: true, output: 'int8', relu: false }),
  dw('5x5 stride 2, asymmetric padding, 12 channels', { inH: 9, inW: 8, inC: 12, outC: 12, kH: 5, kW: 5, stride: 2, pad: ASYMMETRIC }),
  dw('7x7 (filter words loaded with the window), 3 channels', { inH: 8, inW: 9, inC: 3, outC: 3, kH: 7, kW: 7, pad: { top: 3, bottom: 3, left: 3, right: 3 }, output: 'int8' }),
  dw('one channel, 1-pixel-wide input', { inH: 5, inW: 1, inC: 1, outC: 1, kH: 3, kW: 2, pad: { top: 0, bottom: 2, left: 1, right: 0 } }),
  dw('3x3 over a 1x1 input, 20 channels', { inH: 1, inW: 1, inC: 20, outC: 20, inputSigned: true }),
];

const expectDepthwiseBitExact = (spec: LayerSpec, cores: number): unknown => expectBitExact(spec, 'dense', undefined, cores, 23);

describe('depthwise kernel against the golden model', () => {
  it.each(AWKWARD.flatMap((spec) => [1, 8].map((cores) => [spec.name, cores, spec] as const)))('%s on %i cores', (_, cores, spec) => {
    expectDepthwiseBitExact(spec, cores);
  });

  it('bench layer dw3x3-64-16x16 on 8 cores', () => {
    expectDepthwiseBitExact(benchLayer('dw3x3-64-16x16'), 8);
  });

  it('refuses a plane larger than the scratch budget, and windows whose rows are too far apart for load offsets', () => {
    expect(() => depthwiseGenerator.scratchBytes(benchLayer('dw3x3-64-16x16'), undefined, 300)).toThrow(/^tile: .*plane of 328 bytes/);
    expect(depthwiseGenerator.scratchBytes(benchLayer('dw3x3-64-16x16'), undefined, 328)).toBe(328);
    expect(() => depthwiseGenerator.scratchBytes(dw('wide', { inH: 3, inW: 1100, inC: 1, outC: 1 }), undefined, 60_000)).toThrow(/^tile: .*over 1102 padded columns/);
  });
});
