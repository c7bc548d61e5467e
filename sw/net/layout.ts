/**
 * Where a float value of the canonical graph (NCHW, row-major) lives in the integer network: in
 * which tensor buffer, seen with which HWC shape, and in which element order. An image [1, C, H, W]
 * is an H x W x C tensor; any other value [.., T, D] is rows of D features (T tokens of a token
 * matrix, or the rows of several heads), rows x 1 x D, in its own row-major order. A Flatten or Reshape that keeps the byte order makes an alias (the same
 * buffer); one that does not (an image flattened in CHW order), or a Transpose, records the
 * permutation, which a fully connected layer absorbs in its weights and the attention's lowering
 * reads views out of (sw/net/quantize/positions.ts).
 */
import { elementCount } from './float/tensor.js';
import type { TensorShape } from './graph.js';

export interface Placement {
  /** The network tensor holding the value's elements. */
  readonly tensor: string;
  /** The value's ONNX dimensions. */
  readonly dims: readonly number[];
  /** How the value's consumers see the buffer (as many elements as the tensor). */
  readonly view: TensorShape;
  /**
   * When the buffer is not in the natural order of `dims` (naturalOrder): buffer position of every
   * float element (row-major index), and the node that reordered it.
   */
  readonly permuted?: { readonly order: Int32Array; readonly by: string };
}

/** The HWC shape of a value of `dims`, or a reason it has none (batch > 1, rank > 4). */
export function naturalView(dims: readonly number[]): TensorShape | string {
  if (dims.length === 4) {
    const [n, c, h, w] = dims as [number, number, number, number];
    return n === 1 ? { h, w, c } : `batch ${n} (the network runs batch 1)`;
  }
  if (dims.length === 0 || dims.length > 4) return `rank ${dims.length}`;
  // Rows of the last dimension, whatever the dimensions before it: [1, T, D], PyTorch's
  // MultiheadAttention's [T, 1, D] and its heads' [T, H, d] and [H, T, d] (in row-major order).
  return { h: dims.slice(0, -1).reduce((a, b) => a * b, 1), w: 1, c: dims[dims.length - 1]! };
}

/** Buffer position of every float element of `dims` in its natural view (NCHW to HWC for an image, identity else). */
export function naturalOrder(dims: readonly number[]): Int32Array {
  const order = new Int32Array(elementCount(dims));
  if (dims.length !== 4) return order.map((_, i) => i);
  const [, c, h, w] = dims as [number, number, number, number];
  for (let ci = 0; ci < c; ci++) for (let p = 0; p < h * w; p++) order[ci * h * w + p] = p * c + ci;
  return order;
}

/** The placement's buffer position of every float element. */
export const placementOrder = (placement: Placement): Int32Array => placement.permuted?.order ?? naturalOrder(placement.dims);

/** A value's float elements (row-major, NCHW) in buffer order. */
export function toBufferOrder(placement: Placement, values: Float32Array): Float32Array {
  const order = placementOrder(placement);
  const out = new Float32Array(values.length);
  order.forEach((position, i) => (out[position] = values[i]!));
  return out;
}

/** A buffer's elements in the value's float order (row-major, NCHW). */
export function toFloatOrder(placement: Placement, buffer: Float32Array): Float32Array {
  const order = placementOrder(placement);
  return Float32Array.from(order, (position) => buffer[position]!);
}

export const shapeSize = (shape: TensorShape): number => shape.h * shape.w * shape.c;
