/** The model zoo reads into canonical graphs of the expected structure and computes what its ONNX does. */
import { describe, expect, test } from 'vitest';
import type { Graph } from '../../sw/onnx/graph.js';
import { readOnnx } from '../../sw/onnx/read.js';
import { writeOnnx } from '../../sw/onnx/write.js';
import { resnet18Onnx, smallResNetOnnx } from '../../sw/onnx/zoo/resnet.js';
import { SMALL_VIT, smallVitOnnx, VIT_CIFAR, vitOnnx } from '../../sw/onnx/zoo/vit.js';
import { maxAbsDifference, opCounts, randomInput, runOnnx } from './support.js';

/** Runs the zoo model and its canonical graph on one input; returns the model's output. */
async function expectSameResults(bytes: Uint8Array, graph: Graph, tolerance: number): Promise<Float32Array> {
  const input = randomInput(graph, 21);
  const name = graph.outputs[0]!.name;
  const original = (await runOnnx(bytes, input)).get(name)!;
  const canonical = (await runOnnx(writeOnnx(graph), input)).get(name)!;
  expect(maxAbsDifference(original, canonical)).toBeLessThan(tolerance);
  return original;
}

/** The deviation of a model's outputs: random weights must neither blow activations up nor shrink them away. */
function deviation(values: Float32Array): number {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
  return Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
}

function convOutputs(graph: Graph): string[] {
  return graph.nodes.filter((node) => node.op === 'Conv').map((node) => graph.values.get(node.outputs[0]!)!.dims.join('x'));
}

describe('ResNets', () => {
  test('smallResNet: stem, two blocks (the second downsampling), head', async () => {
    const bytes = smallResNetOnnx(1);
    const graph = readOnnx(bytes, 'small-resnet.onnx');
    expect(opCounts(graph)).toEqual({ Conv: 6, Relu: 5, Add: 2, GlobalAveragePool: 1, Flatten: 1, Gemm: 1 });
    expect(convOutputs(graph)).toEqual(['1x8x16x16', '1x8x16x16', '1x8x16x16', '1x16x8x8', '1x16x8x8', '1x16x8x8']);
    expect(graph.outputs).toEqual([{ name: '/fc/Gemm_output_0', type: 'float32', dims: [1, 10] }]);
    await expectSameResults(bytes, graph, 1e-4);
  });

  test('the same seed writes the same bytes, another seed other weights', () => {
    expect(smallResNetOnnx(3)).toEqual(smallResNetOnnx(3));
    expect(smallResNetOnnx(3)).not.toEqual(smallResNetOnnx(4));
  });

  test('ResNet18 CIFAR: 20 Convs (3 downsampling 1x1), no MaxPool, 10 classes, activations of sane size', async () => {
    const bytes = resnet18Onnx('cifar', 1);
    const graph = readOnnx(bytes, 'resnet18-cifar.onnx');
    expect(opCounts(graph)).toEqual({ Conv: 20, Relu: 17, Add: 8, GlobalAveragePool: 1, Flatten: 1, Gemm: 1 });
    const pointwise = graph.nodes.filter((node) => node.op === 'Conv' && (node.attributes.get('kernel_shape') as number[])[0] === 1);
    expect(pointwise.map((node) => node.attributes.get('strides'))).toEqual([[2, 2], [2, 2], [2, 2]]);
    expect(convOutputs(graph).at(-1)).toBe('1x512x4x4');
    expect(graph.outputs[0]!.dims).toEqual([1, 10]);
    const output = await expectSameResults(bytes, graph, 1e-3);
    expect(deviation(output)).toBeGreaterThan(0.05);
    expect(deviation(output)).toBeLessThan(20);
  });

  test('ResNet18 ImageNet: 7x7/2 stem, MaxPool, 20 Convs, 1000 classes', () => {
    const graph = readOnnx(resnet18Onnx('imagenet', 1), 'resnet18.onnx');
    expect(opCounts(graph)).toEqual({ Conv: 20, Relu: 17, MaxPool: 1, Add: 8, GlobalAveragePool: 1, Flatten: 1, Gemm: 1 });
    const stem = graph.nodes[0]!;
    expect(Object.fromEntries(stem.attributes)).toMatchObject({ kernel_shape: [7, 7], strides: [2, 2], pads: [3, 3, 3, 3] });
    expect(convOutputs(graph)[0]).toBe('1x64x112x112');
    expect(graph.values.get(graph.nodes.find((node) => node.op === 'MaxPool')!.outputs[0]!)!.dims).toEqual([1, 64, 56, 56]);
    expect(convOutputs(graph).at(-1)).toBe('1x512x7x7');
    expect(graph.outputs[0]!.dims).toEqual([1, 1000]);
    const weights = [...graph.constants.values()].reduce((sum, tensor) => sum + tensor.data.length, 0);
    // torchvision counts 11,689,512 parameters with each BN's 2 x C affine values; folded, a BN leaves C biases.
    const bnChannels = 64 + 2 * 2 * (64 + 128 + 256 + 512) + (128 + 256 + 512);
    expect(weights).toBe(11_689_512 - bnChannels);
  });
});

describe('ViTs', () => {
  /** Per encoder block: MatMuls for q, k, v, the two attention products, the projection and the two MLP linears; a Reshape per head split and merge. */
  const expectedCounts = (depth: number) => ({
    Conv: 1, Reshape: 4 * depth + 2, Transpose: 4 * depth + 1, Concat: 1, Add: 1 + 8 * depth,
    LayerNormalization: 2 * depth + 1, MatMul: 8 * depth + 1, Mul: depth, Softmax: depth, Gelu: depth, Gemm: 1,
  });

  test('smallVit: every shape subgraph folded, LayerNorm and Gelu fused, the class token a selection MatMul', async () => {
    const bytes = smallVitOnnx(1);
    const graph = readOnnx(bytes, 'small-vit.onnx');
    expect(opCounts(graph)).toEqual(expectedCounts(1));
    const reshapes = graph.nodes.filter((node) => node.op === 'Reshape').map((node) => node.attributes.get('shape'));
    expect(reshapes).toEqual([[1, 32, 16], [1, 17, 2, 16], [1, 17, 2, 16], [1, 17, 2, 16], [1, 17, 32], [1, 32]]);
    const scores = graph.nodes.find((node) => node.op === 'Softmax')!;
    expect(graph.values.get(scores.outputs[0]!)!.dims).toEqual([1, 2, 17, 17]);
    expect(scores.attributes.get('axis')).toBe(3);
    expect(graph.outputs[0]!.dims).toEqual([1, 10]);
    await expectSameResults(bytes, graph, 1e-4);
  });

  test('smallVit at opset 11 (Unsqueeze axes as an attribute, Softmax of the old meaning on the last axis)', async () => {
    const bytes = vitOnnx({ ...SMALL_VIT, opset: 11 }, 3);
    const graph = readOnnx(bytes, 'small-vit-11.onnx');
    expect(opCounts(graph)).toEqual(expectedCounts(1));
    await expectSameResults(bytes, graph, 1e-4);
  });

  test('ViT depth 6, dim 192, 3 heads, opset 17 LayerNormalization and Div scaling', async () => {
    const bytes = vitOnnx({ ...VIT_CIFAR, opset: 17, scale: 'div' }, 2);
    const graph = readOnnx(bytes, 'vit.onnx');
    expect(opCounts(graph)).toEqual(expectedCounts(6));
    const tokens = graph.nodes.find((node) => node.op === 'Concat')!;
    expect(graph.values.get(tokens.outputs[0]!)!.dims).toEqual([1, 65, 192]);
    const output = await expectSameResults(bytes, graph, 1e-3);
    expect(deviation(output)).toBeGreaterThan(0.05);
    expect(deviation(output)).toBeLessThan(20);
  });
});
