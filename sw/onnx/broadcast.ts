/** NumPy broadcasting, which ONNX's elementwise operators, MatMul's batch dims and Expand follow. */

/** The broadcast of two shapes, or undefined when they do not broadcast. */
export function broadcastDims(a: readonly number[], b: readonly number[]): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) return undefined;
    dims.push(x === 1 ? y : x);
  }
  return dims;
}

export function stridesOf(dims: readonly number[]): number[] {
  const strides = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) strides[i] = strides[i + 1]! * dims[i + 1]!;
  return strides;
}

/**
 * For each element of `out` (row-major), the index of the element of a tensor of `dims` that
 * broadcasting reads there.
 */
export function broadcastIndices(dims: readonly number[], out: readonly number[]): Int32Array {
  const count = out.reduce((product, dim) => product * dim, 1);
  const offset = out.length - dims.length;
  const sourceStrides = stridesOf(dims);
  const outStrides = stridesOf(out);
  const indices = new Int32Array(count);
  for (let flat = 0; flat < count; flat++) {
    let source = 0;
    for (let axis = 0; axis < dims.length; axis++) {
      const coordinate = Math.floor(flat / outStrides[axis + offset]!) % out[axis + offset]!;
      if (dims[axis] !== 1) source += coordinate * sourceStrides[axis]!;
    }
    indices[flat] = source;
  }
  return indices;
}
