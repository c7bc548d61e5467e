/**
 * What the lowering's parts share while they turn graph nodes into network nodes (lower.ts owns
 * it; attention.ts, tokens.ts and nonlinear.ts add their nodes through it): the network being
 * built, where each graph value lives, and the helpers that name the node in every error.
 */
import type { GraphNodeError } from '../attributes.js';
import type { NetNode, NetTensor, TensorShape, TensorView } from '../graph.js';
import type { Placement } from '../layout.js';
import type { Graph, GraphNode } from '../../onnx/graph.js';
import type { ChannelAxis, Epilogue } from './epilogue.js';
import type { ActivationType } from './plan.js';

export interface LoweringContext {
  readonly graph: Graph;
  readonly tensors: Map<string, NetTensor>;
  readonly nodes: NetNode[];
  readonly placements: Map<string, Placement>;
  /** The bytes of constant tensors (a class token, a position embedding). */
  readonly constants: Map<string, Uint8Array>;
  fail(node: GraphNode, message: string): GraphNodeError;
  /** The placement of the node's input `index`, which must be a tensor of the network. */
  placement(node: GraphNode, index: number): Placement;
  /** The same, in natural order and with its tensor's own shape. */
  exactPlacement(node: GraphNode, index: number): Placement;
  dims(value: string): readonly number[];
  /** The type of the tensor holding `value` (its calibrated scale, or its parent's when it is planned as a view). */
  outputType(node: GraphNode, value: string, nonNegative: boolean): ActivationType;
  /** The per-channel constant Adds and Muls (with `channels`; none without) and the ReLU that follow `value` as its only readers, marked fused. */
  epilogue(value: string, channels?: ChannelAxis): Epilogue;
  /** The node reading `value`, when it is the only reader and the value is no graph output. */
  soleConsumer(value: string): GraphNode | undefined;
  /** A tensor for graph value `value` of `shape`, placed in natural order (a view when the plan puts it inside a concatenation). */
  addTensor(value: string, dims: readonly number[], shape: TensorShape, type: ActivationType): NetTensor;
  /** The tensor of an element-wise node's output `value`: its input tensor's shape, and the input's element order. */
  elementwiseTensor(value: string, input: Placement, type: ActivationType): NetTensor;
  /**
   * A tensor for the block `view` (offsets in the storage tensor) of tensor `source`'s bytes, at
   * `source`'s scale: `source` or its storage when one of them is exactly that block, else a view
   * (made once per source and block).
   */
  viewTensor(source: string, view: Omit<TensorView, 'parent'>, shape: TensorShape): string;
}
