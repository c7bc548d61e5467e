/**
 * The host side of the integer network: the float input quantized into its input tensor (NCHW to
 * HWC), and tensors read back as real values.
 */
import { elementCount } from '../float/tensor.js';
import type { NetTensor } from '../graph.js';
import { toBufferOrder, toFloatOrder } from '../layout.js';
import { roundHalfEven } from '../round.js';
import { extractTensor } from '../views.js';
import type { QuantizedNetwork } from './lower.js';
import { ModelError } from '../model-error.js';

const signedByte = (byte: number): number => (byte << 24) >> 24;

/** The network's float input (ONNX order, NCHW for an image) as the bytes of its input tensor (HWC), rounded half to even and saturated as QuantizeLinear does. */
export function quantizeInput(network: QuantizedNetwork, input: Float32Array): Uint8Array {
  const tensor = network.tensors.get(network.input)!;
  const placement = network.placements.get(network.input)!;
  if (input.length !== elementCount(placement.dims)) throw new ModelError(`${network.name}: the input holds ${input.length} values, not [${placement.dims.join(', ')}]`);
  const [min, max] = tensor.signed ? [-128, 127] : [0, 255];
  const ordered = toBufferOrder(placement, input);
  return Uint8Array.from(ordered, (x) => Math.min(max, Math.max(min, roundHalfEven(x / tensor.scale))) & 0xff);
}

/** A tensor's real values, in its buffer's (HWC) order. */
export function dequantize(tensor: NetTensor, bytes: Uint8Array): Float32Array {
  return Float32Array.from(bytes, (byte) => tensor.scale * (tensor.signed ? signedByte(byte) : byte));
}

/** A graph value's real values in ONNX's order (NCHW for an image), from the tensors of a run. */
export function dequantizeValue(network: QuantizedNetwork, value: string, tensors: ReadonlyMap<string, Uint8Array>): Float32Array {
  const placement = network.placements.get(value);
  if (!placement) throw new RangeError(`${network.name}: value '${value}' has no tensor in the integer network (fused into a layer, or not lowered)`);
  // A view that only nodes read (a head, the class token's row) has its bytes in its parent only.
  const parent = network.tensors.get(placement.tensor)?.view?.parent;
  const stored = tensors.get(placement.tensor) ?? (parent === undefined ? undefined : tensors.get(parent));
  if (!stored) throw new RangeError(`${network.name}: the run has no tensor '${placement.tensor}'`);
  const bytes = tensors.has(placement.tensor) ? stored : extractTensor(network, placement.tensor, stored);
  return toFloatOrder(placement, dequantize(network.tensors.get(placement.tensor)!, bytes));
}
