/**
 * Integer network nodes of the Vision Transformer's non-linear operators (sw/net/graph.ts's
 * contract: HWC tensors, one scale, zero point 0; a token matrix of T tokens and D features is
 * T x 1 x D). Their arithmetic is defined bit for bit by the golden models named on each node;
 * every parameter is an integer derived on the host from the float scales.
 */
import type { GeluParameters } from '../layers/gelu.js';
import type { LayerNormParameters } from '../layers/layernorm.js';
import type { SoftmaxParameters } from '../layers/softmax.js';

/**
 * Softmax over the last axis (each token's row of c values) of an int8 T x 1 x c tensor into a
 * uint8 tensor of the same shape at scale SOFTMAX_OUTPUT_SCALE = 1/255 (sw/layers/softmax.ts).
 */
export interface SoftmaxNode {
  readonly op: 'softmax';
  readonly name: string;
  readonly input: string;
  readonly output: string;
  readonly params: SoftmaxParameters;
}

/**
 * LayerNormalization over each token's D features of an int8 T x 1 x D tensor, with per-feature
 * gamma and beta folded into params, into an int8 tensor of the same shape at the output tensor's
 * scale (sw/layers/layernorm.ts).
 */
export interface LayerNormNode {
  readonly op: 'layernorm';
  readonly name: string;
  readonly input: string;
  readonly output: string;
  readonly params: LayerNormParameters;
}

/** GELU of each element of an int8 tensor into an int8 tensor of the same shape (sw/layers/gelu.ts). */
export interface GeluNode {
  readonly op: 'gelu';
  readonly name: string;
  readonly input: string;
  readonly output: string;
  readonly params: GeluParameters;
}

export type NonlinearNode = SoftmaxNode | LayerNormNode | GeluNode;
