// The golden network against onnxruntime running the same quantized model (sw/net/export-qdq.ts)
// on the same quantized inputs (docs/compiler.md#checking-the-golden-network-against-onnxruntime;
// the Vision Transformers in onnxruntime-vit.test.ts). The single-operator models are
// compared isolated (each node reads the golden run's tensors in both runs), so only the rounding
// conventions separate them: the kernels round twice, half up (acc / 2^shift, at most multiplier / 2^16 < 0.5 of an
// output step, then the Q15 product, half a step); QuantizeLinear rounds the float result once,
// half to even (half a step, plus float32's error). The two are thus at most 1 step apart, and a
// maximum commutes with the scale exactly.
import { describe, expect, it } from 'vitest';
import type { Graph } from '../../sw/onnx/graph.js';
import { readOnnx } from '../../sw/onnx/read.js';
import { smallResNetOnnx } from '../../sw/onnx/zoo/resnet.js';
import { exportQdq } from '../../sw/net/export-qdq.js';
import type { LayerNode, Network } from '../../sw/net/graph.js';
import { compareWithOnnxruntime, type GraphOptimization, type OutputDifference } from '../../sw/net/onnxruntime-check.js';
import { quantizeGraph, randomCalibration, type QuantizedNetwork } from '../../sw/net/quantize/index.js';
import { Random } from '../../util/random.js';
import { GraphBuilder, uniform } from './support.js';

const random = new Random(31);
const weights = (b: GraphBuilder, name: string, dims: number[]): string => b.constant(name, dims, uniform(random, dims.reduce((a, d) => a * d, 1), 0.5));
const bias = (b: GraphBuilder, name: string, n: number): string => b.constant(name, [n], uniform(random, n, 0.3));

/** Inputs in [0, 1): the network input is uint8. */
const positive = (graph: Graph, count: number, seed: number): Float32Array[] =>
  randomCalibration(graph, count, seed).map((x) => x.map((v) => Math.abs(v) / (1 + Math.abs(v))));

interface SingleOp {
  readonly name: string;
  readonly graph: () => Graph;
  /** Inputs for calibration (seed 1) and for the comparison (seed 2). */
  readonly inputs?: (graph: Graph, count: number, seed: number) => Float32Array[];
  /** Largest difference the conventions allow, in output steps. */
  readonly allowed: number;
}

const SINGLE_OPS: readonly SingleOp[] = [
  {
    name: 'conv 3x3, stride 2, padded (int8 output)',
    graph: () => {
      const b = new GraphBuilder('conv.onnx');
      return b.output(b.node('Conv', [b.input('x', [1, 3, 9, 8]), weights(b, 'w', [6, 3, 3, 3]), bias(b, 'b', 6)], { pads: [1, 1, 1, 1], strides: [2, 2] }, 'conv')).build();
    },
    allowed: 1,
  },
  {
    name: 'conv + ReLU (uint8 output) on a uint8 input',
    graph: () => {
      const b = new GraphBuilder('conv-relu.onnx');
      const conv = b.node('Conv', [b.input('x', [1, 4, 7, 7]), weights(b, 'w', [8, 4, 3, 3]), bias(b, 'b', 8)], { pads: [1, 1, 1, 1] }, 'conv');
      return b.output(b.node('Relu', [conv], {}, 'relu')).build();
    },
    inputs: positive,
    allowed: 1,
  },
  {
    name: 'depthwise conv + ReLU',
    graph: () => {
      const b = new GraphBuilder('dw.onnx');
      const conv = b.node('Conv', [b.input('x', [1, 6, 8, 8]), weights(b, 'w', [6, 1, 3, 3]), bias(b, 'b', 6)], { pads: [1, 1, 1, 1], group: 6 }, 'dw');
      return b.output(b.node('Relu', [conv], {}, 'relu')).build();
    },
    allowed: 1,
  },
  {
    // Compared isolated, the add reads the golden run's conv output in both runs: two operands of different scales.
    name: 'residual add + ReLU',
    graph: () => {
      const b = new GraphBuilder('add.onnx');
      const x = b.input('x', [1, 5, 6, 6]);
      const conv = b.node('Conv', [x, weights(b, 'w', [5, 5, 3, 3]), bias(b, 'b', 5)], { pads: [1, 1, 1, 1] }, 'conv');
      return b.output(b.node('Relu', [b.node('Add', [x, conv], {}, 'add')], {}, 'relu')).build();
    },
    allowed: 1,
  },
  {
    name: 'max pool 3x3, stride 2, padded',
    graph: () => {
      const b = new GraphBuilder('maxpool.onnx');
      return b.output(b.node('MaxPool', [b.input('x', [1, 4, 9, 9])], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }, 'maxpool')).build();
    },
    allowed: 0,
  },
  {
    name: 'average pool 3x3, stride 2, padding counted',
    graph: () => {
      const b = new GraphBuilder('avgpool.onnx');
      return b.output(b.node('AveragePool', [b.input('x', [1, 4, 9, 9])], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 }, 'avgpool')).build();
    },
    allowed: 1,
  },
  {
    name: 'global average pool of a uint8 input',
    graph: () => {
      const b = new GraphBuilder('gap.onnx');
      return b.output(b.node('GlobalAveragePool', [b.input('x', [1, 16, 5, 5])], {}, 'gap')).build();
    },
    inputs: positive,
    allowed: 1,
  },
  {
    name: 'Gemm of a vector',
    graph: () => {
      const b = new GraphBuilder('gemm.onnx');
      return b.output(b.node('Gemm', [b.input('x', [1, 40]), weights(b, 'w', [12, 40]), bias(b, 'b', 12)], { transB: 1 }, 'fc')).build();
    },
    allowed: 1,
  },
  {
    // The Gemm reads the image's HWC bytes as a whole-input convolution, its weight columns permuted.
    name: 'Flatten of an image + Gemm',
    graph: () => {
      const b = new GraphBuilder('flatten-gemm.onnx');
      const flat = b.node('Flatten', [b.input('x', [1, 3, 4, 5])], { axis: 1 }, 'flatten');
      return b.output(b.node('Gemm', [flat, weights(b, 'w', [60, 7]), bias(b, 'b', 7)], {}, 'fc')).build();
    },
    allowed: 1,
  },
  {
    name: 'MatMul of tokens + bias',
    graph: () => {
      const b = new GraphBuilder('tokens.onnx');
      const product = b.node('MatMul', [b.input('x', [1, 6, 16]), weights(b, 'w', [16, 10])], {}, 'matmul');
      return b.output(b.node('Add', [product, bias(b, 'b', 10)], {}, 'bias_add')).build();
    },
    allowed: 1,
  },
];

/**
 * quantize_static's symmetric per-channel weight scales, max |w| / 127 per output channel of the
 * float weights of the graph node the layer comes from (Conv: axis 0; Gemm with transB: rows;
 * Gemm or MatMul without: columns).
 */
function calibratedWeightScales(graph: Graph): (layer: LayerNode) => Float64Array {
  return (layer) => {
    const node = graph.nodes.find((n) => n.name === layer.name)!;
    const weights = graph.constants.get(node.inputs[1]!)!;
    const byColumn = node.op !== 'Conv' && node.attributes.get('transB') !== 1;
    const channels = byColumn ? weights.dims[1]! : weights.dims[0]!;
    const peaks = new Float64Array(channels);
    weights.data.forEach((w, i) => {
      const channel = byColumn ? i % channels : Math.floor(i / (weights.data.length / channels));
      peaks[channel] = Math.max(peaks[channel]!, Math.abs(w));
    });
    return peaks.map((peak) => peak / 127);
  };
}

async function compareSingle(op: SingleOp, optimization: GraphOptimization): Promise<{ network: Network; tensors: readonly OutputDifference[] }> {
  const graph = op.graph();
  const inputsOf = op.inputs ?? randomCalibration;
  const network = quantizeGraph(graph, inputsOf(graph, 8, 1));
  const report = await compareWithOnnxruntime(network, inputsOf(graph, 10, 2), { optimization, isolated: true });
  return { network, tensors: report.tensors! };
}

describe('the golden network against onnxruntime', () => {
  for (const op of SINGLE_OPS) {
    it(`${op.name}: every element within ${op.allowed} output step, onnxruntime's float and fused integer paths alike`, async () => {
      for (const optimization of ['disabled', 'all'] as const) {
        const { network, tensors } = await compareSingle(op, optimization);
        const output = network.outputs[0]!;
        const difference = tensors.find((t) => t.tensor === output)!;
        expect(difference.elements).toBeGreaterThan(0);
        expect(difference.max, `${optimization}: ${JSON.stringify(difference)}`).toBeLessThanOrEqual(op.allowed);
        // A node before the one under test (the add's conv) is held to the same bound.
        for (const other of tensors) expect(other.max, other.tensor).toBeLessThanOrEqual(1);
      }
    });
  }

  it('sees the two roundings part: some convolution outputs differ by one step', async () => {
    // The kernels' first rounding (of acc / 2^shift, worth up to multiplier / 2^16 of an output
    // step) moves a few results across a half step that onnxruntime's single rounding does not.
    const { tensors } = await compareSingle(SINGLE_OPS[0]!, 'disabled');
    expect(tensors[0]!.offByOne).toBeGreaterThan(0);
  });

  const smallResNet = (): { graph: Graph; network: QuantizedNetwork } => {
    const graph = readOnnx(smallResNetOnnx(1), 'small-resnet.onnx');
    return { graph, network: quantizeGraph(graph, randomCalibration(graph, 8, 2)) };
  };

  it('smallResNet: the first layer within 1 step, the logits within 1 step and the same top-1 class on 20 random inputs', async () => {
    const { graph, network } = smallResNet();
    const report = await compareWithOnnxruntime(network, randomCalibration(graph, 20, 3), { everyTensor: true });
    const first = report.tensors!.find((t) => t.tensor === network.nodes[0]!.output)!;
    expect(first.max).toBeLessThanOrEqual(1);
    // Measured, not guaranteed: differences grow along the network (the second residual add
    // brings int8 inputs to a uint8 output, doubling an input's step: up to 4 steps there), and the
    // global average pool averages them out again (docs/compiler.md#checking-the-golden-network-against-onnxruntime).
    expect(report.outputs[0]!.max).toBeLessThanOrEqual(1);
    expect(report.top1Agreements).toBe(20);
    expect(report.tensors!.some((t) => t.max > 1)).toBe(true);
  });

  it('smallResNet, each node given the golden inputs: every node within 1 step', async () => {
    const { graph, network } = smallResNet();
    const report = await compareWithOnnxruntime(network, randomCalibration(graph, 10, 3), { isolated: true });
    expect(report.tensors!.map((t) => t.tensor)).toEqual(network.nodes.map((node) => node.output));
    for (const tensor of report.tensors!) expect(tensor.max, tensor.tensor).toBeLessThanOrEqual(1);
  });

  it("smallResNet with quantize_static's weight scales (max |w| / 127), each node isolated: every node within 1 step", async () => {
    // At these scales the kernels' result is within 0.6 of a step of the exact one (the quantizer's
    // bound, its multipliers' approximation included), onnxruntime's within 0.5: at most 1 apart.
    const { graph, network } = smallResNet();
    const report = await compareWithOnnxruntime(network, randomCalibration(graph, 10, 3), { isolated: true, weightScales: calibratedWeightScales(graph) });
    for (const tensor of report.tensors!) expect(tensor.max, tensor.tensor).toBeLessThanOrEqual(1);
  });

  it('refuses a network it cannot write, naming what: a tensor its written views do not cover', () => {
    // Two of the three rows of 'p' are written (a transpose into a view); runGolden would read zeros in the third.
    const int8 = (h: number, c: number, view?: { parent: string; pixelOffset: number; channelOffset: number }) => ({ shape: { h, w: 1, c }, signed: true, scale: 1, ...(view ? { view } : {}) });
    const tensors = { x: int8(3, 2), t: int8(2, 3, { parent: 'p', pixelOffset: 0, channelOffset: 0 }), p: int8(3, 3), y: int8(3, 3) };
    const network: Network = { name: 'attention', input: 'x', outputs: ['y'], tensors: new Map(Object.entries(tensors).map(([name, t]) => [name, { name, ...t }])),
      nodes: [{ op: 'transpose', name: 't1', input: 'x', output: 't' }, { op: 'transpose', name: 't2', input: 'p', output: 'y' }] };
    expect(() => exportQdq(network)).toThrow("attention: the QDQ export does not support tensor 'p', whose written views ('t') are no concatenation of whole pixels or whole channels covering it");
  });
});
