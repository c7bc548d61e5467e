/**
 * A MatMul of two activations (attention's Q K^T and P V) lowered to one matmul layer per head,
 * whose weights are a tensor read at run time (LayerNode.weightTensor). The heads are found from
 * where the elements lie, whatever Reshape and Transpose produced them:
 *
 * - the left operand of head h must be a block of its tensor's pixels and channels (Q_h, a
 *   channel slice of Q; P_h, a slice of rows of the stacked probabilities): a view;
 * - the right operand B_h (K x N) is read as N rows of K: when B_h^T is such a block (K_h, for
 *   K^T made by a Transpose) that view is the weight tensor; when B_h itself is one (V_h), a
 *   TransposeNode writes V_h^T and that is;
 * - the output of head h is a block of one tensor: laid out so that the Transposes and Reshapes
 *   after it (a head merge) see a plain token matrix, each head a channel slice of it, or else
 *   the heads stacked as rows (the scores, one softmax over all of them).
 *
 * A per-channel positive constant Mul after it (the 1/sqrt(d) scale) and a constant Add are
 * folded into the requantization and the bias. Both operands have one scale, so every output
 * channel has the same requantization but for such a folded constant.
 */
import type { GraphNode } from '../../onnx/graph.js';
import { intsAttribute } from '../attributes.js';
import type { ChannelQuantization } from '../../layers/requantize.js';
import { LayerSpecError, NO_PADDING, validateLayer, type LayerSpec } from '../../layers/spec.js';
import type { TensorShape } from '../graph.js';
import { naturalOrder, naturalView } from '../layout.js';
import { roundHalfEven } from '../round.js';
import type { LoweringContext } from './context.js';
import type { ActivationType } from './plan.js';
import { matrixView, storagePositions, transposeIndices } from './positions.js';
import { MAX_LAYER_FACTOR, layerRescale } from './requantization.js';

const ALIASES = new Set(['Reshape', 'Flatten', 'Transpose']);

interface Layout {
  readonly shape: TensorShape;
  /** Buffer position of every element of the value, row-major. */
  readonly order: Int32Array;
}

/** The tensor of `rows` x `cols` matrices, one per batch: every matrix must be a block of its pixels. */
function blocksFit(layout: Layout, batches: number, rows: number, cols: number): boolean {
  for (let b = 0; b < batches; b++) if (!matrixView(layout.order, { start: b * rows * cols, rows, cols, rowStride: cols, colStride: 1 }, layout.shape.c)) return false;
  return true;
}

/**
 * How to lay out the matrices of `value`: the farthest token matrix that the Reshapes and
 * Transposes reading it (each the only reader) make of it, when every matrix is a block of it, so
 * that those nodes move no byte; else the matrices one after the other, batches x rows pixels.
 */
function outputLayout(context: LoweringContext, value: string, batches: number, rows: number, cols: number): Layout {
  let layout: Layout = { shape: { h: batches * rows, w: 1, c: cols }, order: Int32Array.from({ length: batches * rows * cols }, (_, i) => i) };
  let current = value;
  let toCurrent = layout.order;
  for (let next = context.soleConsumer(current); next && ALIASES.has(next.op); next = context.soleConsumer(current)) {
    if (next.op === 'Transpose') {
      const moved = transposeIndices(context.dims(current), intsAttribute(context.graph, next, 'perm'));
      toCurrent = toCurrent.map((i) => moved[i]!);
    }
    current = next.outputs[0]!;
    const dims = context.dims(current);
    const shape = naturalView(dims);
    // A token matrix's natural order is its row-major order: element i at position i.
    if (dims.length <= 3 && typeof shape !== 'string' && blocksFit({ shape, order: toCurrent }, batches, rows, cols)) layout = { shape, order: toCurrent };
  }
  return layout;
}

export function activationMatMul(context: LoweringContext, node: GraphNode): void {
  const { tensors } = context;
  const [a, b] = [context.placement(node, 0), context.placement(node, 1)];
  const output = node.outputs[0]!;
  const dims = context.dims(output);
  const [rows, k] = a.dims.slice(-2) as [number, number];
  const cols = b.dims[b.dims.length - 1]!;
  const batchDims = dims.slice(0, -2);
  if (a.dims.length !== dims.length || b.dims.length !== dims.length || [a.dims, b.dims].some((d) => d.slice(0, -2).join() !== batchDims.join())) {
    throw context.fail(node, `multiplies [${a.dims.join(', ')}] by [${b.dims.join(', ')}]: a MatMul of two activations must not broadcast`);
  }
  const batches = batchDims.reduce((x, d) => x * d, 1);
  const after = context.epilogue(output, 'last');
  const channelScale = after.scale ?? new Float64Array(cols).fill(1);
  if (channelScale.some((s) => !(s > 0))) throw context.fail(node, `the constant multiplying its output must be positive: its weights are read at run time, so it goes into the requantization`);

  const left = storagePositions(a, tensors);
  const right = storagePositions(b, tensors);
  // The operands' own tensors give the scales (a rescaled view differs from its storage's).
  const [aTensor, bTensor] = [tensors.get(a.tensor)!, tensors.get(b.tensor)!];
  if (!bTensor.signed) throw context.fail(node, `its right operand '${node.inputs[1]}' is uint8: the weights of a matmul are int8`);
  const accumulatorScale = aTensor.scale * bTensor.scale;
  let outType = context.outputType(node, after.value, after.relu);
  const largest = accumulatorScale * Math.max(...channelScale);
  if (largest / outType.scale > MAX_LAYER_FACTOR) outType = { ...outType, scale: largest / MAX_LAYER_FACTOR };

  placeOutput(context, node, after.value, outputLayout(context, after.value, batches, rows, cols), outType);
  const out = storagePositions(context.placements.get(after.value)!, tensors);
  const quantization = Array.from(channelScale, (scale, o): ChannelQuantization => {
    const bias = roundHalfEven((after.bias?.[o] ?? 0) / (accumulatorScale * scale));
    if (!(bias >= -(2 ** 31) && bias < 2 ** 31)) throw context.fail(node, `the constant added to channel ${o} is beyond int32 at the accumulator's scale`);
    return { bias, ...layerRescale((accumulatorScale * scale) / outType.scale, outType.signed ? 'int8' : 'uint8', after.relu) };
  });
  /** The tensor of the r x c block at `start` of an operand's elements (read transposed: element (i, j) is the operand's (j, i)). */
  const block = (operand: { source: string; storage: string; positions: Int32Array }, start: number, shape: { rows: number; cols: number; transposed?: boolean }): string | undefined => {
    const { rows: r, cols: c, transposed } = shape;
    const view = matrixView(operand.positions, { start, rows: r, cols: c, rowStride: transposed ? 1 : c, colStride: transposed ? r : 1 }, tensors.get(operand.storage)!.shape.c);
    return view && context.viewTensor(operand.source, view, { h: r, w: 1, c });
  };
  const [lhs, rhs, result] = [{ source: a.tensor, ...left }, { source: b.tensor, ...right }, { source: after.value, ...out }];
  for (let h = 0; h < batches; h++) {
    const name = batches > 1 ? `${node.name}/head${h}` : node.name;
    const input = block(lhs, h * rows * k, { rows, cols: k });
    if (!input) throw context.fail(node, `matrix ${h} of its left operand '${node.inputs[0]}' is no block of pixels and channels of tensor '${left.storage}'`);
    const weightTensor = block(rhs, h * k * cols, { rows: cols, cols: k, transposed: true }) ?? transposedWeights(context, node, name, block(rhs, h * k * cols, { rows: k, cols }));
    const written = block(result, h * rows * cols, { rows, cols })!;
    const spec: LayerSpec = {
      name, kind: 'matmul', inH: rows, inW: 1, inC: k, outC: cols, kH: 1, kW: 1, stride: 1, pad: NO_PADDING,
      inputSigned: aTensor.signed, output: outType.signed ? 'int8' : 'uint8', relu: after.relu, activationWeights: true,
    };
    try {
      validateLayer(spec);
    } catch (error) {
      if (error instanceof LayerSpecError) throw context.fail(node, `is no layer the kernels compute: ${error.message}`);
      throw error;
    }
    context.nodes.push({ op: 'layer', name, input, output: written, spec, weights: new Int8Array(0), weightTensor, quantization });
  }
}

/** The tensor of the matrices' `value` in `layout`, and where the value's elements lie in it. */
function placeOutput(context: LoweringContext, node: GraphNode, value: string, layout: Layout, type: ActivationType): void {
  const dims = context.dims(value);
  context.addTensor(value, dims, layout.shape, type);
  const natural = naturalOrder(dims);
  const view = naturalView(dims);
  const permuted = layout.order.some((p, i) => p !== natural[i]) ? { permuted: { order: layout.order, by: node.name } } : {};
  context.placements.set(value, { tensor: value, dims, view: typeof view === 'string' ? layout.shape : view, ...permuted });
}

/** The transpose of a right operand's block (V_h into V_h^T: the weights' rows are the output channels), written once. */
function transposedWeights(context: LoweringContext, node: GraphNode, layer: string, block: string | undefined): string {
  if (!block) throw context.fail(node, `its right operand '${node.inputs[1]}' is no block of pixels and channels of one tensor, nor the transpose of one`);
  const source = context.tensors.get(block)!;
  const name = `${block}^T`;
  if (context.tensors.has(name)) return name;
  context.tensors.set(name, { name, shape: { h: source.shape.c, w: 1, c: source.shape.h * source.shape.w }, signed: source.signed, scale: source.scale });
  context.nodes.push({ op: 'transpose', name: `${layer}/transpose`, input: block, output: name });
  return name;
}
