/**
 * The float evaluator's values: row-major float32 arrays with ONNX's dimensions (NCHW for images),
 * and the index arithmetic its operators share (strides, NumPy broadcasting).
 */
import type { Tensor } from '../../onnx/graph.js';

export interface FloatValue {
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

export const elementCount = (dims: readonly number[]): number => dims.reduce((a, d) => a * d, 1);

/** Row-major strides of `dims` (the last dimension is contiguous). */
export function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * dims[i + 1]!;
  return strides;
}

/** A constant as a float value (int8, int32, int64 and bool constants too: their values are exact in float32 where it matters). */
export function constantValue(tensor: Tensor): FloatValue {
  return { dims: tensor.dims, data: Float32Array.from(tensor.data) };
}

/** NumPy's broadcast shape of two shapes, or undefined when they do not broadcast. */
export function broadcastDims(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

/**
 * For every element of the broadcast shape `out`, the index of the element of an operand of shape
 * `dims` that it reads (a stride of 0 along broadcast dimensions).
 */
export function broadcastIndices(dims: readonly number[], out: readonly number[]): Int32Array {
  const rank = out.length;
  const own = stridesOf(dims);
  const strides = out.map((_, i) => {
    const j = dims.length - rank + i;
    return j < 0 || dims[j] === 1 ? 0 : own[j]!;
  });
  const indices = new Int32Array(elementCount(out));
  const counter = new Array<number>(rank).fill(0);
  let offset = 0;
  for (let n = 0; n < indices.length; n++) {
    indices[n] = offset;
    for (let axis = rank - 1; axis >= 0; axis--) {
      counter[axis]!++;
      offset += strides[axis]!;
      if (counter[axis]! < out[axis]!) break;
      offset -= strides[axis]! * out[axis]!;
      counter[axis] = 0;
    }
  }
  return indices;
}

/** A negative axis counted from the end, checked against the rank. */
export function normalizeAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}
