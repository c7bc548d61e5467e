/**
 * The token plumbing of a Vision Transformer, lowered without copies: a Concat (the class token
 * before the patch tokens) is one tensor whose parts are computed straight into slices of it
 * (views) or given as constant bytes; the class token's `x[:, 0]`, which the front end turns into
 * a MatMul by a 0/1 selection matrix, is a view of the rows it selects; an Add of a constant (the
 * position embedding) is an AddNode that reads a constant tensor.
 */
import type { Graph, GraphNode, Tensor } from '../../onnx/graph.js';
import { intAttribute } from '../attributes.js';
import { broadcastDims, broadcastIndices } from '../float/tensor.js';
import type { TensorShape, TensorView } from '../graph.js';
import { naturalOrder, naturalView, placementOrder, type Placement } from '../layout.js';
import { roundHalfEven } from '../round.js';
import type { LoweringContext } from './context.js';
import type { ActivationType } from './plan.js';
import { matrixView, storagePositions } from './positions.js';
import { addRescale } from './requantization.js';

/** A value the lowering writes into a slice of a concatenation's tensor instead of a tensor of its own. */
export interface PlannedView extends Omit<TensorView, 'parent'> {
  /** The Concat's output value, whose tensor holds the slice. */
  readonly parent: string;
}

const ALIASES = new Set(['Reshape', 'Flatten', 'Transpose']);

/**
 * Where the part starting at `offset` along `axis` of a concatenation of `dims` lies in its
 * tensor: a slice of pixels (the token axis, an image's rows) or of channels, or undefined for an
 * axis whose slices are no view.
 */
function sliceOffset(dims: readonly number[], axis: number, offset: number): Omit<TensorView, 'parent'> | undefined {
  if (dims.length === 4) {
    if (axis === 1) return { pixelOffset: 0, channelOffset: offset };
    if (axis === 2) return { pixelOffset: offset * dims[3]!, channelOffset: 0 };
    return undefined;
  }
  if (axis === dims.length - 1) return { pixelOffset: 0, channelOffset: offset };
  if (axis === dims.length - 2) return { pixelOffset: offset, channelOffset: 0 };
  return undefined;
}

/** A Concat's axis, counted from 0 (the front end makes it positive; a graph built by hand may not). */
function concatAxis(graph: Graph, node: GraphNode, dims: readonly number[]): number {
  const axis = intAttribute(graph, node, 'axis');
  return axis < 0 ? axis + dims.length : axis;
}

/**
 * For every Concat, the values that will hold its computed parts (each part traced back through
 * the Reshapes and Transposes that only relabel its bytes to the node that computes it), with the
 * slice of the Concat's tensor each is written into.
 */
export function planConcatenations(graph: Graph): Map<string, PlannedView> {
  const producers = new Map<string, GraphNode>();
  for (const node of graph.nodes) for (const output of node.outputs) producers.set(output, node);
  const planned = new Map<string, PlannedView>();
  for (const node of graph.nodes.filter((n) => n.op === 'Concat')) {
    const dims = graph.values.get(node.outputs[0]!)?.dims;
    if (!dims) continue;
    const axis = concatAxis(graph, node, dims);
    let offset = 0;
    for (const input of node.inputs) {
      const slice = sliceOffset(dims, axis, offset);
      offset += graph.values.get(input)?.dims[axis] ?? graph.constants.get(input)?.dims[axis] ?? 0;
      if (!slice || graph.constants.has(input)) continue;
      let source = input;
      for (let producer = producers.get(source); producer && ALIASES.has(producer.op); producer = producers.get(source)) source = producer.inputs[0]!;
      if (producers.has(source) && !planned.has(source)) planned.set(source, { parent: node.outputs[0]!, ...slice });
    }
  }
  return planned;
}

/** The bytes of real values at a tensor's type (rounded half to even and saturated, as QuantizeLinear does). */
function quantizeValues(values: ArrayLike<number>, type: ActivationType): Uint8Array {
  const [min, max] = type.signed ? [-128, 127] : [0, 255];
  return Uint8Array.from(values as ArrayLike<number>, (x) => Math.min(max, Math.max(min, roundHalfEven(x / type.scale))) & 0xff);
}

/** A name for a constant tensor of graph constant `constant`: its own, unless a tensor has it already. */
function constantName(context: LoweringContext, constant: string, node: GraphNode): string {
  return context.tensors.has(constant) ? `${constant}/for/${node.name}` : constant;
}

/** A constant's values in the buffer order of `placement` (broadcast to its dims), or undefined when it does not broadcast to them. */
function constantInOrder(constant: Tensor, placement: Placement): Float32Array | undefined {
  const broadcast = broadcastDims(constant.dims, placement.dims);
  if (!broadcast || broadcast.join() !== placement.dims.join()) return undefined;
  const reads = broadcastIndices(constant.dims, placement.dims);
  const order = placementOrder(placement);
  const out = new Float32Array(order.length);
  order.forEach((position, i) => (out[position] = constant.data[reads[i]!]!));
  return out;
}

/**
 * A Concat whose computed parts were written into slices of its tensor (planConcatenations) and
 * whose constant parts become constant views of it: no node, only a check that every part is
 * where the concatenation needs it.
 */
export function concat(context: LoweringContext, node: GraphNode): void {
  const { graph } = context;
  const output = node.outputs[0]!;
  const dims = context.dims(output);
  const axis = concatAxis(graph, node, dims);
  const parent = context.tensors.get(output);
  if (!parent) throw context.fail(node, `none of its inputs is computed by a node that can write into the concatenation (a graph input or a constant alone is not)`);
  const natural = naturalOrder(dims);
  const outer = dims.slice(0, axis).reduce((a, d) => a * d, 1);
  const inner = dims.slice(axis + 1).reduce((a, d) => a * d, 1);
  let offset = 0;
  node.inputs.forEach((input, i) => {
    const constant = graph.constants.get(input);
    const inputDims = constant?.dims ?? context.dims(input);
    const slice = sliceOffset(dims, axis, offset);
    const span = inputDims[axis]!;
    const start = offset;
    offset += span;
    if (!slice) throw context.fail(node, `a concatenation along axis ${axis} of [${dims.join(', ')}] is no slice of pixels or channels of one tensor`);
    if (constant) {
      const shape = naturalView(inputDims);
      if (typeof shape === 'string' || constant.type !== 'float32') throw context.fail(node, `the constant '${input}' is no float token matrix or image`);
      const name = constantName(context, input, node);
      context.tensors.set(name, { name, shape, signed: parent.signed, scale: parent.scale, view: { parent: output, ...slice } });
      const placed: Placement = { tensor: name, dims: inputDims, view: shape };
      context.constants.set(name, quantizeValues(constantInOrder(constant, placed)!, parent));
      return;
    }
    const placement = context.placement(node, i);
    if (context.tensors.get(placement.tensor)!.scale !== parent.scale) throw context.fail(node, `input '${input}' is at another scale than the concatenation (a Mul by a constant between them)`);
    const { storage, positions } = storagePositions(placement, context.tensors);
    const where = positions.every((position, j) => {
      const index = (Math.floor(j / (span * inner)) * dims[axis]! + start) * inner + (j % (span * inner));
      return storage === output && position === natural[index];
    });
    if (outer !== 1 || !where) throw context.fail(node, `input '${input}' is not computed into its slice of the concatenation (only a Conv, Gemm, MatMul, Add or pooling output, through Reshapes and Transposes that keep its bytes, can be)`);
  });
  context.placements.set(output, { tensor: output, dims, view: parent.shape });
}

/**
 * S @ X with S a constant 0/1 matrix that picks consecutive rows of X (the front end's form of
 * `x[:, i:j]`, the class token's `x[:, 0]`): a view of those rows, no computation.
 */
export function selection(context: LoweringContext, node: GraphNode): void {
  const matrix = context.graph.constants.get(node.inputs[0]!)!;
  const input = context.placement(node, 1);
  const [rows, tokens] = matrix.dims.slice(-2) as [number, number];
  const features = input.dims[input.dims.length - 1]!;
  if (matrix.dims.slice(0, -2).some((d) => d !== 1) || input.dims.slice(0, -2).some((d) => d !== 1) || input.dims[input.dims.length - 2] !== tokens) {
    throw context.fail(node, `a constant [${matrix.dims.join(', ')}] times the activation [${input.dims.join(', ')}] is no selection of tokens of one matrix`);
  }
  const first = Array.from({ length: tokens }, (_, t) => t).find((t) => matrix.data[t] === 1) ?? -1;
  const picks = Array.from({ length: rows * tokens }, (_, i) => Number(Math.floor(i / tokens) + first === i % tokens));
  if (first < 0 || first + rows > tokens || picks.some((p, i) => matrix.data[i] !== p)) {
    throw context.fail(node, `the constant '${node.inputs[0]}' does not select consecutive tokens (a 0/1 matrix with one 1 per row, each row the next token): only such a MatMul by a constant first operand is supported`);
  }
  const { storage, positions } = storagePositions(input, context.tensors);
  const shape: TensorShape = { h: rows, w: 1, c: features };
  const view = matrixView(positions, { start: first * features, rows, cols: features, rowStride: features, colStride: 1 }, context.tensors.get(storage)!.shape.c);
  if (!view) throw context.fail(node, `the tokens it selects of '${node.inputs[1]}' are no rows of one tensor`);
  const output = node.outputs[0]!;
  context.placements.set(output, { tensor: context.viewTensor(input.tensor, view, shape), dims: context.dims(output), view: shape });
}

/**
 * x + c for a constant c (a position embedding; the Add a Sub of a constant becomes): the constant
 * broadcast to x's elements in x's buffer order, as a constant tensor at its own scale (max |c| /
 * 127), and an AddNode of the two. A following ReLU is fused.
 */
export function addConstant(context: LoweringContext, node: GraphNode): void {
  const { graph } = context;
  const index = graph.constants.has(node.inputs[0]!) ? 1 : 0;
  const constantInput = node.inputs[1 - index]!;
  if (graph.constants.has(node.inputs[index]!)) throw context.fail(node, 'adds two constants');
  const input = context.placement(node, index);
  const constant = graph.constants.get(constantInput)!;
  const values = constant.type === 'float32' ? constantInOrder(constant, input) : undefined;
  if (!values) throw context.fail(node, `the constant '${constantInput}' [${constant.dims.join(', ')}] does not broadcast to '${node.inputs[index]}' [${input.dims.join(', ')}] as float32`);
  const inTensor = context.tensors.get(input.tensor)!;
  const peak = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const constantType: ActivationType = { scale: (peak > 0 ? peak : 1) / 127, signed: true };
  const name = constantName(context, constantInput, node);
  context.tensors.set(name, { name, shape: inTensor.shape, signed: true, scale: constantType.scale });
  context.constants.set(name, quantizeValues(values, constantType));
  const after = context.epilogue(node.outputs[0]!);
  const outType = context.outputType(node, after.value, after.relu);
  const rescale = addRescale(inTensor.scale / outType.scale, constantType.scale / outType.scale);
  if (!rescale) throw context.fail(node, `the output scale ${outType.scale} is too small for the input scales ${inTensor.scale} and ${constantType.scale}`);
  context.elementwiseTensor(after.value, input, outType);
  const scale = { ...rescale, outputType: outType.signed ? ('int8' as const) : ('uint8' as const), relu: after.relu };
  context.nodes.push({ op: 'add', name: node.name, inputs: [input.tensor, name], output: after.value, scale });
}
