/**
 * What follows a layer's output and is folded into it: per-channel constants added (into the
 * bias) and multiplied (into the weights, or for weights read at run time into the
 * requantization: the attention's 1/sqrt(d) and the Mul that a Div by a constant becomes), then a
 * ReLU (into the output type).
 */
import type { Graph, GraphNode } from '../../onnx/graph.js';
import { broadcastDims, broadcastIndices } from '../float/tensor.js';

/**
 * Which axis of a value holds a layer's output channels: 'image', axis 1 of a 4-D (NCHW) value and
 * the last axis of any other; 'last', the last axis, also of a 4-D batch of attention matrices.
 */
export type ChannelAxis = 'image' | 'last';

export interface Epilogue {
  /** The value the fused node's tensor holds. */
  readonly value: string;
  readonly relu: boolean;
  /** Per output channel, the fused value is scale[o] * (the layer's result) + bias[o]; absent for 1 and 0. */
  readonly scale?: Float64Array;
  readonly bias?: Float64Array;
}

/**
 * The per-channel constant that Add or Mul node `node` applies to `value` of `dims` (channels
 * along `channels`), or undefined when its other operand is no constant or varies along another axis.
 */
export function channelConstant(graph: Graph, node: GraphNode, value: string, dims: readonly number[], channels: ChannelAxis): Float64Array | undefined {
  const other = node.inputs[0] === value ? node.inputs[1] : node.inputs[0];
  const constant = graph.constants.get(other ?? '');
  if (!constant || constant.type !== 'float32') return undefined;
  const broadcast = broadcastDims(constant.dims, dims);
  if (!broadcast || broadcast.join() !== dims.join()) return undefined;
  const image = channels === 'image' && dims.length === 4;
  const count = image ? dims[1]! : dims[dims.length - 1]!;
  const inner = image ? dims[2]! * dims[3]! : 1;
  const reads = broadcastIndices(constant.dims, dims);
  const perChannel = new Float64Array(count).fill(NaN);
  for (let i = 0; i < reads.length; i++) {
    const channel = Math.floor(i / inner) % count;
    const v = constant.data[reads[i]!]!;
    if (Number.isNaN(perChannel[channel]!)) perChannel[channel] = v;
    else if (perChannel[channel] !== v) return undefined;
  }
  return perChannel;
}

/** The epilogue extended by Add or Mul node `node` of the per-channel constant `constant`. */
export function foldConstant(epilogue: Epilogue, node: GraphNode, constant: Float64Array): Epilogue {
  const value = node.outputs[0]!;
  const bias = epilogue.bias ?? new Float64Array(constant.length);
  if (node.op === 'Add') return { ...epilogue, value, bias: bias.map((b, o) => b + constant[o]!) };
  const scale = epilogue.scale ?? new Float64Array(constant.length).fill(1);
  return { ...epilogue, value, scale: scale.map((s, o) => s * constant[o]!), bias: bias.map((b, o) => b * constant[o]!) };
}
