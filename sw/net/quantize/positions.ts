/**
 * Where the elements of a graph value lie in memory, as byte positions in the storage tensor
 * (the tensor that is no view), and which views of a storage tensor a matrix of them forms. The
 * attention's heads, the class token and the concatenation are such views: the lowering finds
 * them by comparing positions, whatever chain of Reshape and Transpose produced the value.
 */
import type { NetTensor, TensorShape, TensorView } from '../graph.js';
import { placementOrder, type Placement } from '../layout.js';

/** The storage tensor's byte position of every float element (row-major) of a placed value. */
export function storagePositions(placement: Placement, tensors: ReadonlyMap<string, NetTensor>): { storage: string; positions: Int32Array } {
  const order = placementOrder(placement);
  const tensor = tensors.get(placement.tensor)!;
  const view = tensor.view;
  if (!view) return { storage: tensor.name, positions: order };
  const width = tensor.shape.c;
  const parentWidth = tensors.get(view.parent)!.shape.c;
  const positions = order.map((p) => (view.pixelOffset + Math.floor(p / width)) * parentWidth + view.channelOffset + (p % width));
  return { storage: view.parent, positions };
}

/**
 * The view of a storage tensor of `width` channels that holds a rows x cols matrix whose element
 * (r, c) is at positions[start + r * rowStride + c * colStride], or undefined when the matrix is
 * no such block (its rows not one pixel each, or not consecutive).
 */
export function matrixView(
  positions: Int32Array,
  matrix: { readonly start: number; readonly rows: number; readonly cols: number; readonly rowStride: number; readonly colStride: number },
  width: number,
): Omit<TensorView, 'parent'> | undefined {
  const base = positions[matrix.start]!;
  const pixelOffset = Math.floor(base / width);
  const channelOffset = base % width;
  if (channelOffset + matrix.cols > width) return undefined;
  for (let r = 0; r < matrix.rows; r++) {
    for (let c = 0; c < matrix.cols; c++) {
      if (positions[matrix.start + r * matrix.rowStride + c * matrix.colStride] !== (pixelOffset + r) * width + channelOffset + c) return undefined;
    }
  }
  return { pixelOffset, channelOffset };
}

/**
 * Whether every row of `cols` elements (the last axis) of a value is one pixel of its tensor (of
 * `cols` channels), in order: a softmax or LayerNormalization over the last axis then runs on the
 * tensor's rows, which it does not care the order of.
 */
export function rowsArePixels(order: Int32Array, cols: number, tensor: TensorShape): boolean {
  if (tensor.c !== cols) return false;
  for (let i = 0; i < order.length; i++) if (order[i]! !== order[i - (i % cols)]! + (i % cols) || order[i - (i % cols)]! % cols !== 0) return false;
  return true;
}

/** For every row-major index of a value of `dims`, its index in the output of Transpose(`perm`). */
export function transposeIndices(dims: readonly number[], perm: readonly number[]): Int32Array {
  const outDims = perm.map((axis) => dims[axis]!);
  const inStrides = strides(dims);
  const size = dims.reduce((a, d) => a * d, 1);
  const map = new Int32Array(size);
  const coordinate = new Array<number>(outDims.length).fill(0);
  for (let out = 0; out < size; out++) {
    let source = 0;
    for (let axis = 0; axis < outDims.length; axis++) source += coordinate[axis]! * inStrides[perm[axis]!]!;
    map[source] = out;
    for (let axis = outDims.length - 1; axis >= 0; axis--) {
      if (++coordinate[axis]! < outDims[axis]!) break;
      coordinate[axis] = 0;
    }
  }
  return map;
}

function strides(dims: readonly number[]): number[] {
  const result = new Array<number>(dims.length).fill(1);
  for (let axis = dims.length - 2; axis >= 0; axis--) result[axis] = result[axis + 1]! * dims[axis + 1]!;
  return result;
}
