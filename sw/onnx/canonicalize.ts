/**
 * The last rewrites toward the canonical ops, node by node: inputs that must be constant become
 * attributes (Reshape's shape, Clip's bounds), Gemm's alpha and beta fold into its constants,
 * Sub and Div by a constant become Add and Mul, Squeeze and Unsqueeze become Reshape, and a Gather
 * or Slice of tokens with constant indices becomes a MatMul with a 0/1 selection matrix (the
 * class token of a ViT), the one canonical op that picks rows.
 */
import type { AttributeValue, Tensor } from './graph.js';
import { constantOf, numberAttribute, type WorkGraph, type WorkNode } from './model.js';
import { mapConstant, scalarOf } from './patterns.js';
import { ShapeContext, sliceArguments, sliceRanges } from './shapes.js';
import { makeTensor } from './tensor.js';

type Rewrite = (graph: WorkGraph, node: WorkNode) => void;

const toReshape: Rewrite = (graph, node) => {
  node.op = 'Reshape';
  node.attributes = new Map([['shape', graph.info(node, node.outputs[0]!).dims]]);
  node.inputs = [node.inputs[0]!];
};

/** A float constant operand, which an arithmetic rewrite needs. */
function floatConstant(graph: WorkGraph, node: WorkNode, index: number): Tensor | undefined {
  const tensor = constantOf(graph, node.inputs[index] ?? '');
  return tensor?.type === 'float32' ? tensor : undefined;
}

const subtract: Rewrite = (graph, node) => {
  const constant = floatConstant(graph, node, 1);
  if (constant === undefined) return;
  node.op = 'Add';
  node.inputs = [node.inputs[0]!, graph.addConstant(`${node.inputs[1]}_negated`, mapConstant(constant, (value) => -value))];
};

const divide: Rewrite = (graph, node) => {
  const constant = floatConstant(graph, node, 1);
  if (constant === undefined) return;
  node.op = 'Mul';
  node.inputs = [node.inputs[0]!, graph.addConstant(`${node.inputs[1]}_reciprocal`, mapConstant(constant, (value) => 1 / value))];
};

const clip: Rewrite = (graph, node) => {
  const bound = (index: number, fallback: number): number => {
    const name = node.inputs[index] ?? '';
    if (name === '') return (node.attributes.get(index === 1 ? 'min' : 'max') as number | undefined) ?? fallback;
    const value = scalarOf(graph, name);
    if (value === undefined) throw graph.nodeError(node, `bound '${name}' is not a constant scalar`);
    return value;
  };
  node.attributes = new Map([['min', bound(1, -Infinity)], ['max', bound(2, Infinity)]]);
  node.inputs = [node.inputs[0]!];
};

/** alpha into B (or A), beta into C, and a transposed A made plain: Gemm with alpha = beta = 1 and transA = 0. */
const gemm: Rewrite = (graph, node) => {
  const alpha = numberAttribute(node, 'alpha') ?? 1;
  const beta = numberAttribute(node, 'beta') ?? 1;
  if (numberAttribute(node, 'transA') === 1) {
    const a = floatConstant(graph, node, 0);
    if (a === undefined) throw graph.nodeError(node, 'attribute transA 1 on a computed operand A is not supported');
    const [rows, columns] = a.dims as [number, number];
    const transposed = makeTensor('float32', [columns, rows], Array.from({ length: rows * columns }, (_, i) => a.data[(i % rows) * columns + Math.floor(i / rows)]!));
    node.inputs[0] = graph.addConstant(`${node.inputs[0]}_transposed`, transposed);
  }
  if (alpha !== 1) {
    const index = floatConstant(graph, node, 1) ? 1 : floatConstant(graph, node, 0) ? 0 : undefined;
    if (index === undefined) throw graph.nodeError(node, `attribute alpha ${alpha} needs a constant A or B to fold into`);
    node.inputs[index] = graph.addConstant(`${node.inputs[index]}_alpha`, mapConstant(floatConstant(graph, node, index)!, (value) => value * alpha));
  }
  if (beta !== 1 && node.inputs[2]) {
    const c = floatConstant(graph, node, 2);
    if (c === undefined) throw graph.nodeError(node, `attribute beta ${beta} needs a constant C to fold into`);
    node.inputs[2] = graph.addConstant(`${node.inputs[2]}_beta`, mapConstant(c, (value) => value * beta));
  }
  for (const [name, value] of [['alpha', 1], ['beta', 1], ['transA', 0]] as const) node.attributes.set(name, value);
};

/**
 * Rows `rows` (in order) of axis `axis` of the node's input 0 as a MatMul with a 0/1 matrix:
 * S (picked x size) @ X for an axis other than the last (moved to the second-last and back by a
 * Transpose when it is not there), X @ S^T for the last; then a Reshape to the node's output dims
 * when they differ (a scalar Gather drops the axis).
 */
function selectRows(graph: WorkGraph, node: WorkNode, rows: readonly number[], axis: number): void {
  const input = graph.info(node, node.inputs[0]!);
  const rank = input.dims.length;
  const size = input.dims[axis]!;
  const picked = rows.length;
  const output = graph.info(node, node.outputs[0]!);
  const nodes: WorkNode[] = [];
  /** Appends a node writing a new value of `dims`, or the Gather's own output when `last`. */
  const emit = (op: string, inputs: string[], dims: readonly number[], attributes: [string, AttributeValue][], last: boolean): string => {
    const value = last ? node.outputs[0]! : graph.freshName(`${node.name}_${op.toLowerCase()}`);
    if (!last) graph.values.set(value, { name: value, type: input.type, dims });
    nodes.push({ name: `${node.name}_${op.toLowerCase()}${nodes.length}`, op, domain: '', inputs, outputs: [value], attributes: new Map(attributes) });
    return value;
  };
  const productDims = input.dims.map((dim, i) => (i === axis ? picked : dim));
  const reshaped = productDims.join(',') !== output.dims.join(',');
  const features = axis === rank - 1;
  const swap = features || axis === rank - 2 ? undefined : input.dims.map((_, i) => (i === axis ? rank - 2 : i === rank - 2 ? axis : i));
  const selection = makeTensor('float32', features ? [size, picked] : [picked, size],
    Array.from({ length: picked * size }, (_, i) => {
      const [row, column] = features ? [i % picked, Math.floor(i / picked)] : [Math.floor(i / size), i % size];
      return rows[row] === column ? 1 : 0;
    }));
  const matrix = graph.addConstant(`${node.name}_selection`, selection);
  let x = node.inputs[0]!;
  if (swap !== undefined) x = emit('Transpose', [x], swap.map((i) => input.dims[i]!), [['perm', swap]], false);
  const swappedProduct = swap === undefined ? productDims : swap.map((i) => productDims[i]!);
  x = emit('MatMul', features ? [x, matrix] : [matrix, x], swappedProduct, [], swap === undefined && !reshaped);
  if (swap !== undefined) x = emit('Transpose', [x], productDims, [['perm', swap]], !reshaped);
  if (reshaped) emit('Reshape', [x], output.dims, [['shape', output.dims]], true);
  graph.replace(node, nodes);
}

const gather: Rewrite = (graph, node) => {
  const indices = constantOf(graph, node.inputs[1]!);
  if (indices === undefined) throw graph.nodeError(node, `indices '${node.inputs[1]}' are computed at run time; only constant indices are supported`);
  const axis = numberAttribute(node, 'axis')!;
  const size = graph.info(node, node.inputs[0]!).dims[axis]!;
  selectRows(graph, node, Array.from(indices.data, (index) => (index < 0 ? index + size : index)), axis);
};

const slice: Rewrite = (graph, node) => {
  const input = graph.info(node, node.inputs[0]!).dims;
  const { axes, starts, ends, steps } = sliceArguments(new ShapeContext(graph, node));
  const ranges = sliceRanges(input, starts, ends, axes, steps);
  const cut = ranges.flatMap((range, axis) => (range.count !== input[axis] || range.start !== 0 || range.step !== 1 ? [axis] : []));
  if (cut.length === 0) {
    graph.bypass(node, node.outputs[0]!, node.inputs[0]!);
    return;
  }
  if (cut.length > 1) throw graph.nodeError(node, `slices ${cut.length} axes of a computed value; only one is supported`);
  const range = ranges[cut[0]!]!;
  selectRows(graph, node, Array.from({ length: range.count }, (_, k) => range.start + k * range.step), cut[0]!);
};

const layerNorm: Rewrite = (graph, node) => {
  if (node.inputs[2]) return;
  const dims = graph.info(node, node.inputs[1]!).dims;
  node.inputs[2] = graph.addConstant(`${node.name}_bias`, makeTensor('float32', dims, new Float32Array(dims.reduce((a, b) => a * b, 1))));
};

const REWRITES: Record<string, Rewrite> = {
  Squeeze: toReshape, Unsqueeze: toReshape, Reshape: toReshape,
  Sub: subtract, Div: divide, Clip: clip, Gemm: gemm, Gather: gather, Slice: slice, LayerNormalization: layerNorm,
};

export function canonicalize(graph: WorkGraph): void {
  for (const node of [...graph.nodes]) {
    const outputs = node.outputs.slice(1).filter((output) => output !== '');
    const rewrite = REWRITES[node.op];
    if (rewrite !== undefined) rewrite(graph, node);
    // Optional outputs nobody reads (Dropout's mask, LayerNormalization's statistics) are dropped.
    if (outputs.length > 0 && graph.nodes.includes(node)) node.outputs = [node.outputs[0]!];
  }
}
