/**
 * The integer network the compiler lowers to a cluster program and the golden model runs
 * (docs/compiler.md#integer-network): tensors in HWC layout, batch 1, each int8 or uint8 with one
 * real scale and zero point 0 (real value = scale * q), and nodes whose arithmetic is defined here
 * bit for bit. A token matrix of T tokens and D features is T x 1 x D.
 */
import type { ChannelQuantization } from '../layers/requantize.js';
import type { AddScale } from '../layers/add.js';
import type { AvgPoolScale, PoolSpec } from '../layers/pool.js';
import type { LayerSpec } from '../layers/spec.js';

export interface TensorShape {
  readonly h: number;
  readonly w: number;
  readonly c: number;
}

export interface NetTensor {
  readonly name: string;
  readonly shape: TensorShape;
  /** int8 (two's complement) or uint8 elements. */
  readonly signed: boolean;
  /** Real value of one step: x = scale * q (zero point 0). */
  readonly scale: number;
}

/**
 * A multiply-accumulate layer (conv, pointwise, depthwise, fc, token matmul): the kernels of
 * sw/kernels/layers and the golden model of sw/layers/golden.ts, requantized per output channel.
 * `spec.inputSigned` and the input tensor's `signed` agree; `spec.output`/`spec.relu` give the
 * output tensor's type.
 */
export interface LayerNode {
  readonly op: 'layer';
  readonly name: string;
  readonly input: string;
  readonly output: string;
  readonly spec: LayerSpec;
  /** weights[c * K + j] in im2col order (sw/layers/data.ts). */
  readonly weights: Int8Array;
  readonly quantization: readonly ChannelQuantization[];
}

/**
 * Element-wise sum of two tensors of one shape (a residual connection), each brought to the output
 * scale by its multiplier (sw/layers/add.ts): out = clamp((a * ma + b * mb + 2^(shift-1)) >> shift).
 */
export interface AddNode {
  readonly op: 'add';
  readonly name: string;
  readonly inputs: readonly [string, string];
  readonly output: string;
  readonly scale: AddScale;
}

/** A pooling window over an HWC tensor (the fields of a PoolSpec but its input's shape). */
export type PoolWindow = Pick<PoolSpec, 'kH' | 'kW' | 'stride' | 'pad'>;

/** Maximum over the window per channel, padding never winning (sw/layers/pool.ts); the input's type and scale. */
export interface MaxPoolNode {
  readonly op: 'maxpool';
  readonly name: string;
  readonly input: string;
  readonly output: string;
  readonly window: PoolWindow;
}

/**
 * Average over the window per channel, padding counted as zeros (count_include_pad; the quantizer
 * rejects the other convention when there is padding), rescaled by multiplier / 2^shift =
 * in.scale / (out.scale * kH * kW) (sw/layers/pool.ts). The quantizer keeps sum * multiplier below
 * 2^31. GlobalAveragePool is this with the window the whole input.
 */
export interface AvgPoolNode {
  readonly op: 'avgpool';
  readonly name: string;
  readonly input: string;
  readonly output: string;
  readonly window: PoolWindow;
  readonly scale: AvgPoolScale;
}

export type NetNode = LayerNode | AddNode | MaxPoolNode | AvgPoolNode;

export interface Network {
  readonly name: string;
  /** The network's input tensor (quantized on the host from the float input). */
  readonly input: string;
  /** Output tensors, in the model's order. */
  readonly outputs: readonly string[];
  readonly tensors: ReadonlyMap<string, NetTensor>;
  /** In topological order; every tensor but the input is written by exactly one node. */
  readonly nodes: readonly NetNode[];
}

/** The inputs a node reads, in order. */
export function nodeInputs(node: NetNode): readonly string[] {
  return node.op === 'add' ? node.inputs : [node.input];
}
