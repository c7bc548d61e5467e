/**
 * LayerNormalization as torch.onnx.export writes it before opset 17:
 *   mean = ReduceMean(x); d = x - mean; var = ReduceMean(Pow(d, 2)); y = d / Sqrt(var + eps)
 * then, with an elementwise affine, y * gamma + beta. The reductions must run over trailing axes.
 */
import type { Tensor } from './graph.js';
import { constantOf, numberAttribute, intsAttribute, normalizeAxis, type WorkGraph, type WorkNode } from './model.js';
import { near, otherOperand, scalarOf, soleReader } from './patterns.js';
import { elementCount, makeTensor } from './tensor.js';

export function fuseLayerNorm(graph: WorkGraph): void {
  for (const mean of graph.nodes.filter((node) => node.op === 'ReduceMean')) {
    if (!graph.nodes.includes(mean)) continue;
    const match = matchLayerNorm(graph, mean);
    if (match === undefined) continue;
    const last = match.nodes[match.nodes.length - 1]!;
    const normalized = graph.info(mean, match.x).dims.slice(match.axis);
    const scale = match.gamma ?? graph.addConstant(`${last.name}_scale`, makeTensor('float32', normalized, new Float32Array(elementCount(normalized)).fill(1)));
    const bias = match.beta ?? graph.addConstant(`${last.name}_bias`, makeTensor('float32', normalized, new Float32Array(elementCount(normalized))));
    const layerNorm: WorkNode = {
      name: `${mean.name}_layernorm`, op: 'LayerNormalization', domain: '',
      inputs: [match.x, scale, bias], outputs: [...last.outputs],
      attributes: new Map([['axis', match.axis], ['epsilon', match.epsilon]]),
    };
    graph.replace(last, [layerNorm]);
    graph.remove(match.nodes.slice(0, -1));
  }
}

interface LayerNormMatch {
  readonly x: string;
  readonly axis: number;
  readonly epsilon: number;
  readonly gamma: string | undefined;
  readonly beta: string | undefined;
  readonly nodes: WorkNode[];
}

function matchLayerNorm(graph: WorkGraph, mean: WorkNode): LayerNormMatch | undefined {
  const x = mean.inputs[0]!;
  const rank = graph.info(mean, x).dims.length;
  const axis = trailingAxis(graph, mean, rank);
  if (axis === undefined) return undefined;
  const centre = soleReader(graph, mean.outputs[0]!, 'Sub');
  if (centre === undefined || centre.inputs[0] !== x) return undefined;
  const d = centre.outputs[0]!;
  const readers = graph.consumers(d);
  const square = readers.find((node) => node.op === 'Pow' && node.inputs[0] === d && near(scalarOf(graph, node.inputs[1]!), 2));
  const divide = readers.find((node) => node.op === 'Div' && node.inputs[0] === d);
  if (readers.length !== 2 || square === undefined || divide === undefined || graph.isGraphOutput(d)) return undefined;
  const variance = soleReader(graph, square.outputs[0]!, 'ReduceMean');
  if (variance === undefined || trailingAxis(graph, variance, rank) !== axis) return undefined;
  const plusEps = soleReader(graph, variance.outputs[0]!, 'Add');
  const epsilon = plusEps && scalarOf(graph, otherOperand(plusEps, variance.outputs[0]!) ?? '');
  if (plusEps === undefined || epsilon === undefined) return undefined;
  const root = soleReader(graph, plusEps.outputs[0]!, 'Sqrt');
  if (root === undefined || divide.inputs[1] !== root.outputs[0] || !graph.usedOnlyBy(root.outputs[0]!, divide)) return undefined;
  const nodes = [mean, centre, square, variance, plusEps, root, divide];

  const normalized = graph.info(mean, x).dims.slice(axis);
  const times = soleReader(graph, divide.outputs[0]!, 'Mul');
  const gamma = times && affineOperand(graph, times, divide.outputs[0]!, normalized);
  if (times === undefined || gamma === undefined) return { x, axis, epsilon, gamma: undefined, beta: undefined, nodes };
  const plus = soleReader(graph, times.outputs[0]!, 'Add');
  const beta = plus && affineOperand(graph, plus, times.outputs[0]!, normalized);
  if (plus === undefined || beta === undefined) return { x, axis, epsilon, gamma, beta: undefined, nodes: [...nodes, times] };
  return { x, axis, epsilon, gamma, beta, nodes: [...nodes, times, plus] };
}

/** The first axis of a ReduceMean over the trailing axes with keepdims, else undefined. */
function trailingAxis(graph: WorkGraph, node: WorkNode, rank: number): number | undefined {
  const axes = intsAttribute(node, 'axes') ?? (node.inputs[1] ? Array.from(constantOf(graph, node.inputs[1])?.data ?? []) : undefined);
  if (axes === undefined || axes.length === 0 || (numberAttribute(node, 'keepdims') ?? 1) !== 1) return undefined;
  const sorted = axes.map((axis) => normalizeAxis(graph, node, axis, rank)).sort((a, b) => a - b);
  const first = sorted[0]!;
  return sorted.every((axis, i) => axis === first + i) && sorted[sorted.length - 1] === rank - 1 ? first : undefined;
}

/** A constant operand of `node` (other than `value`) holding one value per normalized element, as a constant of the normalized dims. */
function affineOperand(graph: WorkGraph, node: WorkNode, value: string, normalized: readonly number[]): string | undefined {
  const operand = otherOperand(node, value);
  const tensor: Tensor | undefined = operand === undefined ? undefined : constantOf(graph, operand);
  if (tensor === undefined || tensor.type !== 'float32' || elementCount(tensor.dims) !== elementCount(normalized)) return undefined;
  // Leading 1s aside, the operand's dims must be the normalized ones for the product to be per element.
  const trimmed = tensor.dims.slice(tensor.dims.length - normalized.length);
  if (tensor.dims.slice(0, tensor.dims.length - normalized.length).some((dim) => dim !== 1) || trimmed.some((dim, i) => dim !== normalized[i])) return undefined;
  return trimmed.length === tensor.dims.length ? operand : graph.addConstant(operand!, { ...tensor, dims: normalized });
}
