// Vision Transformers' golden networks against onnxruntime running their QDQ models
// (sw/net/export-qdq.ts; docs/compiler.md#checking-the-golden-network-against-onnxruntime).
//
// Each node's bound, compared isolated (its inputs the golden run's in both runs):
// - layers (constant or activation weights) and adds: 1 step, the two rounding conventions
//   (docs/compiler.md, "Why a node differs by at most 1 step");
// - a transpose moves bytes, DequantizeLinear-Transpose-QuantizeLinear at one scale is exact: 0;
// - softmax and LayerNormalization: docs/integer-nonlinear.md states each integer output within
//   1 LSB of the float operator's result rounded to the output type, which is what onnxruntime
//   computes (float32, QuantizeLinear rounding to nearest; its float errors, about 1e-6 of a step,
//   matter only for a result within that distance of a half step): 1 step;
// - GELU: the integer output is within 0.019 real units plus half a step of the float GELU
//   (i-GELU's polynomial, at most 0.0182, and rounding; docs/integer-nonlinear.md), onnxruntime's
//   within half a step: less than 1 + 0.019 / scale_out steps apart (1 step at the ViTs' scales,
//   about 0.04).
// The integer operators approximate, so they must also be seen to part from onnxruntime's floats.
import { describe, expect, it } from 'vitest';
import { exportQdq, representedLayerNorm } from '../../sw/net/export-qdq.js';
import type { NetNode, Network } from '../../sw/net/graph.js';
import { compareWithOnnxruntime, type OnnxruntimeReport } from '../../sw/net/onnxruntime-check.js';
import { quantizeGraph, randomCalibration, type QuantizedNetwork } from '../../sw/net/quantize/index.js';
import { layerNormParameters } from '../../sw/layers/layernorm.js';
import type { Graph } from '../../sw/onnx/graph.js';
import { readOnnx } from '../../sw/onnx/read.js';
import { SMALL_VIT, VIT_CIFAR, vitOnnx, type VitConfig } from '../../sw/onnx/zoo/vit.js';
import { timmAttention } from './support.js';

/** i-GELU's largest distance from GELU plus the golden model's rounding of it, in real units (docs/integer-nonlinear.md). */
const GELU_REAL_ERROR = 0.019;

/** The largest difference, in output steps, the documented errors allow the node compared alone. */
function allowedSteps(network: Network, node: NetNode): number {
  switch (node.op) {
    case 'transpose':
      return 0;
    case 'gelu':
      return Math.ceil(1 + GELU_REAL_ERROR / network.tensors.get(node.output)!.scale) - 1;
    default:
      return 1;
  }
}

/** Every tensor of an isolated report within its writer's bound. */
function expectWithinBounds(network: Network, report: OnnxruntimeReport): void {
  const writers = new Map(network.nodes.map((node) => [node.output, node]));
  expect(report.tensors!.map((t) => t.tensor)).toEqual(network.nodes.map((node) => node.output));
  for (const difference of report.tensors!) {
    const node = writers.get(difference.tensor)!;
    expect(difference.max, `${report.optimization}: ${node.op} '${node.name}': ${JSON.stringify(difference)}`).toBeLessThanOrEqual(allowedSteps(network, node));
  }
}

const vit = (config: VitConfig, calibration: number): { graph: Graph; network: QuantizedNetwork } => {
  const graph = readOnnx(vitOnnx(config, 1), 'vit.onnx');
  return { graph, network: quantizeGraph(graph, randomCalibration(graph, calibration, 3)) };
};

describe('Vision Transformers against onnxruntime', () => {
  const small = vit(SMALL_VIT, 8);

  it('small ViT, each node given the golden inputs: every node within its documented bound, on both paths', async () => {
    for (const optimization of ['disabled', 'all'] as const) {
      const report = await compareWithOnnxruntime(small.network, randomCalibration(small.graph, 10, 99), { isolated: true, optimization });
      expectWithinBounds(small.network, report);
      const byOp = new Map(report.byOp!.map((op) => [op.op, op]));
      expect([...byOp.keys()]).toEqual(['conv', 'add', 'layernorm', 'matmul', 'matmul of activations', 'softmax', 'transpose', 'gelu', 'fc']);
      // The approximations do show: measured 108 of 5780 softmax, 143 of 16320 LayerNormalization and 1349 of 10880 GELU elements 1 step apart.
      for (const op of ['softmax', 'layernorm', 'gelu']) expect(byOp.get(op)!.offByOne, op).toBeGreaterThan(0);
    }
  });

  it('small ViT end to end: the patch embedding within 1 step, the same top-1 class on 10 inputs, logits within 10 steps', async () => {
    const report = await compareWithOnnxruntime(small.network, randomCalibration(small.graph, 10, 99), { everyTensor: true });
    expect(report.tensors![0]!.max).toBeLessThanOrEqual(1);
    // Measured, not guaranteed: each block widens the differences, and a LayerNormalization scales
    // its input's by gamma * s_in / (std * s_out), most for the zoo's narrow class token, the row
    // the classifier reads (8 steps there after the last one, 5 in other rows). Logits: max 10
    // steps, mean 2.2, top-1 on 10 of 10; over 100 inputs 95 of 100, the other 5 with the golden
    // network's two largest logits at most 5 steps apart (docs/compiler.md).
    expect(report.outputs[0]!.max).toBeLessThanOrEqual(10);
    expect(report.top1Agreements).toBe(10);
    expect(report.tensors!.some((t) => t.max > 1)).toBe(true);
  });

  it('the isolated model takes the views a node reads as inputs and keeps the constants as initializers', () => {
    const { network } = small;
    const model = exportQdq(network, { isolated: true });
    const constants = [...network.constants!.keys()];
    expect(model.inputs.some((name) => network.tensors.get(name)!.view !== undefined)).toBe(true);
    expect(model.inputs.filter((name) => constants.includes(name))).toEqual([]);
  });

  it('LayerNormalization is written with the gamma, beta and epsilon its integers stand for', () => {
    for (const node of small.network.nodes) {
      if (node.op !== 'layernorm') continue;
      const [inputScale, outputScale] = [node.input, node.output].map((name) => small.network.tensors.get(name)!.scale) as [number, number];
      expect(layerNormParameters({ inputScale, outputScale, ...representedLayerNorm(node.params, inputScale, outputScale) }), node.name).toEqual(node.params);
    }
  });

  it('attention as timm writes it (Q read through views at half its scale), each node isolated: within bounds', async () => {
    const { graph } = timmAttention();
    const network = quantizeGraph(graph, randomCalibration(graph, 4, 3));
    const rescaled = [...network.tensors.values()].filter((t) => t.view && t.scale !== network.tensors.get(t.view.parent)!.scale);
    expect(rescaled.length).toBeGreaterThan(0);
    expectWithinBounds(network, await compareWithOnnxruntime(network, randomCalibration(graph, 10, 5), { isolated: true }));
  });

  it('ViT for CIFAR (6 blocks, 3 heads), each node given the golden inputs of one image: every node within its bound', async () => {
    const cifar = vit(VIT_CIFAR, 4);
    const report = await compareWithOnnxruntime(cifar.network, randomCalibration(cifar.graph, 1, 99), { isolated: true });
    expectWithinBounds(cifar.network, report);
    expect(report.byOp!.map((op) => op.op).sort()).toEqual(['add', 'conv', 'fc', 'gelu', 'layernorm', 'matmul', 'matmul of activations', 'softmax', 'transpose']);
  }, 60_000);
});
