// QDQ models as onnxruntime's quantize_static writes them (QuantFormat.QDQ, symmetric int8
// activations, per-channel int8 weights, int32 biases): the network keeps the model's int8 weights
// and scales, and runs close to the model's own fake-quantized float evaluation.
import { describe, expect, it } from 'vitest';
import { evaluateFloat } from '../../sw/net/float-eval.js';
import type { LayerNode } from '../../sw/net/graph.js';
import { runGolden } from '../../sw/net/golden.js';
import { calibrationRanges, dequantizeValue, quantizeGraph, quantizeInput, randomCalibration } from '../../sw/net/quantize/index.js';
import { symmetricType } from '../../sw/net/quantize/qdq.js';
import { convSource, gather } from '../../sw/net/quantize/weights.js';
import { Random } from '../../util/random.js';
import { GraphBuilder, expectConsistent, maxDifference, peak } from './support.js';

const random = new Random(21);
const ints = (count: number, max: number): number[] => Array.from({ length: count }, () => random.below(2 * max + 1) - max);
const scalesOf = (count: number): number[] => Array.from({ length: count }, () => 0.002 + random.below(1000) * 4e-6);

const w1 = { dims: [4, 3, 3, 3], q: ints(108, 127), s: scalesOf(4) };
const w2 = { dims: [5, 4], q: ints(20, 127), s: scalesOf(5) };
const b1 = ints(4, 3000);
const b2 = ints(5, 3000);

/** The activations' zero point and type (onnxruntime's default: uint8, asymmetric). */
interface ZeroPoint {
  readonly value: number;
  readonly type: 'int8' | 'uint8';
}

/**
 * x -> conv 3x3 -> ReLU -> global average pool -> flatten -> Gemm (transB), as a float graph with
 * the weights dequantized, or (`qdq`) as its QDQ form with a Q/DQ pair of the given scales after
 * every value. The second bias is at the pooled value's scale (1 before it is known).
 */
function model(inputScale: number, scales: ReadonlyMap<string, number>, qdq: boolean, zeros: ReadonlyMap<string, ZeroPoint> = new Map()) {
  const b = new GraphBuilder('qdq.onnx');
  const pair = (value: string): string => {
    if (!qdq) return value;
    const s = b.constant(`${value}_scale`, [], [scales.get(value) ?? inputScale]);
    const zero = zeros.get(value) ?? { value: 0, type: 'int8' };
    const z = b.constant(`${value}_zero`, [], [zero.value], zero.type);
    return b.node('DequantizeLinear', [b.node('QuantizeLinear', [value, s, z], {}, `${value}_Q`), s, z], {}, `${value}_DQ`);
  };
  const weight = (name: string, w: typeof w1): string => {
    if (!qdq) return b.constant(name, w.dims, w.q.map((q, i) => q * w.s[Math.floor(i / (w.q.length / w.dims[0]!))]!));
    const channels = w.dims[0]!;
    return b.node('DequantizeLinear', [b.constant(`${name}_q`, w.dims, w.q, 'int8'), b.constant(`${name}_s`, [channels], w.s), b.constant(`${name}_z`, [channels], new Array(channels).fill(0), 'int8')], { axis: 0 }, `${name}_DQ`);
  };
  const bias = (name: string, q: number[], weightScales: number[], input: number): string => {
    const s = weightScales.map((ws) => ws * input);
    if (!qdq) return b.constant(name, [q.length], q.map((v, i) => v * s[i]!));
    return b.node('DequantizeLinear', [b.constant(`${name}_q`, [q.length], q, 'int32'), b.constant(`${name}_s`, [q.length], s), b.constant(`${name}_z`, [q.length], new Array(q.length).fill(0), 'int32')], { axis: 0 }, `${name}_DQ`);
  };
  const x = pair(b.input('x', [1, 3, 6, 6]));
  const conv = pair(b.node('Conv', [x, weight('w1', w1), bias('b1', b1, w1.s, inputScale)], { pads: [1, 1, 1, 1] }, 'conv'));
  const relu = pair(b.node('Relu', [conv], {}, 'relu'));
  const gap = pair(b.node('GlobalAveragePool', [relu], {}, 'gap'));
  const flat = b.node('Flatten', [gap], { axis: 1 }, 'flatten');
  const y = pair(b.node('Gemm', [flat, weight('w2', w2), bias('b2', b2, w2.s, scales.get('gap_out') ?? 1)], { transB: 1 }, 'fc'));
  return b.output(y).build();
}

/**
 * The QDQ model with the ranges a float calibration gives, as quantize_static's MinMax does: int8
 * activations symmetric about 0, or (`asymmetric`, onnxruntime's default) uint8 over [min, max]
 * with the zero point where 0 falls.
 */
function qdqModel(asymmetric = false) {
  const calibration = randomCalibration(model(1, new Map(), false), 8, 5);
  const values = ['conv_out', 'relu_out', 'gap_out', 'fc_out'];
  const inputRange = { min: Math.min(0, ...calibration.flatMap((c) => Array.from(c))), max: peak(calibration.flatMap((c) => Array.from(c))) };
  const step = (range: { min: number; max: number }): number => (asymmetric ? (Math.max(0, range.max) - Math.min(0, range.min)) / 255 : Math.max(-range.min, range.max) / 127);
  const zeroOf = (range: { min: number; max: number }): ZeroPoint => ({ value: asymmetric ? Math.round(-Math.min(0, range.min) / step(range)) + 0 : 0, type: asymmetric ? 'uint8' : 'int8' });
  const inputScale = asymmetric ? step(inputRange) : peak(calibration.flatMap((c) => Array.from(c))) / 127;
  const scalesOf = (ranges: ReturnType<typeof calibrationRanges>) => new Map(values.map((v) => [v, step(ranges.get(v)!)]));
  // The second bias's scale depends on the pooled value's: calibrate twice.
  const first = scalesOf(calibrationRanges(model(inputScale, new Map(), false), calibration));
  const ranges = calibrationRanges(model(inputScale, first, false), calibration);
  const scales = scalesOf(ranges);
  const zeros = new Map([['x', zeroOf(inputRange)], ...values.map((v) => [v, zeroOf(ranges.get(v)!)] as const)]);
  return { graph: model(inputScale, scales, true, zeros), calibration, scales, inputScale, zeros };
}

describe('QDQ models', () => {
  it('keep their int8 weights, biases and scales, and run close to their own fake-quantized evaluation', () => {
    const { graph, calibration, scales, inputScale } = qdqModel();
    const network = quantizeGraph(graph, []);
    expectConsistent(network);
    expect(network.nodes.map((n) => n.name)).toEqual(['conv', 'gap', 'fc']);
    const [conv, , fc] = network.nodes as [LayerNode, unknown, LayerNode];
    expect(Array.from(conv.weights)).toEqual(Array.from(gather(Int8Array.from(w1.q), convSource(w1.dims))));
    expect(Array.from(fc.weights)).toEqual(w2.q);
    expect(conv.quantization.map((q) => q.bias)).toEqual(b1);
    expect(fc.quantization.map((q) => q.bias)).toEqual(b2);
    // Scales are the model's float32 constants. The ReLU is fused; its output keeps the model's int8 type and scale (onnxruntime's symmetric activations).
    expect(conv.spec).toMatchObject({ output: 'int8', relu: true });
    expect(network.tensors.get('x')!.scale).toBe(Math.fround(inputScale));
    expect(network.tensors.get('relu_out')!.scale).toBe(Math.fround(scales.get('relu_out')!));
    expect(network.tensors.get('fc_out')!.scale).toBe(Math.fround(scales.get('fc_out')!));

    const golden = runGolden(network, quantizeInput(network, calibration[0]!));
    const reference = evaluateFloat(graph, [calibration[0]!]);
    for (const [value, dq] of [['relu_out', 'relu_out_DQ_out'], ['gap_out', 'gap_out_DQ_out'], ['fc_out', 'fc_out_DQ_out']] as const) {
      // The model rounds each value once from float, the network from integers with a rescale good to a few hundredths
      // of a step: they differ by one step at most, where a value lies near a rounding boundary.
      const error = maxDifference(dequantizeValue(network, value, golden), reference.get(dq)!.data) / scales.get(value)!;
      expect(error, value).toBeLessThanOrEqual(1 + 1e-3);
    }
  });

  it("take onnxruntime's default asymmetric uint8 activations as zero point 0 over the same range, with a note per tensor", () => {
    const { graph, calibration, scales, zeros } = qdqModel(true);
    const network = quantizeGraph(graph, []);
    expectConsistent(network);
    const zero = zeros.get('fc_out')!.value;
    const expected = symmetricType(Math.fround(scales.get('fc_out')!), zero, false);
    expect(network.tensors.get('fc_out')).toMatchObject({ signed: true, scale: expected.scale });
    expect(network.notes).toContain(`'fc_out' (QuantizeLinear 'fc_out_Q'): uint8 zero point ${zero} taken as int8 zero point 0 over the same range, steps ${expected.coarsening.toFixed(2)}x the model's`);
    // A ReLU's output starts at 0: zero point 0, kept as it is.
    expect(zeros.get('relu_out')!.value).toBe(0);
    expect(network.notes.some((n) => n.startsWith("'relu_out'"))).toBe(false);
    const golden = runGolden(network, quantizeInput(network, calibration[0]!));
    const reference = evaluateFloat(graph, [calibration[0]!]);
    // Each tensor's steps are up to twice the model's (the input's too, and its rounding errors
    // add up over a window): a few of the model's steps apart, where a wrong zero point is dozens.
    for (const value of ['relu_out', 'gap_out', 'fc_out']) {
      const steps = maxDifference(dequantizeValue(network, value, golden), reference.get(`${value}_DQ_out`)!.data) / scales.get(value)!;
      expect(steps, value).toBeLessThanOrEqual(4);
    }
  });

  it.each([
    [0, false, { scale: 0.5, signed: false, coarsening: 1 }],
    [128, false, { scale: 0.5, signed: true, coarsening: 1 }],
    [-128, true, { scale: 0.5, signed: false, coarsening: 1 }],
    [37, false, { scale: (0.5 * 218) / 127, signed: true, coarsening: 218 / 127 }],
    [10, true, { scale: (0.5 * 138) / 127, signed: true, coarsening: 138 / 127 }],
  ] as const)('symmetricType: step 0.5, zero point %d (int8: %s)', (zero, signed, expected) => {
    expect(symmetricType(0.5, zero, signed)).toEqual(expected);
  });
});
