/**
 * Softmax, LayerNormalization and Gelu lowered to the integer-only nodes of
 * sw/net/nonlinear-nodes.ts (docs/integer-nonlinear.md). Each reads an int8 tensor and writes a
 * tensor of the same shape in the same element order: a softmax or LayerNormalization over the last
 * axis needs each row of that axis to be one pixel of the tensor (any order of the rows), which
 * covers a token matrix and a stack of attention heads. Softmax writes uint8 at 1/255; the other
 * two write int8 at their output's calibrated scale.
 */
import type { GraphNode } from '../../onnx/graph.js';
import { floatAttribute, intAttribute } from '../attributes.js';
import { geluParameters } from '../../layers/gelu.js';
import { layerNormParameters } from '../../layers/layernorm.js';
import { SOFTMAX_OUTPUT_SCALE, softmaxParameters } from '../../layers/softmax.js';
import { placementOrder, type Placement } from '../layout.js';
import type { LoweringContext } from './context.js';
import { rowsArePixels } from './positions.js';

/** The node's int8 input; for a normalization over the last axis, one whose rows are its tensor's pixels. */
function signedInput(context: LoweringContext, node: GraphNode, overLastAxis: boolean): Placement {
  const input = context.placement(node, 0);
  const tensor = context.tensors.get(input.tensor)!;
  if (!tensor.signed) throw context.fail(node, `its input '${node.inputs[0]}' is uint8 (a fused ReLU or a softmax output); the integer ${node.op} takes int8`);
  if (!overLastAxis) return input;
  const rank = input.dims.length;
  const given = intAttribute(context.graph, node, 'axis');
  const axis = given < 0 ? given + rank : given;
  if (axis !== rank - 1) throw context.fail(node, `axis ${axis} of [${input.dims.join(', ')}] is not the last: the integer ${node.op} normalizes each token's row`);
  if (!rowsArePixels(placementOrder(input), input.dims[rank - 1]!, tensor.shape)) {
    throw context.fail(node, `the rows of '${node.inputs[0]}' are not the pixels of tensor '${tensor.name}' (${tensor.shape.h}x${tensor.shape.w}x${tensor.shape.c})`);
  }
  return input;
}

/** Runs a parameter derivation, its RangeError becoming an error that names the node. */
function derive<T>(context: LoweringContext, node: GraphNode, parameters: () => T): T {
  try {
    return parameters();
  } catch (error) {
    if (error instanceof RangeError) throw context.fail(node, error.message);
    throw error;
  }
}

export function softmax(context: LoweringContext, node: GraphNode): void {
  const input = signedInput(context, node, true);
  const inputScale = context.tensors.get(input.tensor)!.scale;
  const params = derive(context, node, () => softmaxParameters(inputScale));
  const output = node.outputs[0]!;
  context.elementwiseTensor(output, input, { scale: SOFTMAX_OUTPUT_SCALE, signed: false });
  context.nodes.push({ op: 'softmax', name: node.name, input: input.tensor, output, params });
}

export function layerNormalization(context: LoweringContext, node: GraphNode): void {
  const input = signedInput(context, node, true);
  const features = input.dims[input.dims.length - 1]!;
  const affine = [1, 2].map((index) => {
    const constant = context.graph.constants.get(node.inputs[index] ?? '');
    if (!constant || constant.type !== 'float32' || constant.data.length !== features) {
      throw context.fail(node, `its ${index === 1 ? 'scale' : 'bias'} '${node.inputs[index]}' is not ${features} float constants (one per feature)`);
    }
    return constant.data;
  });
  const output = node.outputs[0]!;
  const outType = context.outputType(node, output, false);
  const scales = { inputScale: context.tensors.get(input.tensor)!.scale, outputScale: outType.scale, gamma: affine[0]!, beta: affine[1]!, epsilon: floatAttribute(context.graph, node, 'epsilon') };
  const params = derive(context, node, () => layerNormParameters(scales));
  context.elementwiseTensor(output, input, outType);
  context.nodes.push({ op: 'layernorm', name: node.name, input: input.tensor, output, params });
}

export function gelu(context: LoweringContext, node: GraphNode): void {
  const input = signedInput(context, node, false);
  const output = node.outputs[0]!;
  const outType = context.outputType(node, output, false);
  const params = derive(context, node, () => geluParameters(context.tensors.get(input.tensor)!.scale, outType.scale));
  context.elementwiseTensor(output, input, outType);
  context.nodes.push({ op: 'gelu', name: node.name, input: input.tensor, output, params });
}
