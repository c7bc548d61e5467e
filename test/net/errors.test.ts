// What the integer lowering refuses, each with a message naming the node.
import { describe, expect, it } from 'vitest';
import { quantizeGraph, randomCalibration } from '../../sw/net/quantize/index.js';
import type { Graph } from '../../sw/onnx/graph.js';
import { Random } from '../../util/random.js';
import { GraphBuilder, uniform } from './support.js';

const random = new Random(12);
const weight = (b: GraphBuilder, name: string, dims: number[]): string => b.constant(name, dims, uniform(random, dims.reduce((a, d) => a * d, 1), 0.5));
const quantize = (graph: Graph) => quantizeGraph(graph, randomCalibration(graph, 2, 1));

/** input [1, 4, 4, 4] through a conv 3x3 (pad 1) named 'conv' with a fused ReLU. */
function convRelu(b: GraphBuilder): string {
  return b.node('Relu', [b.node('Conv', [b.input('x', [1, 4, 4, 4]), weight(b, 'w', [4, 4, 3, 3])], { pads: [1, 1, 1, 1] }, 'conv')], {}, 'relu');
}

describe('integer lowering errors', () => {
  it('a Mul of two activations', () => {
    const b = new GraphBuilder();
    const y = b.node('Gemm', [b.input('x', [1, 8]), weight(b, 'w', [8, 4])], {}, 'fc');
    expect(() => quantize(b.output(b.node('Mul', [y, y], {}, 'square')).build())).toThrow(
      "test.onnx: node 'square': Mul: multiplies 'fc_out' by 'fc_out': only a Mul by a per-channel constant folded into the Conv, Gemm or MatMul whose output only it reads, or by one positive constant, is supported",
    );
  });

  it('a MatMul of two activations that broadcasts', () => {
    const b = new GraphBuilder();
    const x = b.input('x', [1, 4, 4]);
    const y = b.node('MatMul', [x, b.node('Reshape', [x], { shape: [1, 1, 4, 4] }, 'batch')], {}, 'scores');
    expect(() => quantize(b.output(y).build())).toThrow("node 'scores': MatMul: multiplies [1, 4, 4] by [1, 1, 4, 4]: a MatMul of two activations must not broadcast");
  });

  it('a grouped convolution whose groups do not divide its channels', () => {
    const b = new GraphBuilder();
    const y = b.node('Conv', [b.input('x', [1, 6, 4, 4]), weight(b, 'w', [4, 2, 3, 3])], { group: 3 }, 'grouped');
    expect(() => quantize(b.output(y).build())).toThrow(/node 'grouped': Conv: .*group 3/);
  });

  it('a ReLU after a pool', () => {
    const b = new GraphBuilder();
    const y = b.node('Relu', [b.node('MaxPool', [convRelu(b)], { kernel_shape: [2, 2], strides: [2, 2] }, 'pool')], {}, 'late_relu');
    expect(() => quantize(b.output(y).build())).toThrow(/node 'late_relu': Relu: follows an output it cannot be fused into.*'pool_out' comes from MaxPool node 'pool'/);
  });

  it('an average pool that excludes its padding', () => {
    const b = new GraphBuilder();
    const y = b.node('AveragePool', [convRelu(b)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 0 }, 'avg');
    expect(() => quantize(b.output(y).build())).toThrow("node 'avg': AveragePool: count_include_pad 0 with padding is not supported");
  });

  it('a softmax of a uint8 tensor', () => {
    const b = new GraphBuilder();
    const y = b.node('Softmax', [convRelu(b)], { axis: -1 }, 'probs');
    expect(() => quantize(b.output(y).build())).toThrow("node 'probs': Softmax: its input 'relu_out' is uint8 (a fused ReLU or a softmax output); the integer Softmax takes int8");
  });

  it('a LayerNormalization over another axis than the last', () => {
    const b = new GraphBuilder();
    const x = b.node('Gemm', [b.input('x', [1, 8]), weight(b, 'w', [8, 4])], {}, 'fc');
    const y = b.node('LayerNormalization', [x, b.constant('g', [1, 4], [1, 1, 1, 1]), b.constant('beta', [1, 4], [0, 0, 0, 0])], { axis: 0, epsilon: 1e-5 }, 'norm');
    expect(() => quantize(b.output(y).build())).toThrow("node 'norm': LayerNormalization: axis 0 of [1, 4] is not the last");
  });

  it('a constant first operand of MatMul that selects no consecutive tokens', () => {
    const b = new GraphBuilder();
    const tokens = b.node('MatMul', [b.input('x', [1, 3, 4]), weight(b, 'w', [4, 4])], {}, 'embed');
    const y = b.node('MatMul', [b.constant('pick', [2, 3], [1, 0, 0, 0, 0, 1]), tokens], {}, 'select');
    expect(() => quantize(b.output(y).build())).toThrow("node 'select': MatMul: the constant 'pick' does not select consecutive tokens");
  });

  it('a convolution of an image flattened in CHW order', () => {
    const b = new GraphBuilder();
    const flat = b.node('Reshape', [b.node('Flatten', [b.input('x', [1, 2, 2, 2])], { axis: 1 }, 'flatten')], { shape: [1, 8, 1, 1] }, 'reshape');
    const y = b.node('Conv', [flat, weight(b, 'w', [4, 8, 1, 1])], {}, 'conv');
    expect(() => quantize(b.output(y).build())).toThrow("node 'conv': Conv: input 'reshape_out' is in the element order left by node 'flatten'");
  });
});
