/** Softmax over one axis and LayerNormalization over the trailing axes. */
import type { NodeContext } from './context.js';
import { elementCount, normalizeAxis, type FloatValue } from './tensor.js';

function axisOf(context: NodeContext, x: FloatValue): number {
  const axis = normalizeAxis(context.int('axis', -1), x.dims.length);
  if (axis === undefined) throw context.error(`axis ${context.int('axis', -1)} is outside a tensor of rank ${x.dims.length}`);
  return axis;
}

/** Softmax along `axis` alone (opset 13), the maximum subtracted first so that exp cannot overflow. */
export function softmax(context: NodeContext): FloatValue[] {
  const x = context.input(0);
  const axis = axisOf(context, x);
  const length = x.dims[axis]!;
  const inner = elementCount(x.dims.slice(axis + 1));
  const outer = elementCount(x.dims.slice(0, axis));
  const out = new Float32Array(x.data.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const at = (j: number): number => (o * length + j) * inner + i;
      let max = -Infinity;
      for (let j = 0; j < length; j++) max = Math.max(max, x.data[at(j)]!);
      let sum = 0;
      for (let j = 0; j < length; j++) sum += Math.exp(x.data[at(j)]! - max);
      for (let j = 0; j < length; j++) out[at(j)] = Math.exp(x.data[at(j)]! - max) / sum;
    }
  }
  return [{ dims: x.dims, data: out }];
}

/** (x - mean) / sqrt(variance + epsilon) * scale + bias over the axes from `axis` on (the population variance). */
export function layerNormalization(context: NodeContext): FloatValue[] {
  const x = context.input(0);
  const scale = context.input(1);
  const bias = context.optionalInput(2);
  const axis = axisOf(context, x);
  const epsilon = context.float('epsilon', 1e-5);
  const size = elementCount(x.dims.slice(axis));
  if (scale.data.length !== size || (bias && bias.data.length !== size)) throw context.error(`scale and bias must hold the ${size} elements of the normalized axes`);
  const out = new Float32Array(x.data.length);
  for (let start = 0; start < x.data.length; start += size) {
    let mean = 0;
    for (let j = 0; j < size; j++) mean += x.data[start + j]!;
    mean /= size;
    let variance = 0;
    for (let j = 0; j < size; j++) variance += (x.data[start + j]! - mean) ** 2;
    variance /= size;
    const inv = 1 / Math.sqrt(variance + epsilon);
    for (let j = 0; j < size; j++) out[start + j] = (x.data[start + j]! - mean) * inv * scale.data[j]! + (bias ? bias.data[j]! : 0);
  }
  return [{ dims: x.dims, data: out }];
}
