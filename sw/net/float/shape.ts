/** Operators that move data without arithmetic: Flatten, Reshape, Transpose and Concat. */
import type { NodeContext } from './context.js';
import { elementCount, normalizeAxis, stridesOf, type FloatValue } from './tensor.js';

export function flatten(context: NodeContext): FloatValue[] {
  const x = context.input(0);
  const axis = normalizeAxis(context.int('axis', 1), x.dims.length + 1);
  if (axis === undefined) throw context.error(`axis ${context.int('axis', 1)} is outside a tensor of rank ${x.dims.length}`);
  return [{ dims: [elementCount(x.dims.slice(0, axis)), elementCount(x.dims.slice(axis))], data: x.data }];
}

export function reshape(context: NodeContext): FloatValue[] {
  const x = context.input(0);
  const shape = context.ints('shape');
  // ONNX's 0 copies the input's dimension and one -1 takes what is left.
  const dims = shape.map((d, i) => (d === 0 ? x.dims[i]! : d));
  const known = elementCount(dims.filter((d) => d !== -1));
  const inferred = dims.map((d) => (d === -1 ? elementCount(x.dims) / known : d));
  if (elementCount(inferred) !== elementCount(x.dims) || !inferred.every(Number.isInteger)) {
    throw context.error(`cannot reshape [${x.dims.join(', ')}] to [${shape.join(', ')}]`);
  }
  return [{ dims: inferred, data: x.data }];
}

export function transpose(context: NodeContext): FloatValue[] {
  const x = context.input(0);
  const rank = x.dims.length;
  const perm = context.ints('perm', Array.from({ length: rank }, (_, i) => rank - 1 - i));
  if (perm.length !== rank || new Set(perm).size !== rank || perm.some((p) => p < 0 || p >= rank)) throw context.error(`perm [${perm.join(', ')}] is no permutation of ${rank} axes`);
  const dims = perm.map((p) => x.dims[p]!);
  const inStrides = stridesOf(x.dims);
  const strides = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(x.data.length);
  const counter = new Array<number>(rank).fill(0);
  for (let i = 0; i < out.length; i++) {
    let offset = 0;
    for (let a = 0; a < rank; a++) offset += counter[a]! * strides[a]!;
    out[i] = x.data[offset]!;
    for (let a = rank - 1; a >= 0; a--) {
      if (++counter[a]! < dims[a]!) break;
      counter[a] = 0;
    }
  }
  return [{ dims, data: out }];
}

export function concat(context: NodeContext): FloatValue[] {
  const parts = context.node.inputs.map((_, i) => context.input(i));
  const first = parts[0];
  if (!first) throw context.error('has no inputs');
  const axis = normalizeAxis(context.int('axis'), first.dims.length);
  if (axis === undefined) throw context.error(`axis ${context.int('axis')} is outside a tensor of rank ${first.dims.length}`);
  for (const part of parts) {
    if (part.dims.length !== first.dims.length || part.dims.some((d, i) => i !== axis && d !== first.dims[i])) {
      throw context.error(`shapes [${first.dims.join(', ')}] and [${part.dims.join(', ')}] differ outside axis ${axis}`);
    }
  }
  const outer = elementCount(first.dims.slice(0, axis));
  const inner = elementCount(first.dims.slice(axis + 1));
  const dims = first.dims.map((d, i) => (i === axis ? parts.reduce((a, p) => a + p.dims[axis]!, 0) : d));
  const out = new Float32Array(elementCount(dims));
  let i = 0;
  for (let o = 0; o < outer; o++) {
    for (const part of parts) {
      const run = part.dims[axis]! * inner;
      out.set(part.data.subarray(o * run, (o + 1) * run), i);
      i += run;
    }
  }
  return [{ dims, data: out }];
}
