/**
 * Where a tensor's bytes lie in its storage: itself, or for a view (NetTensor.view) its rows at the
 * view's pixel and channel offsets in the parent. The golden model, the compiler's image and the
 * runner all place and read tensors through this one walk.
 */
import type { Network } from './graph.js';

/** Calls `visit(offset, start, length)` for each run of the tensor's bytes: at `offset` in its storage, bytes [start, start + length) of the tensor. */
export function tensorRuns(network: Network, name: string, visit: (offset: number, start: number, length: number) => void): void {
  const tensor = network.tensors.get(name);
  if (!tensor) throw new RangeError(`network '${network.name}' has no tensor '${name}'`);
  const { shape, view } = tensor;
  const pixels = shape.h * shape.w;
  if (!view) {
    visit(0, 0, pixels * shape.c);
    return;
  }
  const parentWidth = network.tensors.get(view.parent)!.shape.c;
  for (let p = 0; p < pixels; p++) visit((view.pixelOffset + p) * parentWidth + view.channelOffset, p * shape.c, shape.c);
}

/** Copies a tensor's bytes into its storage's bytes. */
export function placeTensor(network: Network, name: string, bytes: Uint8Array, storage: Uint8Array): void {
  tensorRuns(network, name, (offset, start, length) => storage.set(bytes.subarray(start, start + length), offset));
}

/** A tensor's bytes out of its storage's bytes. */
export function extractTensor(network: Network, name: string, storage: Uint8Array): Uint8Array {
  const { shape } = network.tensors.get(name)!;
  const bytes = new Uint8Array(shape.h * shape.w * shape.c);
  tensorRuns(network, name, (offset, start, length) => bytes.set(storage.subarray(offset, offset + length), start));
  return bytes;
}
