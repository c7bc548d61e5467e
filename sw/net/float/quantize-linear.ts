/**
 * QuantizeLinear and DequantizeLinear, per tensor or per axis, so that the float evaluator runs a
 * QDQ model as onnxruntime's reference does (fake quantization): quantized values are held as
 * floats, which represent every int8/uint8/int32 value of interest exactly.
 */
import { roundHalfEven } from '../round.js';
import type { NodeContext } from './context.js';
import { stridesOf, type FloatValue } from './tensor.js';

/** The scale or zero point element for every element of `x` (scalar, or 1-D along `axis`). */
function perElement(context: NodeContext, x: FloatValue, parameter: FloatValue | undefined, fallback: number): (i: number) => number {
  if (!parameter) return () => fallback;
  if (parameter.data.length === 1) return () => parameter.data[0]!;
  const axisAttribute = context.int('axis', 1);
  const axis = axisAttribute < 0 ? axisAttribute + x.dims.length : axisAttribute;
  if (parameter.data.length !== x.dims[axis]) throw context.error(`a per-axis parameter of ${parameter.data.length} values does not fit axis ${axis} of [${x.dims.join(', ')}]`);
  const stride = stridesOf(x.dims)[axis]!;
  const length = x.dims[axis]!;
  return (i) => parameter.data[Math.floor(i / stride) % length]!;
}

const RANGES = { int8: [-128, 127], uint8: [0, 255], int32: [-(2 ** 31), 2 ** 31 - 1] } as const;

export function quantizeLinear(context: NodeContext): FloatValue[] {
  const x = context.input(0);
  const scale = perElement(context, x, context.input(1), 1);
  const zeroPoint = perElement(context, x, context.optionalInput(2), 0);
  const zeroPointName = context.node.inputs[2];
  const type = zeroPointName ? context.graph.constants.get(zeroPointName)?.type ?? context.graph.values.get(zeroPointName)?.type : 'uint8';
  if (type !== 'int8' && type !== 'uint8') throw context.error(`quantizes to ${type ?? 'an unknown type'}, not int8 or uint8`);
  const [min, max] = RANGES[type];
  return [{ dims: x.dims, data: x.data.map((v, i) => Math.min(max, Math.max(min, roundHalfEven(v / scale(i)) + zeroPoint(i)))) }];
}

export function dequantizeLinear(context: NodeContext): FloatValue[] {
  const x = context.input(0);
  const scale = perElement(context, x, context.input(1), 1);
  const zeroPoint = perElement(context, x, context.optionalInput(2), 0);
  return [{ dims: x.dims, data: x.data.map((v, i) => (v - zeroPoint(i)) * scale(i)) }];
}
