// The float reference's operators on small cases worked out by hand.
import { describe, expect, it } from 'vitest';
import { evaluateFloat } from '../../sw/net/float-eval.js';
import type { AttributeValue, CanonicalOp } from '../../sw/onnx/graph.js';
import { GraphBuilder } from './support.js';

interface Operand {
  readonly dims: readonly number[];
  readonly values: readonly number[];
  /** Stored as a constant instead of the graph's input. */
  readonly constant?: boolean;
}

/** Runs one node whose first operand is the graph input; returns its output's shape and values. */
function run(op: CanonicalOp, operands: readonly Operand[], attributes: Record<string, AttributeValue> = {}): { dims: readonly number[]; values: number[] } {
  const b = new GraphBuilder();
  const names = operands.map((o, i) => (o.constant || i > 0 ? b.constant(`c${i}`, o.dims, o.values) : b.input('x', o.dims)));
  const out = b.node(op, names, attributes, 'n');
  const graph = b.output(out).build();
  const inputs = operands.filter((o, i) => !(o.constant || i > 0)).map((o) => Float32Array.from(o.values));
  const value = evaluateFloat(graph, inputs).get(out)!;
  return { dims: value.dims, values: Array.from(value.data) };
}

const image3x3 = { dims: [1, 1, 3, 3], values: [1, 2, 3, 4, 5, 6, 7, 8, 9] };
/** Float32 values with fractions, so that a sum in another order than the definition's would show in the low bits. */
const pseudo = (count: number, seed: number): number[] => Array.from({ length: count }, (_, i) => Math.fround(Math.sin(seed + 1.7 * i) * 3.1));
const ones2x2 = { dims: [1, 1, 2, 2], values: [1, 1, 1, 1] };

describe('float evaluator', () => {
  it('Conv: window sums plus bias, and padding with stride 2', () => {
    expect(run('Conv', [image3x3, ones2x2, { dims: [1], values: [1] }])).toEqual({ dims: [1, 1, 2, 2], values: [13, 17, 25, 29] });
    expect(run('Conv', [image3x3, ones2x2], { pads: [1, 1, 1, 1], strides: [2, 2] }).values).toEqual([1, 5, 11, 28]);
  });

  it('Conv: groups (depthwise) use each channel alone', () => {
    const input = { dims: [1, 2, 2, 2], values: [1, 1, 1, 1, 2, 2, 2, 2] };
    const weight = { dims: [2, 1, 2, 2], values: [1, 1, 1, 1, 2, 2, 2, 2] };
    expect(run('Conv', [input, weight], { group: 2 })).toEqual({ dims: [1, 2, 1, 1], values: [4, 16] });
  });

  it('Conv: two images, groups, dilations, strides and uneven pads, as the definition sums them', () => {
    const [n, c, h, w, outC, group, kH, kW] = [2, 4, 7, 6, 6, 2, 3, 2];
    const groupC = c / group;
    const attributes = { group, dilations: [2, 1], strides: [2, 1], pads: [2, 0, 1, 1] };
    const [top, left, bottom, right] = attributes.pads as [number, number, number, number];
    const input = { dims: [n, c, h, w], values: pseudo(n * c * h * w, 1) };
    const weight = { dims: [outC, groupC, kH, kW], values: pseudo(outC * groupC * kH * kW, 2) };
    const bias = { dims: [outC], values: pseudo(outC, 3) };
    const outH = Math.floor((h + top + bottom - (2 * (kH - 1) + 1)) / 2) + 1;
    const outW = w + left + right - kW + 1;
    // The definition: per output, the bias, then every tap inside the image in the weights' order, in double precision.
    const expected: number[] = [];
    for (let b = 0; b < n; b++) {
      for (let o = 0; o < outC; o++) {
        const g = Math.floor(o / (outC / group));
        for (let oy = 0; oy < outH; oy++) {
          for (let ox = 0; ox < outW; ox++) {
            let sum = bias.values[o]!;
            for (let ci = 0; ci < groupC; ci++) {
              for (let ky = 0; ky < kH; ky++) {
                for (let kx = 0; kx < kW; kx++) {
                  const y = oy * 2 - top + ky * 2;
                  const x = ox - left + kx;
                  if (y < 0 || y >= h || x < 0 || x >= w) continue;
                  sum += weight.values[((o * groupC + ci) * kH + ky) * kW + kx]! * input.values[((b * c + g * groupC + ci) * h + y) * w + x]!;
                }
              }
            }
            expected.push(Math.fround(sum));
          }
        }
      }
    }
    expect(run('Conv', [input, weight, bias], attributes)).toEqual({ dims: [n, outC, outH, outW], values: expected });
  });

  it('Gemm with transB and a broadcast C; MatMul batched with a broadcast B', () => {
    const gemm = run('Gemm', [{ dims: [1, 2], values: [1, 2] }, { dims: [3, 2], values: [1, 0, 0, 1, 1, 1] }, { dims: [3], values: [10, 20, 30] }], { transB: 1 });
    expect(gemm).toEqual({ dims: [1, 3], values: [11, 22, 33] });
    expect(run('MatMul', [{ dims: [2, 1, 2], values: [1, 2, 3, 4] }, { dims: [2, 1], values: [1, 1] }])).toEqual({ dims: [2, 1, 1], values: [3, 7] });
  });

  it('MatMul: a batch against one matrix, columns past a multiple of four, as the definition sums them', () => {
    const [batches, m, k, n] = [2, 3, 5, 6];
    const a = { dims: [batches, m, k], values: pseudo(batches * m * k, 4) };
    const b = { dims: [k, n], values: pseudo(k * n, 5) };
    const expected: number[] = [];
    for (let t = 0; t < batches; t++) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          for (let p = 0; p < k; p++) sum += a.values[(t * m + i) * k + p]! * b.values[p * n + j]!;
          expected.push(Math.fround(sum));
        }
      }
    }
    expect(run('MatMul', [a, b])).toEqual({ dims: [batches, m, n], values: expected });
  });

  it('Add and Mul broadcast as NumPy does', () => {
    expect(run('Add', [{ dims: [2, 2], values: [1, 2, 3, 4] }, { dims: [2], values: [10, 20] }]).values).toEqual([11, 22, 13, 24]);
    expect(run('Mul', [{ dims: [2, 1], values: [1, 2] }, { dims: [1, 3], values: [1, 10, 100] }])).toEqual({ dims: [2, 3], values: [1, 10, 100, 2, 20, 200] });
  });

  it('Relu and Clip', () => {
    expect(run('Relu', [{ dims: [3], values: [-1, 0, 2] }]).values).toEqual([0, 0, 2]);
    expect(run('Clip', [{ dims: [3], values: [-1, 3, 9] }], { min: 0, max: 6 }).values).toEqual([0, 3, 6]);
  });

  it('MaxPool, AveragePool with and without counting the padding, GlobalAveragePool', () => {
    const ramp = { dims: [1, 1, 4, 4], values: Array.from({ length: 16 }, (_, i) => i) };
    expect(run('MaxPool', [ramp], { kernel_shape: [2, 2], strides: [2, 2] }).values).toEqual([5, 7, 13, 15]);
    const square = { dims: [1, 1, 2, 2], values: [1, 2, 3, 4] };
    const window = { kernel_shape: [3, 3], pads: [1, 1, 1, 1] };
    expect(run('AveragePool', [square], { ...window, count_include_pad: 0 }).values).toEqual([2.5, 2.5, 2.5, 2.5]);
    expect(run('AveragePool', [square], { ...window, count_include_pad: 1 }).values.map((v) => v * 9)).toEqual([10, 10, 10, 10].map((v) => expect.closeTo(v, 5)));
    expect(run('GlobalAveragePool', [square])).toEqual({ dims: [1, 1, 1, 1], values: [2.5] });
  });

  it('Flatten, Reshape, Transpose and Concat move elements', () => {
    expect(run('Flatten', [{ dims: [1, 2, 2, 1], values: [1, 2, 3, 4] }]).dims).toEqual([1, 4]);
    expect(run('Reshape', [{ dims: [1, 4], values: [1, 2, 3, 4] }], { shape: [2, 2] }).dims).toEqual([2, 2]);
    expect(run('Transpose', [{ dims: [2, 3], values: [1, 2, 3, 4, 5, 6] }], { perm: [1, 0] })).toEqual({ dims: [3, 2], values: [1, 4, 2, 5, 3, 6] });
    expect(run('Concat', [{ dims: [2, 1], values: [1, 2] }, { dims: [2, 2], values: [3, 4, 5, 6] }], { axis: 1 })).toEqual({ dims: [2, 3], values: [1, 3, 4, 2, 5, 6] });
  });

  it('Softmax, LayerNormalization and Gelu', () => {
    const e = [Math.exp(-2), Math.exp(-1), 1];
    const sum = e[0]! + e[1]! + e[2]!;
    expect(run('Softmax', [{ dims: [1, 3], values: [1, 2, 3] }]).values).toEqual(e.map((v) => expect.closeTo(v / sum, 6)));
    const inv = 1 / Math.sqrt(2 / 3 + 1e-5);
    const norm = run('LayerNormalization', [{ dims: [1, 3], values: [1, 2, 3] }, { dims: [3], values: [1, 1, 2] }, { dims: [3], values: [0, 0, 1] }], { axis: -1, epsilon: 1e-5 });
    expect(norm.values).toEqual([-inv, 0, 2 * inv + 1].map((v) => expect.closeTo(v, 5)));
    // Phi(1) = 0.8413447, Phi(-1) = 0.1586553.
    expect(run('Gelu', [{ dims: [2], values: [1, -1] }]).values).toEqual([expect.closeTo(0.8413447, 6), expect.closeTo(-0.1586553, 6)]);
  });

  it('an operator it lacks is an error naming the node', () => {
    const b = new GraphBuilder('m.onnx');
    const out = b.node('QLinearConv', [b.input('x', [1, 1, 1, 1])], {}, 'qconv7');
    expect(() => evaluateFloat(b.output(out).build(), [new Float32Array(1)])).toThrow("m.onnx: node 'qconv7': QLinearConv: the float evaluator does not implement QLinearConv");
  });
});
