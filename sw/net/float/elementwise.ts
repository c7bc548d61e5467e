/** Element-wise operators: Add and Mul (NumPy broadcasting), Relu, Clip and Gelu. */
import type { NodeContext } from './context.js';
import { broadcastDims, broadcastIndices, type FloatValue } from './tensor.js';

function binary(context: NodeContext, f: (a: number, b: number) => number): FloatValue[] {
  const a = context.input(0);
  const b = context.input(1);
  const dims = broadcastDims(a.dims, b.dims);
  if (!dims) throw context.error(`shapes [${a.dims.join(', ')}] and [${b.dims.join(', ')}] do not broadcast`);
  const ia = broadcastIndices(a.dims, dims);
  const ib = broadcastIndices(b.dims, dims);
  const out = new Float32Array(ia.length);
  for (let i = 0; i < out.length; i++) out[i] = f(a.data[ia[i]!]!, b.data[ib[i]!]!);
  return [{ dims, data: out }];
}

function unary(context: NodeContext, f: (x: number) => number): FloatValue[] {
  const x = context.input(0);
  return [{ dims: x.dims, data: x.data.map(f) }];
}

export const add = (context: NodeContext): FloatValue[] => binary(context, (a, b) => a + b);
export const mul = (context: NodeContext): FloatValue[] => binary(context, (a, b) => a * b);
export const relu = (context: NodeContext): FloatValue[] => unary(context, (x) => Math.max(0, x));

export function clip(context: NodeContext): FloatValue[] {
  const min = context.float('min', -Infinity);
  const max = context.float('max', Infinity);
  return unary(context, (x) => Math.min(max, Math.max(min, x)));
}

/**
 * erf by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7, under float32's resolution of
 * the Gelu values it feeds): JavaScript's Math has no erf.
 */
export function erf(x: number): number {
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const y = 1 - poly * Math.exp(-x * x);
  return x < 0 ? -y : y;
}

/** Gelu(x) = x/2 (1 + erf(x / sqrt 2)); `approximate = 'tanh'` is the tanh form. */
export function gelu(context: NodeContext): FloatValue[] {
  const approximate = context.string('approximate', 'none');
  if (approximate === 'tanh') return unary(context, (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))));
  if (approximate !== 'none') throw context.error(`approximate '${approximate}' is neither 'none' nor 'tanh'`);
  return unary(context, (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)));
}
