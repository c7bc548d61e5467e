/**
 * Default attributes filled in and the attribute values the compiler cannot honour rejected,
 * before shape inference: after this a consumer reads every attribute it needs without knowing
 * ONNX's defaults, and every axis is counted from 0.
 */
import { numberAttribute, intsAttribute, normalizeAxis, stringAttribute, type WorkGraph, type WorkNode } from './model.js';

type Rule = (graph: WorkGraph, node: WorkNode, ranks: readonly number[], weightDims: (index: number) => readonly number[]) => void;

const CONV_WEIGHT: Record<string, number> = { Conv: 1, ConvInteger: 1, QLinearConv: 3 };

const conv: Rule = (graph, node, _ranks, weightDims) => {
  const kernel = intsAttribute(node, 'kernel_shape') ?? weightDims(CONV_WEIGHT[node.op]!).slice(2);
  node.attributes.set('kernel_shape', kernel);
  spatialDefaults(graph, node, kernel.length);
  requireOnes(graph, node, 'dilations', kernel.length);
  node.attributes.set('group', numberAttribute(node, 'group') ?? 1);
};

const pool: Rule = (graph, node) => {
  const kernel = intsAttribute(node, 'kernel_shape');
  if (kernel === undefined) throw graph.nodeError(node, 'attribute kernel_shape is missing');
  spatialDefaults(graph, node, kernel.length);
  requireOnes(graph, node, 'dilations', kernel.length);
  node.attributes.delete('storage_order');
  if (node.op !== 'MaxPool') node.attributes.set('count_include_pad', numberAttribute(node, 'count_include_pad') ?? 0);
  // ceil_mode is settled by shape inference, which knows the input size.
};

/** strides 1 and pads 0 for `spatial` dims; auto_pad NOTSET or VALID (no padding) only. */
function spatialDefaults(graph: WorkGraph, node: WorkNode, spatial: number): void {
  const autoPad = stringAttribute(node, 'auto_pad') ?? 'NOTSET';
  if (autoPad !== 'NOTSET' && autoPad !== 'VALID') {
    throw graph.nodeError(node, `attribute auto_pad ${autoPad} is not supported: only NOTSET (explicit pads) or VALID`);
  }
  node.attributes.delete('auto_pad');
  node.attributes.set('strides', intsAttribute(node, 'strides') ?? new Array<number>(spatial).fill(1));
  node.attributes.set('pads', intsAttribute(node, 'pads') ?? new Array<number>(2 * spatial).fill(0));
}

function requireOnes(graph: WorkGraph, node: WorkNode, name: string, spatial: number): void {
  const values = intsAttribute(node, name);
  if (values !== undefined && values.some((value) => value !== 1)) {
    throw graph.nodeError(node, `attribute ${name} [${values.join(',')}] is not supported: only 1`);
  }
  node.attributes.set(name, new Array<number>(spatial).fill(1));
}

/** Sets `name` to a 0-based axis of the rank of input 0, from the attribute or `fallback`. */
function axisRule(name: string, fallback: number): Rule {
  return (graph, node, ranks) => {
    node.attributes.set(name, normalizeAxis(graph, node, numberAttribute(node, name) ?? fallback, ranks[0]!));
  };
}

const softmax: Rule = (graph, node, ranks) => {
  const rank = ranks[0]!;
  const axis = normalizeAxis(graph, node, numberAttribute(node, 'axis') ?? (graph.opset < 13 ? 1 : -1), rank);
  // Before opset 13 Softmax flattened the input at `axis` to 2-D; that is the last-axis softmax only there.
  if (graph.opset < 13 && axis !== rank - 1) {
    throw graph.nodeError(node, `axis ${axis} under opset ${graph.opset} softmaxes over the flattened trailing dims; only the last axis is supported`);
  }
  node.attributes.set('axis', axis);
};

/** The axis matters only for per-axis scales; a per-tensor scale gets none, whatever the input's rank. */
const quantizationAxis: Rule = (graph, node, ranks) => {
  const scale = graph.info(node, node.inputs[1] ?? '');
  if (scale.dims.length === 0 || scale.dims.every((dim) => dim === 1)) node.attributes.delete('axis');
  else axisRule('axis', 1)(graph, node, ranks, () => []);
};

const RULES: Record<string, Rule> = {
  Conv: conv, ConvInteger: conv, QLinearConv: conv,
  MaxPool: pool, AveragePool: pool, QLinearAveragePool: pool,
  Gemm: (_graph, node) => {
    for (const [name, fallback] of [['alpha', 1], ['beta', 1], ['transA', 0], ['transB', 0]] as const) {
      node.attributes.set(name, numberAttribute(node, name) ?? fallback);
    }
  },
  Flatten: axisRule('axis', 1),
  Concat: axisRule('axis', 0),
  QLinearConcat: (graph, node) => {
    node.attributes.set('axis', normalizeAxis(graph, node, numberAttribute(node, 'axis') ?? 0, graph.info(node, node.inputs[2]!).dims.length));
  },
  Gather: axisRule('axis', 0),
  Softmax: softmax,
  QLinearSoftmax: softmax,
  LayerNormalization: (graph, node, ranks) => {
    node.attributes.set('axis', normalizeAxis(graph, node, numberAttribute(node, 'axis') ?? -1, ranks[0]!));
    node.attributes.set('epsilon', node.attributes.get('epsilon') ?? 1e-5);
    node.attributes.delete('stash_type');
  },
  Gelu: (graph, node) => {
    const approximate = stringAttribute(node, 'approximate') ?? 'none';
    if (approximate !== 'none') throw graph.nodeError(node, `attribute approximate ${approximate} is not supported: only none (the Erf form)`);
    node.attributes.delete('approximate');
  },
  BatchNormalization: (_graph, node) => {
    node.attributes.set('epsilon', node.attributes.get('epsilon') ?? 1e-5);
  },
  Transpose: (_graph, node, ranks) => {
    node.attributes.set('perm', intsAttribute(node, 'perm') ?? Array.from({ length: ranks[0]! }, (_, i) => ranks[0]! - 1 - i));
  },
  QuantizeLinear: quantizationAxis,
  DequantizeLinear: quantizationAxis,
};

/** Fills `node`'s defaults; `ranks` are its inputs' ranks (0 for an omitted input). */
export function fillDefaults(graph: WorkGraph, node: WorkNode, ranks: readonly number[]): void {
  RULES[node.op]?.(graph, node, ranks, (index) => graph.info(node, node.inputs[index] ?? '').dims);
}
