/** Constant folding: shape subgraphs vanish and the values they compute are the ONNX ones. */
import { describe, expect, test } from 'vitest';
import { OnnxBuilder } from '../../sw/onnx/builder.js';
import type { Tensor } from '../../sw/onnx/graph.js';
import { readOnnx } from '../../sw/onnx/read.js';
import { makeTensor } from '../../sw/onnx/tensor.js';

const ints = (values: readonly number[]): Tensor => makeTensor('int64', [values.length], values);
const int = (value: number): Tensor => makeTensor('int64', [], [value]);

/**
 * x [1, 2, 3, 4] -> Reshape(x, shape computed by `shape`) -> output; returns the Reshape's
 * folded shape attribute after checking that it is the only node left.
 */
function foldedShape(shape: (b: OnnxBuilder, x: string) => string): readonly number[] {
  const b = new OnnxBuilder(13);
  const x = b.input('input', 'float32', ['batch', 2, 3, 4]);
  b.output(b.node('Reshape', [x, shape(b, x)]));
  const graph = readOnnx(b.toBytes(), 'fold.onnx');
  expect(graph.nodes.map((node) => node.op)).toEqual(['Reshape']);
  expect([...graph.constants.keys()]).toEqual([]);
  return graph.nodes[0]!.attributes.get('shape') as readonly number[];
}

describe('shape subgraphs fold into Reshape', () => {
  test('Shape, Gather, Unsqueeze, Concat (a head split)', () => {
    expect(foldedShape((b, x) => {
      const dim = (axis: number): string => b.node('Unsqueeze', [b.node('Gather', [b.node('Shape', [x]), b.constant(int(axis))]), b.constant(ints([0]))]);
      return b.node('Concat', [dim(0), dim(1), b.constant(ints([3, 2, 2]))], { axis: 0 });
    })).toEqual([1, 2, 3, 2, 2]);
  });

  test('Shape with start and end (opset 15), Slice, -1 and 0 resolved', () => {
    const b = new OnnxBuilder(15);
    const x = b.input('input', 'float32', ['batch', 2, 3, 4]);
    const leading = b.node('Shape', [x], { start: 0, end: 2 });
    const shape = b.node('Concat', [leading, b.constant(ints([-1]))], { axis: 0 });
    b.output(b.node('Reshape', [x, shape]));
    expect(readOnnx(b.toBytes(), 'fold.onnx').nodes[0]!.attributes.get('shape')).toEqual([1, 2, 12]);
    expect(foldedShape((bb, xx) => bb.node('Concat', [bb.node('Slice', [bb.node('Shape', [xx]), bb.constant(ints([0])), bb.constant(ints([1]))]), bb.constant(ints([0, -1]))], { axis: 0 })))
      .toEqual([1, 2, 12]);
  });

  test('Equal, Where, ConstantOfShape (torch resolving expand(-1))', () => {
    expect(foldedShape((b) => {
      const target = b.constant(ints([1, -1, 12]));
      const ones = b.node('ConstantOfShape', [b.constant(ints([3]))], { value: makeTensor('int64', [1], [2]) });
      return b.node('Where', [b.node('Equal', [target, b.constant(int(-1))]), ones, target]);
    })).toEqual([1, 2, 12]);
  });

  test('integer arithmetic: Mul, Div, Add, Sub, Cast, Range, Size', () => {
    expect(foldedShape((b, x) => {
      const shape = b.node('Shape', [x]);
      const at = (axis: number): string => b.node('Gather', [shape, b.constant(ints([axis]))]);
      const area = b.node('Mul', [at(2), at(3)]);
      const half = b.node('Div', [b.node('Add', [area, b.constant(ints([1]))]), b.constant(ints([2]))]);
      const counted = b.node('Cast', [b.node('Cast', [b.node('Size', [x])], { to: 1 })], { to: 7 });
      const two = b.node('Div', [counted, b.node('Mul', [half, b.constant(ints([2]))])]);
      const range = b.node('Range', [b.constant(int(0)), b.constant(int(2)), b.constant(int(1))]);
      const one = b.node('Sub', [b.node('Gather', [range, b.constant(ints([1]))]), b.constant(ints([0]))]);
      return b.node('Concat', [one, two, b.constant(ints([12]))], { axis: 0 });
    })).toEqual([1, 2, 12]);
  });

  test('Expand, Transpose, Squeeze of constants', () => {
    expect(foldedShape((b) => {
      const grid = b.node('Expand', [b.constant(makeTensor('int64', [1, 3], [1, 2, 12])), b.constant(ints([2, 3]))]);
      const columns = b.node('Transpose', [grid], { perm: [1, 0] });
      return b.node('Squeeze', [b.node('Slice', [columns, b.constant(ints([0])), b.constant(ints([1])), b.constant(ints([1]))]), b.constant(ints([1]))]);
    })).toEqual([1, 2, 12]);
  });
});

describe('constants of every kind', () => {
  test('Constant value_ints, value_float and float arithmetic fold; the result feeds a node', () => {
    const b = new OnnxBuilder(13);
    const x = b.input('input', 'float32', [1, 3]);
    const scale = b.node('Sqrt', [b.node('Constant', [], { value_floats: [4, 9, 16] })]);
    const shift = b.node('Neg', [b.node('Constant', [], { value_float: 0.5 })]);
    b.output(b.node('Add', [b.node('Mul', [x, scale]), shift]));
    const graph = readOnnx(b.toBytes(), 'fold.onnx');
    expect(graph.nodes.map((node) => node.op)).toEqual(['Mul', 'Add']);
    expect(Array.from(graph.constants.get(graph.nodes[0]!.inputs[1]!)!.data)).toEqual([2, 3, 4]);
    expect(Array.from(graph.constants.get(graph.nodes[1]!.inputs[1]!)!.data)).toEqual([-0.5]);
  });

  test('QDQ nodes do not fold: DequantizeLinear of constant weights stays for the quantizer', () => {
    const b = new OnnxBuilder(13);
    const x = b.input('input', 'float32', [1, 2, 4, 4]);
    const scale = b.initializer('scale', makeTensor('float32', [], [0.05]));
    const zero = b.initializer('zero', makeTensor('int8', [], [0]));
    const dq = (value: string): string => b.node('DequantizeLinear', [b.node('QuantizeLinear', [value, scale, zero]), scale, zero]);
    const weight = b.node('DequantizeLinear', [b.initializer('w_q', makeTensor('int8', [3, 2, 1, 1], [1, -2, 3, -4, 5, -6])), scale, zero]);
    b.output(b.node('Conv', [dq(x), weight]));
    const graph = readOnnx(b.toBytes(), 'qdq.onnx');
    expect(graph.nodes.map((node) => node.op)).toEqual(['DequantizeLinear', 'QuantizeLinear', 'DequantizeLinear', 'Conv']);
    expect(graph.nodes[0]!.inputs[0]).toBe('w_q');
    expect(graph.values.get(graph.nodes[1]!.outputs[0]!)).toMatchObject({ type: 'int8', dims: [1, 2, 4, 4] });
    expect(graph.nodes[1]!.attributes.has('axis')).toBe(false);
    expect(graph.outputs[0]!.dims).toEqual([1, 3, 4, 4]);
  });

  test('QOperator nodes pass through with their shapes (QLinearConv, com.microsoft QLinearAdd and QLinearGlobalAveragePool)', () => {
    const b = new OnnxBuilder(13);
    const x = b.input('input', 'uint8', [1, 2, 4, 4]);
    const scale = b.initializer('s', makeTensor('float32', [], [0.1]));
    const zero = b.initializer('z', makeTensor('uint8', [], [128]));
    const weightZero = b.initializer('wz', makeTensor('int8', [], [0]));
    const conv = b.node('QLinearConv', [x, scale, zero, b.initializer('w', makeTensor('int8', [4, 2, 3, 3], new Array(72).fill(1))), scale, weightZero, scale, zero], { pads: [1, 1, 1, 1] });
    const sum = b.node('QLinearAdd', [conv, scale, zero, conv, scale, zero, scale, zero]);
    b.output(b.node('QLinearGlobalAveragePool', [sum, scale, zero, scale, zero], { channels_last: 0 }));
    const graph = readOnnx(b.toBytes(), 'qop.onnx');
    expect(graph.nodes.map((node) => node.op)).toEqual(['QLinearConv', 'QLinearAdd', 'QLinearGlobalAveragePool']);
    expect(graph.nodes[0]!.attributes.get('strides')).toEqual([1, 1]);
    expect(graph.outputs[0]).toMatchObject({ type: 'uint8', dims: [1, 4, 1, 1] });
  });
});
