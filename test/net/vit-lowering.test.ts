// Vision Transformers from the front end (sw/onnx/zoo/vit.ts) through the quantizer: the networks
// are valid, their golden integer output stays close to the float graph's (top-1 class and the
// largest error in output steps), and the small one runs on 8 cores exactly as runGolden says.
import { describe, expect, it } from 'vitest';
import { PULP_L1, PULP_L2 } from '../../isa/platform/memory-map.js';
import { compileNetwork } from '../../sw/net/compile/compile.js';
import { evaluateFloat } from '../../sw/net/float-eval.js';
import type { LayerNode, NetNode } from '../../sw/net/graph.js';
import { runGolden } from '../../sw/net/golden.js';
import { dequantizeValue, quantizeGraph, quantizeInput, randomCalibration, type QuantizedNetwork } from '../../sw/net/quantize/index.js';
import { runNetwork } from '../../sw/net/run.js';
import { validateNetwork } from '../../sw/net/validate.js';
import { extractTensor } from '../../sw/net/views.js';
import type { Graph } from '../../sw/onnx/graph.js';
import { readOnnx } from '../../sw/onnx/read.js';
import { timmAttention } from './support.js';
import { SMALL_VIT, VIT_CIFAR, vitOnnx, type VitConfig } from '../../sw/onnx/zoo/vit.js';

/**
 * The canonical graph of a zoo ViT, its class token multiplied by `classTokenGain`. The zoo draws
 * the token with standard deviation 0.02, about one int8 step of the token matrix, whose other
 * rows are patch embeddings of order 1: LayerNormalization of that row normalizes quantization
 * noise. A gain of 50 gives it the patch tokens' magnitude, as a trained token has.
 */
function vitGraph(config: VitConfig, classTokenGain = 1): Graph {
  const graph = readOnnx(vitOnnx(config, 1), 'vit.onnx');
  const token = graph.nodes.find((node) => node.op === 'Concat')!.inputs[0]!;
  const constant = graph.constants.get(token)!;
  const constants = new Map(graph.constants).set(token, { ...constant, data: Float32Array.from(constant.data, (v) => v * classTokenGain) });
  return { ...graph, constants };
}

const argmax = (values: ArrayLike<number>): number => Array.from(values).reduce((best, v, i, all) => (v > all[best]! ? i : best), 0);

/** Over `count` random inputs: how many give the float graph's top-1 class, and the largest output error in output steps. */
function accuracy(graph: Graph, network: QuantizedNetwork, count: number): { agree: number; worstSteps: number } {
  const output = graph.outputs[0]!.name;
  const step = network.tensors.get(network.placements.get(output)!.tensor)!.scale;
  let agree = 0;
  let worstSteps = 0;
  for (const input of randomCalibration(graph, count, 99)) {
    const integer = dequantizeValue(network, output, runGolden(network, quantizeInput(network, input)));
    const float = evaluateFloat(graph, [input]).get(output)!.data;
    if (argmax(integer) === argmax(float)) agree++;
    integer.forEach((v, i) => (worstSteps = Math.max(worstSteps, Math.abs(v - float[i]!) / step)));
  }
  return { agree, worstSteps };
}

/** Compiles the network for 8 cores and runs it: every tensor, views included, as runGolden computes it. */
function expectExactOnCluster(network: QuantizedNetwork, input: Uint8Array): void {
  const compiled = compileNetwork(network, input, { cores: 8, implementation: () => ({ variant: 'dense', pattern: undefined }), l1: PULP_L1, l2: PULP_L2, l3: undefined, dma: { latency: 10, bandwidth: 8 }, keepTensors: true });
  const run = runNetwork(compiled);
  const reference = runGolden(network, input);
  for (const [name, tensor] of network.tensors) {
    const expected = reference.get(name) ?? extractTensor(network, name, reference.get(tensor.view!.parent)!);
    expect(run.readTensor(name), name).toEqual(expected);
  }
}

const ofOp = <Op extends NetNode['op']>(network: QuantizedNetwork, op: Op): Extract<NetNode, { op: Op }>[] => network.nodes.filter((n): n is Extract<NetNode, { op: Op }> => n.op === op);

describe('Vision Transformers through the quantizer', () => {
  const small = vitGraph(SMALL_VIT);
  const smallNetwork = quantizeGraph(small, randomCalibration(small, 8, 3));

  it('small ViT: heads are views of Q, K and V, written into one tensor; class token and position embedding are constants', () => {
    validateNetwork(smallNetwork);
    const { dim, heads } = SMALL_VIT;
    const tokens = (SMALL_VIT.image / SMALL_VIT.patch) ** 2 + 1;
    const attention = ofOp(smallNetwork, 'layer').filter((n): n is LayerNode & { weightTensor: string } => n.weightTensor !== undefined);
    expect(attention).toHaveLength(2 * heads);
    const tensor = (name: string) => smallNetwork.tensors.get(name)!;
    for (const [h, scores] of attention.slice(0, heads).entries()) {
      // Scores: Q_h times K_h (T rows of d), both channel slices; the heads stacked as rows for one softmax.
      expect(tensor(scores.input).view).toMatchObject({ channelOffset: h * (dim / heads), pixelOffset: 0 });
      expect(tensor(scores.weightTensor).view).toMatchObject({ channelOffset: h * (dim / heads) });
      expect(tensor(scores.output).view).toMatchObject({ pixelOffset: h * tokens, channelOffset: 0 });
      expect(scores.spec).toMatchObject({ kind: 'matmul', inH: tokens, inC: dim / heads, outC: tokens, activationWeights: true, inputSigned: true });
    }
    for (const [h, context] of attention.slice(heads).entries()) {
      // Context: P_h (uint8 rows of the softmax) times V_h^T, made by a transpose, into a channel slice of the merged tensor.
      expect(tensor(context.input)).toMatchObject({ signed: false, view: { pixelOffset: h * tokens } });
      expect(smallNetwork.nodes.find((n) => n.output === context.weightTensor)!.op).toBe('transpose');
      expect(tensor(context.output).view).toMatchObject({ pixelOffset: 0, channelOffset: h * (dim / heads) });
    }
    expect(ofOp(smallNetwork, 'softmax')).toHaveLength(1);
    expect(ofOp(smallNetwork, 'layernorm')).toHaveLength(3);
    expect(ofOp(smallNetwork, 'gelu')).toHaveLength(1);
    // The patch embedding writes its 16 tokens after the class token; the position embedding is added from a constant.
    const patches = ofOp(smallNetwork, 'layer').find((n) => n.spec.kind === 'conv')!;
    expect(tensor(patches.output).view).toMatchObject({ pixelOffset: 1, channelOffset: 0 });
    expect([...smallNetwork.constants!.keys()].map((name) => tensor(name).shape)).toEqual([{ h: 1, w: 1, c: dim }, { h: tokens, w: 1, c: dim }]);
    // The classifier reads the class token's row of the last LayerNormalization in place.
    const head = ofOp(smallNetwork, 'layer').at(-1)!;
    expect(head.spec.kind).toBe('fc');
    expect(tensor(head.input).view).toEqual({ parent: ofOp(smallNetwork, 'layernorm').at(-1)!.output, pixelOffset: 0, channelOffset: 0 });
  });

  it('small ViT: the golden integer output agrees with the float graph', () => {
    // Measured: 8 of 8 top-1 and 34 steps at worst (8.9 on average) with the zoo's tiny class token;
    // 7 of 8 and 4.7 steps (1.2 on average) with a class token of the patch tokens' size.
    const stock = accuracy(small, smallNetwork, 8);
    expect(stock.agree).toBeGreaterThanOrEqual(7);
    expect(stock.worstSteps).toBeLessThan(45);
    const trained = vitGraph(SMALL_VIT, 50);
    const realistic = accuracy(trained, quantizeGraph(trained, randomCalibration(trained, 8, 3)), 8);
    expect(realistic.agree).toBeGreaterThanOrEqual(7);
    expect(realistic.worstSteps).toBeLessThan(8);
  });

  it('small ViT compiled for 8 cores: every tensor exactly as runGolden computes it', () => {
    expectExactOnCluster(smallNetwork, quantizeInput(smallNetwork, randomCalibration(small, 1, 5)[0]!));
  }, 60_000);

  it('attention as timm writes it (Q rescaled in place after the head split) compiled for 8 cores: exact', () => {
    const { graph } = timmAttention();
    const network = quantizeGraph(graph, randomCalibration(graph, 4, 3));
    expectExactOnCluster(network, quantizeInput(network, randomCalibration(graph, 1, 5)[0]!));
  }, 60_000);

  // Measured on 4 inputs: the zoo's class token 3 of 4 top-1, 34 steps at worst (10.5 on average);
  // a class token of the patch tokens' size 4 of 4, 7.6 steps at worst (2.8 on average).
  const cifar: [number, { agree: number; worstSteps: number }][] = [[1, { agree: 2, worstSteps: 45 }], [50, { agree: 3, worstSteps: 12 }]];
  for (const [gain, bound] of cifar) {
    it(`ViT for CIFAR (depth 6, 3 heads of 64), class token x ${gain}: a valid network close to the float graph`, () => {
      const graph = vitGraph(VIT_CIFAR, gain);
      const network = quantizeGraph(graph, randomCalibration(graph, 4, 3));
      validateNetwork(network);
      const { depth, heads } = VIT_CIFAR;
      expect(ofOp(network, 'layer').filter((n) => n.weightTensor !== undefined)).toHaveLength(depth * heads * 2);
      expect(ofOp(network, 'transpose')).toHaveLength(depth * heads);
      expect(ofOp(network, 'softmax')).toHaveLength(depth);
      const { agree, worstSteps } = accuracy(graph, network, 4);
      expect(agree).toBeGreaterThanOrEqual(bound.agree);
      expect(worstSteps).toBeLessThan(bound.worstSteps);
    }, 120_000);
  }
});
