// QOperator models (QLinearConv, QLinearMatMul, QLinearGlobalAveragePool, Relu and Flatten on int8
// tensors) read through their QDQ form: the network keeps the model's integers and scales and runs
// close to the model's fake-quantized evaluation.
import { describe, expect, it } from 'vitest';
import { evaluateFloat } from '../../sw/net/float-eval.js';
import type { LayerNode } from '../../sw/net/graph.js';
import { runGolden } from '../../sw/net/golden.js';
import { dequantizeValue, qOperatorToQdq, quantizeGraph, quantizeInput, randomCalibration } from '../../sw/net/quantize/index.js';
import { convSource, gather } from '../../sw/net/quantize/weights.js';
import type { AttributeValue, CanonicalOp, ElementType, Graph, GraphNode, Tensor, ValueInfo } from '../../sw/onnx/graph.js';
import { Random } from '../../util/random.js';
import { expectConsistent, maxDifference } from './support.js';

const random = new Random(31);
const ints = (count: number, max: number): number[] => Array.from({ length: count }, () => random.below(2 * max + 1) - max);

const conv = { q: ints(4 * 3 * 9, 127), s: [0.004, 0.003, 0.005, 0.0035], bias: ints(4, 2000) };
const matmul = { q: ints(4 * 5, 127), s: [0.01, 0.012, 0.009, 0.011, 0.008] };
const scales = { x: 0.03, conv: 0.05, gap: 0.02, y: 0.04 };

/** x -> QuantizeLinear -> QLinearConv 3x3 -> Relu (int8) -> QLinearGlobalAveragePool -> Flatten -> QLinearMatMul -> DequantizeLinear. */
function model(extra: GraphNode[] = []): Graph {
  const constants = new Map<string, Tensor>();
  const values = new Map<string, ValueInfo>();
  const constant = (name: string, dims: number[], data: number[], type: ElementType): string => {
    const arrays = { float32: Float32Array, int8: Int8Array, int32: Int32Array } as Record<string, { from(d: number[]): Tensor['data'] }>;
    constants.set(name, { type, dims, data: arrays[type]!.from(data) });
    return name;
  };
  const value = (name: string, dims: number[], type: ElementType = 'int8'): string => {
    values.set(name, { name, type, dims });
    return name;
  };
  const nodes: GraphNode[] = [];
  const node = (name: string, op: CanonicalOp, inputs: string[], output: string, attributes: Record<string, AttributeValue> = {}): string => {
    nodes.push({ name, op, inputs, outputs: [output], attributes: new Map(Object.entries(attributes)) });
    return output;
  };
  const zero = constant('zero', [], [0], 'int8');
  const scale = (name: string, s: number): string => constant(`${name}_scale`, [], [s], 'float32');
  const x = node('x_Q', 'QuantizeLinear', [value('x', [1, 3, 6, 6], 'float32'), scale('x', scales.x), zero], value('x_q', [1, 3, 6, 6]));
  const weights = [constant('w1', [4, 3, 3, 3], conv.q, 'int8'), constant('w1_scale', [4], conv.s, 'float32'), constant('w1_zero', [4], [0, 0, 0, 0], 'int8')];
  const c = node('conv', 'QLinearConv', [x, 'x_scale', zero, ...weights, scale('conv', scales.conv), zero, constant('b1', [4], conv.bias, 'int32')], value('conv_q', [1, 4, 6, 6]), { pads: [1, 1, 1, 1] });
  const r = node('relu', 'Relu', [c], value('relu_q', [1, 4, 6, 6]));
  const g = node('gap', 'QLinearGlobalAveragePool', [r, 'conv_scale', zero, scale('gap', scales.gap), zero], value('gap_q', [1, 4, 1, 1]), { channels_last: 0 });
  const f = node('flatten', 'Flatten', [g], value('flat_q', [1, 4]), { axis: 1 });
  const w2 = [constant('w2', [4, 5], matmul.q, 'int8'), constant('w2_scale', [5], matmul.s, 'float32'), constant('w2_zero', [5], [0, 0, 0, 0, 0], 'int8')];
  const m = node('mm', 'QLinearMatMul', [f, 'gap_scale', zero, ...w2, scale('y', scales.y), zero], value('mm_q', [1, 5]));
  const y = node('y_DQ', 'DequantizeLinear', [m, 'y_scale', zero], value('y', [1, 5], 'float32'));
  for (const n of extra) nodes.push(n);
  return { source: 'qop.onnx', inputs: [values.get('x')!], outputs: [values.get(y)!], constants, nodes, values };
}

describe('QOperator models', () => {
  it('keep their integers and scales; the ReLU on int8 fuses into the convolution, the Flatten is an alias', () => {
    const graph = model();
    const network = quantizeGraph(graph, []);
    expectConsistent(network);
    expect(network.nodes.map((n) => `${n.op} ${n.name}`)).toEqual(['layer conv', 'avgpool gap', 'layer mm']);
    const [c, , m] = network.nodes as [LayerNode, unknown, LayerNode];
    expect(Array.from(c.weights)).toEqual(Array.from(gather(Int8Array.from(conv.q), convSource([4, 3, 3, 3]))));
    expect(c.quantization.map((q) => q.bias)).toEqual(conv.bias);
    expect(c.spec).toMatchObject({ kind: 'conv', output: 'int8', relu: true });
    // MatMul's weight is [K, N]: channel o of the layer is column o.
    expect(Array.from(m.weights)).toEqual(Array.from({ length: 20 }, (_, i) => matmul.q[(i % 4) * 5 + Math.floor(i / 4)]!));
    expect(m.spec).toMatchObject({ kind: 'fc', inC: 4, outC: 5 });
    expect(network.tensors.get(m.output)!.scale).toBe(Math.fround(scales.y));

    const input = randomCalibration(graph, 1, 4)[0]!;
    const golden = runGolden(network, quantizeInput(network, input));
    const reference = evaluateFloat(qOperatorToQdq(graph), [input]);
    const error = maxDifference(dequantizeValue(network, m.output, golden), reference.get('y')!.data) / Math.fround(scales.y);
    expect(error).toBeLessThanOrEqual(1 + 1e-3);
  });

  it('a QLinear operator without integer lowering is an error naming the node', () => {
    const mul: GraphNode = { name: 'qmul', op: 'QLinearMul', inputs: ['mm_q', 'y_scale', 'zero', 'mm_q', 'y_scale', 'zero', 'y_scale', 'zero'], outputs: ['sq'], attributes: new Map() };
    expect(() => quantizeGraph(model([mul]), [])).toThrow("qop.onnx: node 'qmul': QLinearMul: QLinearMul of the quantized 'mm_q' is not yet supported by the integer lowering");
  });
});
