/**
 * The float evaluator's values: row-major float32 arrays with ONNX's dimensions (NCHW for images),
 * and the index arithmetic its operators share (strides, NumPy broadcasting).
 */
import type { Tensor } from '../../onnx/graph.js';
export { broadcastDims, broadcastIndices, stridesOf } from '../../onnx/broadcast.js';
export { elementCount } from '../../onnx/tensor.js';

export interface FloatValue {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** A constant as a float value (int8, int32, int64 and bool constants too: their values are exact in float32 where it matters). */
export function constantValue(tensor: Tensor): FloatValue {
  return { dims: tensor.dims, data: Float32Array.from(tensor.data) };
}

/** A negative axis counted from the end, checked against the rank. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}
