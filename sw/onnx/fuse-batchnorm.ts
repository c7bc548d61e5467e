/**
 * BatchNormalization folded into the Conv before it: with s = gamma / sqrt(var + eps), the
 * Conv's weights W[m] become W[m] * s[m] and its bias (b[m] - mean[m]) * s[m] + beta[m]. The
 * compiler has no separate normalization layer, so a BN anywhere else is an error.
 */
import type { Tensor } from './graph.js';
import { constantOf, type WorkGraph, type WorkNode } from './model.js';
import { elementCount, makeTensor } from './tensor.js';

export function foldBatchNorms(graph: WorkGraph): void {
  for (const bn of graph.nodes.filter((node) => node.op === 'BatchNormalization')) foldInto(graph, bn);
}

function foldInto(graph: WorkGraph, bn: WorkNode): void {
  const x = bn.inputs[0]!;
  const conv = graph.producer(x);
  const after = conv === undefined ? 'a graph input' : `${conv.op} '${conv.name}'`;
  if (conv?.op !== 'Conv' || !graph.usedOnlyBy(x, bn)) {
    throw graph.nodeError(bn, `follows ${after}${conv?.op === 'Conv' ? ', whose output other nodes read too' : ''}; a BatchNormalization is supported only directly after a Conv, whose weights absorb it`);
  }
  const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((index) => {
    const tensor = constantOf(graph, bn.inputs[index] ?? '');
    if (tensor === undefined || tensor.type !== 'float32') throw graph.nodeError(bn, `input ${index} ('${bn.inputs[index] ?? ''}') is not a float constant; only inference-mode BatchNormalization is supported`);
    return tensor;
  }) as [Tensor, Tensor, Tensor, Tensor];
  const weight = constantOf(graph, conv.inputs[1]!);
  if (weight === undefined || weight.type !== 'float32') throw graph.nodeError(conv, `weight '${conv.inputs[1]}' is not a float constant, so BatchNormalization '${bn.name}' cannot fold into it`);
  const channels = weight.dims[0]!;
  if ([gamma, beta, mean, variance].some((tensor) => tensor.data.length !== channels)) {
    throw graph.nodeError(bn, `parameters do not hold one value per output channel (${channels}) of Conv '${conv.name}'`);
  }
  const epsilon = bn.attributes.get('epsilon') as number;
  const scale = Array.from(gamma.data, (g, m) => g / Math.sqrt(variance.data[m]! + epsilon));
  const perChannel = elementCount(weight.dims) / channels;
  const bias = conv.inputs[2] ? constantOf(graph, conv.inputs[2]) : undefined;
  if (conv.inputs[2] && bias === undefined) throw graph.nodeError(conv, `bias '${conv.inputs[2]}' is not a constant`);
  const newWeight = new Float32Array(weight.data.length);
  for (let i = 0; i < newWeight.length; i++) newWeight[i] = weight.data[i]! * scale[Math.floor(i / perChannel)]!;
  const newBias = makeTensor('float32', [channels], scale.map((s, m) => ((bias?.data[m] ?? 0) - mean.data[m]!) * s + beta.data[m]!));
  conv.inputs = [conv.inputs[0]!, graph.addConstant(`${conv.name}_weight_bn`, { type: 'float32', dims: weight.dims, data: newWeight }), graph.addConstant(`${conv.name}_bias_bn`, newBias)];
  conv.outputs = [bn.outputs[0]!];
  graph.remove([bn]);
}
