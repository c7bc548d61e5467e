/** Gemm (2-D, optional transposes, broadcast C) and MatMul (NumPy's batched matmul). */
import type { NodeContext } from './context.js';
import { broadcastDims, broadcastIndices, elementCount, type FloatValue } from './tensor.js';

export function gemm(context: NodeContext): FloatValue[] {
  const a = context.input(0);
  const b = context.input(1);
  const c = context.optionalInput(2);
  if (a.dims.length !== 2 || b.dims.length !== 2) throw context.error(`takes 2-D operands, not [${a.dims.join(', ')}] and [${b.dims.join(', ')}]`);
  const transA = context.int('transA', 0) !== 0;
  const transB = context.int('transB', 0) !== 0;
  const alpha = context.float('alpha', 1);
  const beta = context.float('beta', 1);
  const [m, k] = transA ? [a.dims[1]!, a.dims[0]!] : [a.dims[0]!, a.dims[1]!];
  const [kB, n] = transB ? [b.dims[1]!, b.dims[0]!] : [b.dims[0]!, b.dims[1]!];
  if (k !== kB) throw context.error(`inner dimensions ${k} and ${kB} differ`);
  const readA = (i: number, j: number): number => a.data[transA ? j * m + i : i * k + j]!;
  const readB = (i: number, j: number): number => b.data[transB ? j * k + i : i * n + j]!;
  const cIndex = c ? broadcastIndices(c.dims, [m, n]) : undefined;
  if (c && !broadcastDims(c.dims, [m, n])) throw context.error(`C of shape [${c.dims.join(', ')}] does not broadcast to [${m}, ${n}]`);
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += readA(i, p) * readB(p, j);
      out[i * n + j] = alpha * sum + (c ? beta * c.data[cIndex![i * n + j]!]! : 0);
    }
  }
  return [{ dims: [m, n], data: out }];
}

export function matMul(context: NodeContext): FloatValue[] {
  const a = context.input(0);
  const b = context.input(1);
  // A 1-D operand is a row (A) or a column (B), and that dimension is dropped from the result.
  const aDims = a.dims.length === 1 ? [1, a.dims[0]!] : a.dims;
  const bDims = b.dims.length === 1 ? [b.dims[0]!, 1] : b.dims;
  const [m, k] = aDims.slice(-2) as [number, number];
  const [kB, n] = bDims.slice(-2) as [number, number];
  const batch = broadcastDims(aDims.slice(0, -2), bDims.slice(0, -2));
  if (k !== kB || !batch) throw context.error(`operands [${a.dims.join(', ')}] and [${b.dims.join(', ')}] do not multiply`);
  const batchA = broadcastIndices(aDims.slice(0, -2), batch);
  const batchB = broadcastIndices(bDims.slice(0, -2), batch);
  const batches = elementCount(batch);
  const out = new Float32Array(batches * m * n);
  for (let t = 0; t < batches; t++) {
    const offA = batchA[t]! * m * k;
    const offB = batchB[t]! * k * n;
    for (let i = 0; i < m; i++) {
      const row = offA + i * k;
      const at = (t * m + i) * n;
      // Four columns at a time: four independent sums, each in the order of p as one alone would
      // add them (the same bits), which the processor overlaps; B's row read once for the four.
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let p = 0; p < k; p++) {
          const value = a.data[row + p]!;
          const column = offB + p * n + j;
          s0 += value * b.data[column]!;
          s1 += value * b.data[column + 1]!;
          s2 += value * b.data[column + 2]!;
          s3 += value * b.data[column + 3]!;
        }
        out[at + j] = s0;
        out[at + j + 1] = s1;
        out[at + j + 2] = s2;
        out[at + j + 3] = s3;
      }
      for (; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += a.data[row + p]! * b.data[offB + p * n + j]!;
        out[at + j] = sum;
      }
    }
  }
  const dims = [...batch, ...(a.dims.length === 1 ? [] : [m]), ...(b.dims.length === 1 ? [] : [n])];
  return [{ dims, data: out }];
}
