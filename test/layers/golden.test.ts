// The golden models against an independent formulation (explicit zero-padded input, then a
// window sum per output), and the layer validation's messages.
import { describe, expect, it } from 'vitest';
import { randomLayerData } from '../../sw/layers/data.js';
import { goldenAccumulators, goldenLayer } from '../../sw/layers/golden.js';
import { type LayerSpec, NO_PADDING, outputHeight, outputWidth, validateLayer } from '../../sw/layers/spec.js';

const base: LayerSpec = { name: 't', kind: 'conv', inH: 5, inW: 6, inC: 3, outC: 2, kH: 3, kW: 3, stride: 1, pad: NO_PADDING, inputSigned: false, output: 'int8', relu: false };

/** The input copied into a zero border, then every window summed: no bounds test in the sums. */
function padFirst(spec: LayerSpec, input: Uint8Array, weights: Int8Array): number[] {
  const H = spec.inH + spec.pad.top + spec.pad.bottom;
  const W = spec.inW + spec.pad.left + spec.pad.right;
  const padded = new Int32Array(H * W * spec.inC);
  for (let y = 0; y < spec.inH; y++) {
    for (let x = 0; x < spec.inW; x++) {
      for (let c = 0; c < spec.inC; c++) {
        const b = input[(y * spec.inW + x) * spec.inC + c]!;
        padded[((y + spec.pad.top) * W + x + spec.pad.left) * spec.inC + c] = spec.inputSigned ? (b << 24) >> 24 : b;
      }
    }
  }
  const out: number[] = [];
  for (let oy = 0; oy < outputHeight(spec); oy++) {
    for (let ox = 0; ox < outputWidth(spec); ox++) {
      for (let co = 0; co < spec.outC; co++) {
        let s = 0;
        let j = 0;
        for (let ky = 0; ky < spec.kH; ky++) {
          for (let kx = 0; kx < spec.kW; kx++) {
            const pixel = ((oy * spec.stride + ky) * W + ox * spec.stride + kx) * spec.inC;
            if (spec.kind === 'dw') s += padded[pixel + co]! * weights[co * spec.kH * spec.kW + j++]!;
            else for (let c = 0; c < spec.inC; c++) s += padded[pixel + c]! * weights[co * spec.kH * spec.kW * spec.inC + j++]!;
          }
        }
        out.push(s);
      }
    }
  }
  return out;
}

describe('golden models', () => {
  const shapes: LayerSpec[] = [
    base,
    { ...base, pad: { top: 2, bottom: 0, left: 1, right: 2 }, stride: 2, inputSigned: true },
    { ...base, kind: 'dw', inC: 5, outC: 5, kH: 3, kW: 2, pad: { top: 1, bottom: 1, left: 0, right: 1 } },
    { ...base, kind: 'matmul', inH: 7, inW: 1, inC: 9, outC: 4, kH: 1, kW: 1 },
  ];
  it.each(shapes.map((s, i) => [i, s] as const))('shape %i equals the padded-input formulation', (_, spec) => {
    const data = randomLayerData(spec, 3);
    expect(Array.from(goldenAccumulators(data))).toEqual(padFirst(spec, data.input, data.weights));
  });

  it('random data spreads the outputs over the range without saturating them all', () => {
    const data = randomLayerData({ ...base, inH: 8, inW: 8, inC: 16, outC: 8, pad: { top: 1, bottom: 1, left: 1, right: 1 } }, 5);
    const out = Array.from(goldenLayer(data), (b) => (b << 24) >> 24);
    const saturated = out.filter((v) => v === 127 || v === -128).length;
    expect(saturated / out.length).toBeLessThan(0.1);
    expect(new Set(out).size).toBeGreaterThan(50);
  });
});

describe('layer validation', () => {
  it.each([
    [{ ...base, inC: 0 }, /input channels: must be an integer from 1/],
    [{ ...base, pad: { ...NO_PADDING, left: 3 } }, /columns of padding/],
    [{ ...base, kH: 9 }, /kernel: 9x3 is larger than the padded input/],
    [{ ...base, kind: 'dw' as const }, /filters: a depthwise convolution has one filter per input channel/],
    [{ ...base, kind: 'fc' as const }, /a fc layer has a 1x1 kernel/],
    [{ ...base, stride: 0 }, /stride: must be/],
  ])('rejects %#', (spec, message) => {
    expect(() => validateLayer(spec)).toThrow(message);
  });
  it('matches variants and patterns', () => {
    expect(() => validateLayer(base, 'sparse')).toThrow(/nm: the sparse variant needs an N:M pattern/);
    expect(() => validateLayer(base, 'dense', { n: 1, m: 8 })).toThrow(/nm: the dense variant takes no N:M pattern/);
    expect(() => validateLayer({ ...base, kind: 'dw', outC: 3 }, 'sparse', { n: 1, m: 8 })).toThrow(/variant: sparse does not apply to a depthwise/);
  });
});
