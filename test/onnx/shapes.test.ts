/** Shape inference and defaults, one row per op: the canonical graph's output type and dims. */
import { describe, expect, test } from 'vitest';
import { OnnxBuilder } from '../../sw/onnx/builder.js';
import type { ElementType, Tensor } from '../../sw/onnx/graph.js';
import { readOnnx } from '../../sw/onnx/read.js';
import { makeTensor } from '../../sw/onnx/tensor.js';

const zeros = (type: ElementType, dims: number[]): Tensor => makeTensor(type, dims, new Array<number>(dims.reduce((a, b) => a * b, 1)).fill(0));

interface Row {
  readonly name: string;
  readonly input: [ElementType, number[]];
  readonly write: (b: OnnxBuilder, x: string) => string;
  readonly output: [ElementType, number[]];
  readonly opset?: number;
}

let parameters = 0;
/** The quantization parameters a QOperator node takes: a scale and a zero point of `type`. */
const q = (b: OnnxBuilder, type: ElementType = 'uint8'): [string, string] => {
  const id = parameters++;
  return [b.initializer(`s${id}`, makeTensor('float32', [], [0.1])), b.initializer(`z${id}`, zeros(type, []))];
};

const ROWS: Row[] = [
  { name: 'Conv depthwise, stride 2', input: ['float32', [1, 4, 9, 9]], write: (b, x) => b.node('Conv', [x, b.initializer('w', zeros('float32', [4, 1, 3, 3]))], { group: 4, strides: [2, 2], pads: [1, 1, 1, 1] }), output: ['float32', [1, 4, 5, 5]] },
  { name: 'Conv auto_pad VALID', input: ['float32', [1, 2, 7, 7]], write: (b, x) => b.node('Conv', [x, b.initializer('w', zeros('float32', [3, 2, 3, 3]))], { auto_pad: 'VALID' }), output: ['float32', [1, 3, 5, 5]] },
  { name: 'MaxPool with a ceil_mode that changes nothing', input: ['float32', [1, 2, 8, 8]], write: (b, x) => b.node('MaxPool', [x], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }), output: ['float32', [1, 2, 4, 4]] },
  { name: 'AveragePool 3x3/2 with pads', input: ['float32', [1, 2, 8, 8]], write: (b, x) => b.node('AveragePool', [x], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] }), output: ['float32', [1, 2, 4, 4]] },
  { name: 'Gemm transB', input: ['float32', [1, 6]], write: (b, x) => b.node('Gemm', [x, b.initializer('w', zeros('float32', [5, 6]))], { transB: 1 }), output: ['float32', [1, 5]] },
  { name: 'MatMul broadcasting batch dims', input: ['float32', [1, 3, 4, 6]], write: (b, x) => b.node('MatMul', [x, b.initializer('w', zeros('float32', [6, 2]))]), output: ['float32', [1, 3, 4, 2]] },
  { name: 'Flatten axis 2', input: ['float32', [1, 3, 4, 5]], write: (b, x) => b.node('Flatten', [x], { axis: 2 }), output: ['float32', [3, 20]] },
  { name: 'Concat axis -1 with a constant', input: ['float32', [1, 3, 4]], write: (b, x) => b.node('Concat', [x, b.initializer('c', zeros('float32', [1, 3, 2]))], { axis: -1 }), output: ['float32', [1, 3, 6]] },
  { name: 'Softmax under opset 11 on the last axis', input: ['float32', [1, 3, 4]], write: (b, x) => b.node('Softmax', [x], { axis: 2 }), output: ['float32', [1, 3, 4]], opset: 11 },
  { name: 'MatMulInteger', input: ['uint8', [1, 4, 6]], write: (b, x) => b.node('MatMulInteger', [x, b.initializer('w', zeros('int8', [6, 3]))]), output: ['int32', [1, 4, 3]] },
  { name: 'ConvInteger', input: ['uint8', [1, 2, 5, 5]], write: (b, x) => b.node('ConvInteger', [x, b.initializer('w', zeros('int8', [3, 2, 3, 3]))]), output: ['int32', [1, 3, 3, 3]] },
  { name: 'QLinearMatMul to int8', input: ['uint8', [1, 4, 6]], write: (b, x) => b.node('QLinearMatMul', [x, ...q(b), b.initializer('w', zeros('int8', [6, 3])), ...q(b, 'int8'), ...q(b, 'int8')]), output: ['int8', [1, 4, 3]] },
  { name: 'QLinearMul broadcasting', input: ['uint8', [1, 4, 6]], write: (b, x) => b.node('QLinearMul', [x, ...q(b), b.initializer('c', zeros('uint8', [6])), ...q(b), ...q(b)]), output: ['uint8', [1, 4, 6]] },
  { name: 'QLinearConcat', input: ['uint8', [1, 2, 4, 4]], write: (b, x) => b.node('QLinearConcat', [...q(b), x, ...q(b), x, ...q(b)], { axis: 1 }), output: ['uint8', [1, 4, 4, 4]] },
  { name: 'QLinearSoftmax', input: ['uint8', [1, 4, 6]], write: (b, x) => b.node('QLinearSoftmax', [x, ...q(b), ...q(b)], { axis: -1, opset: 13 }), output: ['uint8', [1, 4, 6]] },
  { name: 'QLinearAveragePool', input: ['uint8', [1, 2, 8, 8]], write: (b, x) => b.node('QLinearAveragePool', [x, ...q(b), ...q(b)], { kernel_shape: [2, 2], strides: [2, 2] }), output: ['uint8', [1, 2, 4, 4]] },
];

describe('output shapes', () => {
  for (const row of ROWS) {
    test(row.name, () => {
      const b = new OnnxBuilder(row.opset ?? 13);
      b.output(row.write(b, b.input('input', row.input[0], ['batch', ...row.input[1].slice(1)])));
      const graph = readOnnx(b.toBytes(), 'shapes.onnx');
      expect(graph.outputs[0]).toMatchObject({ type: row.output[0], dims: row.output[1] });
    });
  }
});

test('Softmax under opset 11 on another axis is refused: it meant a softmax over the flattened trailing dims', () => {
  const b = new OnnxBuilder(11);
  b.output(b.node('Softmax', [b.input('input', 'float32', [1, 3, 4])], { axis: 1 }));
  expect(() => readOnnx(b.toBytes(), 'shapes.onnx')).toThrow(/shapes\.onnx: node 'Softmax_0' \(Softmax\): axis 1 under opset 11 softmaxes over the flattened trailing dims; only the last axis is supported/);
});
