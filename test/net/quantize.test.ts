// The quantizer on tiny graphs: the golden integer network, dequantized, stays within a few output
// steps of the float graph; layouts (NCHW to HWC, a CHW flatten before Gemm) are exact; errors
// name the node.
import { describe, expect, it } from 'vitest';
import { evaluateFloat } from '../../sw/net/float-eval.js';
import type { LayerNode } from '../../sw/net/graph.js';
import { runGolden } from '../../sw/net/golden.js';
import { dequantize, dequantizeValue, quantizeGraph, quantizeInput, randomCalibration, type QuantizedNetwork } from '../../sw/net/quantize/index.js';
import { MAX_MULTIPLIER } from '../../sw/layers/requantize.js';
import { MAX_LAYER_FACTOR } from '../../sw/net/quantize/requantization.js';
import type { Graph } from '../../sw/onnx/graph.js';
import { Random } from '../../util/random.js';
import { GraphBuilder, expectConsistent, maxDifference, timmAttention, uniform } from './support.js';

/**
 * Quantizes on 8 random calibration inputs and runs the first of them. Errors come from rounding
 * the input (half a step in each of K products), the weights (half a step of each channel's scale)
 * and the output (the requantization's two roundings, under a step): `steps` output steps bound
 * them on these small layers.
 */
function check(graph: Graph, values: readonly string[], steps = 3): QuantizedNetwork {
  const calibration = randomCalibration(graph, 8, 11);
  const network = quantizeGraph(graph, calibration);
  expectConsistent(network);
  const golden = runGolden(network, quantizeInput(network, calibration[0]!));
  const float = evaluateFloat(graph, [calibration[0]!]);
  for (const value of values) {
    const step = network.tensors.get(network.placements.get(value)!.tensor)!.scale;
    expect(maxDifference(dequantizeValue(network, value, golden), float.get(value)!.data) / step, value).toBeLessThan(steps);
  }
  return network;
}

const layers = (network: QuantizedNetwork): LayerNode[] => network.nodes.filter((n): n is LayerNode => n.op === 'layer');

function convGraph(options: { relu: boolean; kernel: number; stride?: number; pads?: number[]; group?: number; inC?: number; outC?: number }): { graph: Graph; out: string } {
  const random = new Random(5);
  const { kernel, group = 1, inC = 3, outC = 4 } = options;
  const b = new GraphBuilder();
  const w = b.constant('w', [outC, inC / group, kernel, kernel], uniform(random, (outC * inC * kernel * kernel) / group, 0.5));
  const attributes = { strides: [options.stride ?? 1, options.stride ?? 1], pads: options.pads ?? [0, 0, 0, 0], group };
  let out = b.node('Conv', [b.input('x', [1, inC, 7, 6]), w, b.constant('b', [outC], uniform(random, outC, 0.3))], attributes, 'conv');
  if (options.relu) out = b.node('Relu', [out], {}, 'relu');
  return { graph: b.output(out).build(), out };
}

describe('quantizeGraph: layers', () => {
  it('a 3x3 conv with asymmetric padding and stride 2: int8 output close to the float one', () => {
    const { graph, out } = convGraph({ relu: false, kernel: 3, stride: 2, pads: [1, 0, 0, 1] });
    const [layer] = layers(check(graph, [out]));
    expect(layer!.spec).toMatchObject({ kind: 'conv', inH: 7, inW: 6, inC: 3, stride: 2, pad: { top: 1, left: 0, bottom: 0, right: 1 }, inputSigned: true, output: 'int8', relu: false });
  });

  it('conv + ReLU: the ReLU is fused and the output is uint8 over the full range', () => {
    const { graph, out } = convGraph({ relu: true, kernel: 3, pads: [1, 1, 1, 1] });
    const network = check(graph, [out]);
    expect(network.nodes).toHaveLength(1);
    expect(layers(network)[0]!.spec).toMatchObject({ output: 'uint8', relu: true });
    expect(network.tensors.get(out)!.signed).toBe(false);
  });

  it('a Clip(0, 6) after a conv is fused as a ReLU; the calibrated range is the clip', () => {
    const random = new Random(6);
    const b = new GraphBuilder();
    const conv = b.node('Conv', [b.input('x', [1, 3, 5, 5]), b.constant('w', [4, 3, 3, 3], uniform(random, 108, 1))], { pads: [1, 1, 1, 1] }, 'conv');
    const y = b.node('Clip', [conv], { min: 0, max: 6 }, 'relu6');
    // The clipped range is narrower than the conv's: the input's rounding, summed over 27 products, is worth more steps.
    const network = check(b.output(y).build(), [y], 4);
    expect(layers(network)[0]!.spec).toMatchObject({ output: 'uint8', relu: true });
    // Calibration reached the clip: the range is exactly 6.
    expect(network.tensors.get(y)!.scale).toBeCloseTo(6 / 255, 9);
  });

  it('1x1 stride 1 is pointwise, group = channels is depthwise (weights already in im2col order)', () => {
    expect(layers(check(convGraph({ relu: false, kernel: 1 }).graph, ['conv_out']))[0]!.spec.kind).toBe('pointwise');
    const dw = convGraph({ relu: true, kernel: 3, group: 4, inC: 4, outC: 4, pads: [1, 1, 1, 1] });
    expect(layers(check(dw.graph, [dw.out]))[0]!.spec.kind).toBe('dw');
  });

  it('conv weights are reordered OIHW to (ky, kx, c) per output channel', () => {
    const b = new GraphBuilder();
    // Weight (o, c, ky, kx) = 8o + 4c + 2ky + kx + 1: every position has its own value, so the order shows.
    const w = b.constant('w', [2, 2, 2, 2], Array.from({ length: 16 }, (_, i) => i + 1));
    const graph = b.output(b.node('Conv', [b.input('x', [1, 2, 3, 3]), w], {}, 'conv')).build();
    const [layer] = layers(quantizeGraph(graph, randomCalibration(graph, 2, 1)));
    const scale = (o: number): number => (o === 0 ? 8 : 16) / 127;
    const expected = [0, 1].flatMap((o) => [0, 1].flatMap((ky) => [0, 1].flatMap((kx) => [0, 1].map((c) => Math.round((8 * o + 4 * c + 2 * ky + kx + 1) / scale(o))))));
    expect(Array.from(layer!.weights)).toEqual(expected);
  });

  it('a residual add of two activations with a fused ReLU, then pools and a classifier', () => {
    const random = new Random(2);
    const b = new GraphBuilder();
    const x = b.input('x', [1, 3, 6, 6]);
    const a = b.node('Relu', [b.node('Conv', [x, b.constant('w1', [4, 3, 3, 3], uniform(random, 108, 0.5)), b.constant('b1', [4], uniform(random, 4, 0.2))], { pads: [1, 1, 1, 1] }, 'conv1')], {}, 'relu1');
    const c = b.node('Conv', [a, b.constant('w2', [4, 4, 1, 1], uniform(random, 16, 0.5))], {}, 'conv2');
    const sum = b.node('Relu', [b.node('Add', [a, c], {}, 'add')], {}, 'relu2');
    const max = b.node('MaxPool', [sum], { kernel_shape: [2, 2], strides: [2, 2] }, 'maxpool');
    const avg = b.node('AveragePool', [max], { kernel_shape: [2, 2], strides: [1, 1], pads: [1, 1, 0, 0], count_include_pad: 1 }, 'avgpool');
    const gap = b.node('GlobalAveragePool', [avg], {}, 'gap');
    const y = b.node('Gemm', [b.node('Flatten', [gap], { axis: 1 }, 'flatten'), b.constant('w3', [5, 4], uniform(random, 20, 0.5)), b.constant('b3', [5], uniform(random, 5, 0.1))], { transB: 1 }, 'fc');
    const network = check(b.output(y).build(), [a, c, sum, max, avg, gap, y]);
    expect(network.nodes.map((n) => `${n.op} ${n.name}`)).toEqual(['layer conv1', 'layer conv2', 'add add', 'maxpool maxpool', 'avgpool avgpool', 'avgpool gap', 'layer fc']);
    const add = network.nodes[2]!;
    expect(add.op === 'add' && add.scale).toMatchObject({ outputType: 'uint8', relu: true });
    // The Flatten of a 1x1xC tensor is an alias of the pooled tensor: the classifier reads it.
    expect(network.placements.get('flatten_out')!.tensor).toBe(gap);
    expect(layers(network).at(-1)).toMatchObject({ input: gap, spec: { kind: 'fc', inC: 4 } });
    expect(network.outputs).toEqual([y]);
  });

  it('Gemm on one row is fc; MatMul on tokens is matmul with the constant Add folded into its bias', () => {
    const random = new Random(3);
    const b = new GraphBuilder();
    const t = b.node('Add', [b.node('MatMul', [b.input('x', [1, 4, 8]), b.constant('w', [8, 6], uniform(random, 48, 0.5))], {}, 'mm'), b.constant('bias', [6], uniform(random, 6, 0.5))], {}, 'bias_add');
    const network = check(b.output(t).build(), [t]);
    expect(network.nodes).toHaveLength(1);
    expect(layers(network)[0]!.spec).toMatchObject({ kind: 'matmul', inH: 4, inW: 1, inC: 8, outC: 6 });
    expect(network.tensors.get(t)!.shape).toEqual({ h: 4, w: 1, c: 6 });
    expect(layers(network)[0]!.quantization.some((q) => q.bias !== 0)).toBe(true);

    const g = new GraphBuilder();
    const y = g.node('Gemm', [g.input('x', [1, 8]), g.constant('w', [8, 3], uniform(random, 24, 0.5))], {}, 'gemm');
    expect(layers(check(g.output(y).build(), [y]))[0]!.spec).toMatchObject({ kind: 'fc', inH: 1, inW: 1, inC: 8, outC: 3 });
  });
});

describe('quantizeGraph: scales', () => {
  it('an output range below one accumulator step widens the output scale to what the requantization represents', () => {
    // The two inputs cancel to a thousandth of either: the calibrated output scale would need a factor near 8.
    const b = new GraphBuilder();
    const y = b.node('Gemm', [b.input('x', [1, 2]), b.constant('w', [2, 1], [1, -0.999])], {}, 'cancel');
    const graph = b.output(y).build();
    const network = quantizeGraph(graph, [Float32Array.from([1, 1]), Float32Array.from([-0.5, -0.5])]);
    const [input, output] = [network.tensors.get('x')!, network.tensors.get(y)!];
    expect(output.scale).toBeCloseTo((input.scale * (1 / 127)) / MAX_LAYER_FACTOR, 12);
    expect(layers(network)[0]!.quantization[0]).toMatchObject({ shift: 0, multiplier: MAX_MULTIPLIER });
    expect(runGolden(network, quantizeInput(network, Float32Array.from([1, 1]))).get(y)).toEqual(Uint8Array.of(0));
  });
});

describe('quantizeGraph: calibration', () => {
  it('a percentile range ignores a rare outlier that the maximum follows', () => {
    const random = new Random(9);
    const b = new GraphBuilder();
    const graph = b.output(b.node('Gemm', [b.input('x', [1, 1000]), b.constant('w', [1000, 2], uniform(random, 2000, 0.1))], {}, 'fc')).build();
    const input = uniform(random, 1000, 1);
    input[500] = 100;
    expect(quantizeGraph(graph, [input]).tensors.get('x')!.scale).toBeCloseTo(100 / 127, 9);
    const scale = quantizeGraph(graph, [input], { percentile: 99.9 }).tensors.get('x')!.scale * 127;
    // The 99.9th percentile of 999 magnitudes below 1 and one of 100, to a histogram bin (100 / 2048).
    expect(scale).toBeGreaterThan(0.95);
    expect(scale).toBeLessThan(1 + 100 / 2048);
    expect(quantizeGraph(graph, [input], { percentile: 100 }).tensors.get('x')!.scale).toBeCloseTo(100 / 127, 9);
  });
});

describe('quantizeGraph: layouts', () => {
  it('the input is quantized NCHW to HWC and read back; a never-negative calibration makes it uint8', () => {
    const b = new GraphBuilder();
    const graph = b.output(b.node('MaxPool', [b.input('x', [1, 2, 1, 2])], { kernel_shape: [1, 1] }, 'p')).build();
    const input = Float32Array.from([1, 2, 3, 4]);
    const network = quantizeGraph(graph, [input]);
    const tensor = network.tensors.get('x')!;
    expect(tensor).toMatchObject({ signed: false, shape: { h: 1, w: 2, c: 2 } });
    expect(tensor.scale).toBeCloseTo(4 / 255, 9);
    const bytes = quantizeInput(network, input);
    expect(Array.from(bytes)).toEqual([64, 191, 128, 255]);
    expect(Array.from(dequantize(tensor, bytes))).toEqual([1, 3, 2, 4].map((v) => expect.closeTo(v, 1)));
    expect(Array.from(dequantizeValue(network, 'x', new Map([['x', bytes]])))).toEqual([1, 2, 3, 4].map((v) => expect.closeTo(v, 1)));
  });

  it('Flatten of an HxWxC tensor before Gemm: the weight columns are permuted, the output is the CHW flatten exactly', () => {
    // One-hot weights make output j the j-th element of the CHW flatten: a wrong column order shows as a permuted output.
    const [c, h, w] = [3, 2, 2];
    const k = c * h * w;
    const b = new GraphBuilder();
    const flat = b.node('Flatten', [b.input('x', [1, c, h, w])], { axis: 1 }, 'flatten');
    const y = b.node('Gemm', [flat, b.constant('eye', [k, k], Array.from({ length: k * k }, (_, i) => (i % (k + 1) === 0 ? 1 : 0)))], { transB: 1 }, 'gemm');
    const graph = b.output(y).build();
    const calibration = randomCalibration(graph, 4, 9);
    const network = quantizeGraph(graph, calibration);
    expectConsistent(network);
    expect(network.placements.get(flat)!.permuted?.by).toBe('flatten');
    // The Gemm reads the 2x2x3 input tensor as it is: a conv whose kernel is the whole input.
    expect(layers(network)[0]).toMatchObject({ input: 'x', spec: { kind: 'conv', inH: h, inW: w, inC: c, kH: h, kW: w, outC: k } });
    const input = quantizeInput(network, calibration[0]!);
    const output = runGolden(network, input).get(y)!;
    const signed = (v: number): number => (v << 24) >> 24;
    // CHW element j = (ci, yi, xi) sits at HWC byte (yi * w + xi) * c + ci of the input.
    const expected = Array.from({ length: k }, (_, j) => signed(input[(j % (h * w)) * c + Math.floor(j / (h * w))]!));
    expect(Array.from(output, signed)).toEqual(expected);
  });

  it('a 2x2xC conv output flattened into a Gemm equals the float graph within quantization error', () => {
    const random = new Random(4);
    const b = new GraphBuilder();
    const conv = b.node('Relu', [b.node('Conv', [b.input('x', [1, 3, 2, 2]), b.constant('w', [5, 3, 1, 1], uniform(random, 15, 0.6))], {}, 'pw')], {}, 'relu');
    const y = b.node('Gemm', [b.node('Flatten', [conv], { axis: 1 }, 'flatten'), b.constant('w2', [20, 4], uniform(random, 80, 0.5))], {}, 'fc');
    check(b.output(y).build(), [conv, y]);
  });
});

describe('quantizeGraph: transformer parts', () => {
  const random = new Random(21);
  const matmul = (b: GraphBuilder, x: string, name: string, k: number, n: number): string => b.node('MatMul', [x, b.constant(`${name}_w`, [k, n], uniform(random, k * n, 0.5))], {}, name);

  it('a constant Mul after a MatMul is folded into its weights, a negative factor as well', () => {
    const b = new GraphBuilder();
    const y = b.node('Mul', [matmul(b, b.input('x', [1, 4, 8]), 'mm', 8, 6), b.constant('factor', [6], [0.5, -2, 1, 3, -0.25, 1])], {}, 'scale');
    const network = check(b.output(y).build(), [y]);
    expect(network.nodes).toHaveLength(1);
  });

  it('a constant added after a fused ReLU is an AddNode reading a constant tensor', () => {
    const b = new GraphBuilder();
    const conv = b.node('Relu', [b.node('Conv', [b.input('x', [1, 3, 4, 4]), b.constant('w', [4, 3, 1, 1], uniform(random, 12, 0.6))], {}, 'pw')], {}, 'relu');
    const y = b.node('Add', [conv, b.constant('shift', [1, 4, 1, 1], [1, -2, 0.5, 0])], {}, 'shift_add');
    const network = check(b.output(y).build(), [y]);
    expect(network.nodes.map((n) => n.op)).toEqual(['layer', 'add']);
    expect(network.constants!.get('shift')).toHaveLength(4 * 4 * 4);
  });

  it('single-head attention: scores with K read as weights, the scale folded, softmax, P times V transposed', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 6, 8]);
    const [q, k, v] = ['q', 'k', 'v'].map((name) => matmul(b, x, name, 8, 4)) as [string, string, string];
    const scores = b.node('Mul', [b.node('MatMul', [q, b.node('Transpose', [k], { perm: [0, 2, 1] }, 'kt')], {}, 'qk'), b.constant('d', [], [0.5])], {}, 'scaled');
    const probs = b.node('Softmax', [scores], { axis: 2 }, 'softmax');
    const y = b.node('MatMul', [probs, v], {}, 'pv');
    const network = check(b.output(y).build(), [scores, probs, y]);
    expect(network.nodes.map((n) => n.op)).toEqual(['layer', 'layer', 'layer', 'layer', 'softmax', 'transpose', 'layer']);
    expect(layers(network).filter((n) => n.weightTensor)).toMatchObject([{ input: q, weightTensor: k, output: scores }, { input: probs, weightTensor: `${v}^T`, output: y }]);
  });

  it('a class token concatenated before the tokens, a position embedding, the class token selected for a classifier', () => {
    const b = new GraphBuilder();
    const tokens = matmul(b, b.input('x', [1, 4, 8]), 'embed', 8, 6);
    const sequence = b.node('Concat', [b.constant('cls', [1, 1, 6], uniform(random, 6, 1)), tokens], { axis: 1 }, 'cat');
    const embedded = b.node('Add', [sequence, b.constant('pos', [1, 5, 6], uniform(random, 30, 0.5))], {}, 'position');
    const picked = b.node('Reshape', [b.node('MatMul', [b.constant('first', [1, 5], [1, 0, 0, 0, 0]), embedded], {}, 'select')], { shape: [1, 6] }, 'squeeze');
    const y = b.node('Gemm', [picked, b.constant('head_w', [6, 3], uniform(random, 18, 0.5))], {}, 'head');
    const network = check(b.output(y).build(), [embedded, picked, y]);
    expect(network.tensors.get(tokens)!.view).toEqual({ parent: sequence, pixelOffset: 1, channelOffset: 0 });
    expect(network.tensors.get('cls')!.view).toEqual({ parent: sequence, pixelOffset: 0, channelOffset: 0 });
    expect(layers(network).at(-1)).toMatchObject({ input: `${embedded}[0:1,0:6]`, spec: { kind: 'fc' } });
  });
});

describe('quantizeGraph: attention written as timm writes it', () => {
  it('Q scaled after the head split (the same bytes at another scale), two heads merged back into one token matrix', () => {
    const { graph, values } = timmAttention();
    const { q, scores, probs, context, merged, y } = values;
    const network = check(graph, [q, scores, probs, context, y]);
    const qTensor = network.tensors.get(q)!;
    expect(qTensor.view).toEqual({ parent: 'q_out', pixelOffset: 0, channelOffset: 0 });
    expect(qTensor.scale).toBeCloseTo(network.tensors.get('q_out')!.scale * 0.5, 12);
    // The projection reads the merged heads as they were written: no copy.
    expect(network.placements.get(merged)!.tensor).toBe(context);
    expect(network.nodes.map((n) => n.op).filter((op) => op !== 'layer')).toEqual(['softmax', 'transpose', 'transpose']);
  });
});
