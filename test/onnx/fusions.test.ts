/** Each fusion and canonical rewrite on a small model written as torch writes it. */
import { describe, expect, test } from 'vitest';
import { OnnxBuilder } from '../../sw/onnx/builder.js';
import type { Graph, Tensor } from '../../sw/onnx/graph.js';
import { readOnnx } from '../../sw/onnx/read.js';
import { makeTensor } from '../../sw/onnx/tensor.js';
import { encodeModel, writeOnnx } from '../../sw/onnx/write.js';
import { normalTensor, uniformTensor } from '../../sw/onnx/zoo/weights.js';
import { Random } from '../../util/random.js';
import { maxAbsDifference, opCounts, randomInput, runOnnx } from './support.js';

const scalar = (value: number): Tensor => makeTensor('float32', [], [value]);

/** The model and its canonical graph give the same outputs on onnxruntime. */
async function expectSameResults(bytes: Uint8Array, graph: Graph, tolerance = 1e-5): Promise<void> {
  const input = randomInput(graph, 11);
  const original = await runOnnx(bytes, input);
  const canonical = await runOnnx(writeOnnx(graph), input);
  for (const output of graph.outputs) expect(maxAbsDifference(original.get(output.name)!, canonical.get(output.name)!)).toBeLessThan(tolerance);
}

/** A direct NCHW convolution (batch 1, group 1) with bias, to check folded weights without onnxruntime. */
function conv2d(x: Tensor, w: Tensor, b: Tensor, pad: number): Float32Array {
  const [, channels, height, width] = x.dims as [number, number, number, number];
  const [outputs, , kh, kw] = w.dims as [number, number, number, number];
  const oh = height + 2 * pad - kh + 1;
  const ow = width + 2 * pad - kw + 1;
  const y = new Float32Array(outputs * oh * ow);
  for (let m = 0; m < outputs; m++) for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) {
    let sum = b.data[m]!;
    for (let c = 0; c < channels; c++) for (let u = 0; u < kh; u++) for (let v = 0; v < kw; v++) {
      const [r, s] = [i + u - pad, j + v - pad];
      if (r >= 0 && r < height && s >= 0 && s < width) sum += x.data[(c * height + r) * width + s]! * w.data[((m * channels + c) * kh + u) * kw + v]!;
    }
    y[(m * oh + i) * ow + j] = sum;
  }
  return y;
}

describe('BatchNormalization folds into the Conv before it', () => {
  const random = new Random(5);
  const b = new OnnxBuilder(13);
  const x = b.input('input', 'float32', ['batch', 2, 5, 5]);
  const weight = normalTensor(random, [3, 2, 3, 3], 0.5);
  const bias = normalTensor(random, [3], 0.1);
  const bn = {
    gamma: uniformTensor(random, [3], 0.5, 1.5), beta: normalTensor(random, [3], 0.2),
    mean: normalTensor(random, [3], 0.2), variance: uniformTensor(random, [3], 0.5, 2),
  };
  const conv = b.node('Conv', [x, b.initializer('w', weight), b.initializer('b', bias)], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] });
  const y = b.node('BatchNormalization', [conv, ...Object.entries(bn).map(([name, tensor]) => b.initializer(name, tensor))], { epsilon: 1e-3 });
  b.output(y, 'float32', ['batch', 3, 5, 5]);
  const bytes = b.toBytes();
  const graph = readOnnx(bytes, 'bn.onnx');

  test('one Conv remains, writing the BN output, with defaults filled', () => {
    expect(graph.nodes.map((node) => node.op)).toEqual(['Conv']);
    const node = graph.nodes[0]!;
    expect(node.outputs).toEqual([y]);
    expect(Object.fromEntries(node.attributes)).toEqual({ kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1], dilations: [1, 1], group: 1 });
    expect(graph.values.get(y)?.dims).toEqual([1, 3, 5, 5]);
  });

  test('the folded Conv computes conv then batch norm, by a direct convolution', () => {
    const node = graph.nodes[0]!;
    const input = uniformTensor(new Random(6), [1, 2, 5, 5], -1, 1);
    const folded = conv2d(input, graph.constants.get(node.inputs[1]!)!, graph.constants.get(node.inputs[2]!)!, 1);
    const plain = conv2d(input, weight, bias, 1);
    const expected = plain.map((value, i) => {
      const m = Math.floor(i / 25);
      return (value - bn.mean.data[m]!) / Math.sqrt(bn.variance.data[m]! + 1e-3) * bn.gamma.data[m]! + bn.beta.data[m]!;
    });
    expect(maxAbsDifference(folded, expected)).toBeLessThan(1e-5);
  });

  test('onnxruntime agrees', () => expectSameResults(bytes, graph));
});

/** Builds x -> f(x) -> output on a [1, 4, 6] input. */
function model(f: (b: OnnxBuilder, x: string) => string, opset = 13, dims: number[] = [1, 4, 6]): { bytes: Uint8Array; graph: Graph } {
  const b = new OnnxBuilder(opset);
  const x = b.input('input', 'float32', ['batch', ...dims.slice(1)]);
  b.output(f(b, x));
  const bytes = b.toBytes();
  return { bytes, graph: readOnnx(bytes, 'model.onnx') };
}

describe('Gelu from its Erf pattern, in each operand order', () => {
  const erfOf = (b: OnnxBuilder, x: string, scale: 'div' | 'mul'): string => b.node('Erf', [scale === 'div'
    ? b.node('Div', [x, b.constant(scalar(Math.SQRT2))])
    : b.node('Mul', [b.constant(scalar(Math.SQRT1_2)), x])]);
  const onePlus = (b: OnnxBuilder, erf: string): string => b.node('Add', [b.constant(scalar(1)), erf]);
  const orders: Record<string, (b: OnnxBuilder, x: string) => string> = {
    'torch: (x * (1 + erf)) * 0.5': (b, x) => b.node('Mul', [b.node('Mul', [x, onePlus(b, erfOf(b, x, 'div'))]), b.constant(scalar(0.5))]),
    '(x * 0.5) * (1 + erf), Mul by 1/sqrt2': (b, x) => b.node('Mul', [b.node('Mul', [x, b.constant(scalar(0.5))]), onePlus(b, erfOf(b, x, 'mul'))]),
    '((1 + erf) * 0.5) * x': (b, x) => b.node('Mul', [b.node('Mul', [onePlus(b, erfOf(b, x, 'div')), b.constant(scalar(0.5))]), x]),
  };
  for (const [name, write] of Object.entries(orders)) {
    test(name, async () => {
      const { bytes, graph } = model((b, x) => b.node('Relu', [write(b, x)]));
      expect(graph.nodes.map((node) => node.op)).toEqual(['Gelu', 'Relu']);
      expect(graph.nodes[0]!.inputs).toEqual(['input']);
      await expectSameResults(bytes, graph);
    });
  }

  test('an Erf pattern with another constant stays unfused, and Erf is reported', () => {
    expect(() => model((b, x) => b.node('Mul', [x, b.node('Add', [b.node('Erf', [b.node('Div', [x, b.constant(scalar(2))])]), b.constant(scalar(1))])])))
      .toThrow(/model\.onnx: node 'Erf_0' \(Erf\): op Erf is not supported; supported: Conv, Gemm/);
  });
});

describe('LayerNormalization from its ReduceMean pattern', () => {
  const pattern = (affine: boolean) => (b: OnnxBuilder, x: string): string => {
    const centred = b.node('Sub', [x, b.node('ReduceMean', [x], { axes: [-1] })]);
    const variance = b.node('ReduceMean', [b.node('Pow', [centred, b.constant(scalar(2))])], { axes: [-1] });
    const normalized = b.node('Div', [centred, b.node('Sqrt', [b.node('Add', [variance, b.constant(scalar(1e-5))])])]);
    if (!affine) return normalized;
    const random = new Random(3);
    return b.node('Add', [b.node('Mul', [normalized, b.initializer('gamma', uniformTensor(random, [6], 0.5, 1.5))]), b.initializer('beta', normalTensor(random, [6], 0.3))]);
  };

  test('with gamma and beta', async () => {
    const { bytes, graph } = model(pattern(true));
    expect(graph.nodes.map((node) => node.op)).toEqual(['LayerNormalization']);
    const node = graph.nodes[0]!;
    expect(node.inputs.slice(1)).toEqual(['gamma', 'beta']);
    expect(node.attributes.get('axis')).toBe(2);
    expect(node.attributes.get('epsilon')).toBeCloseTo(1e-5, 9);
    await expectSameResults(bytes, graph);
  });

  test('without an affine: unit scale and zero bias', async () => {
    const { bytes, graph } = model(pattern(false));
    expect(graph.nodes.map((node) => node.op)).toEqual(['LayerNormalization']);
    expect(Array.from(graph.constants.get(graph.nodes[0]!.inputs[1]!)!.data)).toEqual([1, 1, 1, 1, 1, 1]);
    await expectSameResults(bytes, graph);
  });

  test('the opset 17 op gets its defaults and a zero bias', () => {
    const { graph } = model((b, x) => b.node('LayerNormalization', [x, b.initializer('gamma', uniformTensor(new Random(1), [6], 0.5, 1.5))]), 17);
    const node = graph.nodes[0]!;
    expect(node.attributes.get('axis')).toBe(2);
    expect(node.attributes.get('epsilon')).toBe(1e-5);
    expect(Array.from(graph.constants.get(node.inputs[2]!)!.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('Pad folds into the pads of what reads it', () => {
  const zeroPad = (b: OnnxBuilder, x: string): string => b.node('Pad', [x, b.constant(makeTensor('int64', [8], [0, 0, 1, 2, 0, 0, 2, 1]))], { mode: 'constant' });
  const spatial = [1, 2, 6, 6];

  test('into a Conv', async () => {
    const { bytes, graph } = model((b, x) => b.node('Conv', [zeroPad(b, x), b.initializer('w', normalTensor(new Random(2), [3, 2, 3, 3], 0.5))], { pads: [1, 1, 1, 1] }), 13, spatial);
    expect(graph.nodes.map((node) => node.op)).toEqual(['Conv']);
    expect(graph.nodes[0]!.attributes.get('pads')).toEqual([2, 3, 3, 2]);
    await expectSameResults(bytes, graph);
  });

  test('into an AveragePool, which then counts the padding', async () => {
    const { bytes, graph } = model((b, x) => b.node('AveragePool', [zeroPad(b, x)], { kernel_shape: [3, 3], strides: [2, 2] }), 13, spatial);
    expect(graph.nodes.map((node) => node.op)).toEqual(['AveragePool']);
    expect(Object.fromEntries(graph.nodes[0]!.attributes)).toEqual({ kernel_shape: [3, 3], strides: [2, 2], pads: [1, 2, 2, 1], count_include_pad: 1, dilations: [1, 1] });
    await expectSameResults(bytes, graph);
  });

  test('into a MaxPool of a Relu output', async () => {
    const { bytes, graph } = model((b, x) => b.node('MaxPool', [zeroPad(b, b.node('Relu', [x]))], { kernel_shape: [3, 3], strides: [2, 2] }), 13, spatial);
    expect(graph.nodes.map((node) => node.op)).toEqual(['Relu', 'MaxPool']);
    expect(graph.nodes[1]!.attributes.get('pads')).toEqual([1, 2, 2, 1]);
    await expectSameResults(bytes, graph);
  });

  test('not into a pool whose padding would reach a whole window', () => {
    expect(() => model((b, x) => b.node('MaxPool', [zeroPad(b, b.node('Relu', [x]))], { kernel_shape: [2, 2] }), 13, spatial))
      .toThrow(/node 'Pad_0' \(Pad\): pads \[0,0,1,2,0,0,2,1\] would give MaxPool 'MaxPool_0' pads \[1,2,2,1\], not all smaller than its kernel \[2,2\]/);
  });

  test('not into a MaxPool of a value that may be negative', () => {
    expect(() => model((b, x) => b.node('MaxPool', [zeroPad(b, x)], { kernel_shape: [2, 2] }), 13, spatial))
      .toThrow(/node 'Pad_0' \(Pad\): is supported only before a single Conv, AveragePool, or MaxPool of a Relu output.*MaxPool 'MaxPool_0'/);
  });
});

describe('canonical rewrites', () => {
  test('Clip bounds become attributes', async () => {
    const { bytes, graph } = model((b, x) => b.node('Clip', [x, b.constant(scalar(0)), b.constant(scalar(6))]));
    expect(graph.nodes[0]!.inputs).toEqual(['input']);
    expect(Object.fromEntries(graph.nodes[0]!.attributes)).toEqual({ min: 0, max: 6 });
    await expectSameResults(bytes, graph);
  });

  test('a Clip with only a max gets min -Infinity', () => {
    const { graph } = model((b, x) => b.node('Clip', [x, '', b.constant(scalar(6))]));
    expect(Object.fromEntries(graph.nodes[0]!.attributes)).toEqual({ min: -Infinity, max: 6 });
  });

  test('Gemm alpha and beta fold into B and C', async () => {
    const random = new Random(8);
    const { bytes, graph } = model((b, x) => b.node('Gemm', [x, b.initializer('B', normalTensor(random, [5, 6], 1)), b.initializer('C', normalTensor(random, [5], 1))], { alpha: 0.5, beta: 2, transB: 1 }), 13, [1, 6]);
    expect(Object.fromEntries(graph.nodes[0]!.attributes)).toEqual({ alpha: 1, beta: 1, transA: 0, transB: 1 });
    await expectSameResults(bytes, graph);
  });

  test('Sub and Div by constants become Add and Mul', async () => {
    const random = new Random(9);
    const { bytes, graph } = model((b, x) => b.node('Div', [b.node('Sub', [x, b.initializer('mean', normalTensor(random, [6], 1))]), b.initializer('std', uniformTensor(random, [6], 0.5, 2))]));
    expect(graph.nodes.map((node) => node.op)).toEqual(['Add', 'Mul']);
    await expectSameResults(bytes, graph);
  });

  test('Identity, Dropout and a Cast to the same type disappear; Squeeze and Unsqueeze become Reshape', async () => {
    const { bytes, graph } = model((b, x) => {
      const kept = b.node('Dropout', [b.node('Identity', [x])]);
      const unsqueezed = b.node('Unsqueeze', [b.node('Cast', [kept], { to: 1 }), b.constant(makeTensor('int64', [1], [1]))]);
      return b.node('Relu', [b.node('Squeeze', [unsqueezed, b.constant(makeTensor('int64', [1], [1]))])]);
    });
    expect(graph.nodes.map((node) => node.op)).toEqual(['Reshape', 'Reshape', 'Relu']);
    expect(graph.nodes.map((node) => node.attributes.get('shape'))).toEqual([[1, 1, 4, 6], [1, 4, 6], undefined]);
    expect(graph.nodes[0]!.inputs).toEqual(['input']);
    await expectSameResults(bytes, graph);
  });

  test('a Gather of one token becomes a MatMul with a selection matrix and a Reshape', async () => {
    const { bytes, graph } = model((b, x) => b.node('Gather', [b.node('Relu', [x]), b.constant(makeTensor('int64', [], [-1]))], { axis: 1 }));
    expect(graph.nodes.map((node) => node.op)).toEqual(['Relu', 'MatMul', 'Reshape']);
    expect(graph.outputs[0]!.dims).toEqual([1, 6]);
    await expectSameResults(bytes, graph);
  });

  test('a Gather on a leading axis (timm\'s qkv.unbind(0)) moves the axis next to last and back', async () => {
    const { bytes, graph } = model((b, x) => {
      const heads = b.node('Reshape', [b.node('Relu', [x]), b.constant(makeTensor('int64', [4], [1, 4, 3, 2]))]);
      return b.node('Gather', [b.node('Transpose', [heads], { perm: [2, 0, 1, 3] }), b.constant(makeTensor('int64', [], [1]))], { axis: 0 });
    });
    expect(graph.nodes.map((node) => node.op)).toEqual(['Relu', 'Reshape', 'Transpose', 'Transpose', 'MatMul', 'Transpose', 'Reshape']);
    expect(graph.outputs[0]!.dims).toEqual([1, 4, 2]);
    await expectSameResults(bytes, graph);
  });

  test('an Identity writing a graph output goes, and the output keeps its name', async () => {
    const { bytes, graph } = model((b, x) => b.node('Identity', [b.node('Relu', [x])], {}, { name: 'out' }));
    expect(graph.nodes.map((node) => node.op)).toEqual(['Relu']);
    expect(graph.nodes[0]!.outputs).toEqual(['out_output_0']);
    await expectSameResults(bytes, graph);
  });

  test('the Gelu op of opset 20 is taken in its exact form only', () => {
    expect(model((b, x) => b.node('Gelu', [x]), 20).graph.nodes[0]!.attributes.size).toBe(0);
    expect(() => model((b, x) => b.node('Gelu', [x], { approximate: 'tanh' }), 20))
      .toThrow(/model\.onnx: node 'Gelu_0' \(Gelu\): attribute approximate tanh is not supported: only none \(the Erf form\)/);
  });

  test('a node without a name is called <op>_<index>', () => {
    const b = new OnnxBuilder(13);
    b.output(b.node('Relu', [b.input('input', 'float32', [1, 2])]));
    const message = b.model();
    message.graph!.node![0]!.name = '';
    expect(readOnnx(encodeModel(message), 'model.onnx').nodes[0]!.name).toBe('Relu_0');
  });

  test('a Slice of features becomes a MatMul', async () => {
    const { bytes, graph } = model((b, x) => b.node('Slice', [b.node('Relu', [x]), ...[[1], [6], [2], [2]].map((values) => b.constant(makeTensor('int64', [1], values)))]));
    expect(graph.nodes.map((node) => node.op)).toEqual(['Relu', 'MatMul']);
    expect(graph.outputs[0]!.dims).toEqual([1, 4, 3]);
    await expectSameResults(bytes, graph);
  });

  test('counts of a mixed model', () => {
    const { graph } = model((b, x) => b.node('Softmax', [b.node('Transpose', [x])]));
    expect(opCounts(graph)).toEqual({ Transpose: 1, Softmax: 1 });
    expect(graph.nodes[0]!.attributes.get('perm')).toEqual([2, 1, 0]);
    expect(graph.nodes[1]!.attributes.get('axis')).toBe(2);
  });
});
