/**
 * Where the QDQ model (export-qdq.ts) finds each tensor's integers, the model value a
 * DequantizeLinear reads: a model input, the QuantizeLinear of the node that writes it, an
 * initializer holding a constant tensor's bytes, a Slice of its parent for a view read in place,
 * or the Concat of the views and constants written into a tensor that no node writes whole.
 *
 * Views are slices of the parent's integers, not of its real values: a view is the parent's bytes
 * (NetTensor.view), possibly read at another scale (timm's q * scale is a view of q at a scaled
 * scale), so the slice is dequantized at the view's own scale. Likewise a parent is the Concat of
 * its parts' integers, byte for byte what runGolden places into it; with parts at the parent's
 * scale, as the lowering writes them, this is DequantizeLinear-Concat-QuantizeLinear exactly.
 *
 * Every tensor is [1, C, H, W] in the model (onnxDims); a view's pixels are consecutive pixels of
 * its parent (sw/net/views.ts), so a slice or a concatenation of pixels works on [1, C, H * W, 1].
 */
import type { OnnxBuilder } from '../onnx/builder.js';
import { makeTensor } from '../onnx/tensor.js';
import type { NetTensor, Network, TensorShape } from './graph.js';
import { naturalOrder } from './layout.js';

/** The ONNX dimensions of a tensor of HWC shape `shape`. */
export const onnxDims = (shape: TensorShape): number[] => [1, shape.c, shape.h, shape.w];

export const elementType = (tensor: NetTensor): 'int8' | 'uint8' => (tensor.signed ? 'int8' : 'uint8');

/** A tensor's bytes (HWC) as its values in the model's NCHW order, int8 or uint8. */
export function toOnnxOrder(tensor: NetTensor, bytes: Uint8Array): Int8Array | Uint8Array {
  const order = naturalOrder(onnxDims(tensor.shape));
  const values = tensor.signed ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes;
  const out = tensor.signed ? new Int8Array(order.length) : new Uint8Array(order.length);
  order.forEach((position, i) => (out[i] = values[position]!));
  return out;
}

const pixelsOf = (shape: TensorShape): number => shape.h * shape.w;

/** `value` of dims `from` as dims `to`: a Reshape named `<name>/Reshape`, or `value` itself when the dims are the same. */
export function reshape(b: OnnxBuilder, value: string, from: readonly number[], to: readonly number[], name: string): string {
  if (from.length === to.length && from.every((d, i) => d === to[i])) return value;
  const target = b.initializer(`${name}/shape`, makeTensor('int64', [to.length], to));
  return b.node('Reshape', [value, target], {}, { name: `${name}/Reshape` });
}

/** The model values holding the network's tensors' integers, made when first asked for. */
export class QdqStorage {
  private readonly integers = new Map<string, string>();
  /** For each tensor no node writes whole, the views of it that nodes or constants write. */
  private readonly parts = new Map<string, NetTensor[]>();

  constructor(
    private readonly b: OnnxBuilder,
    private readonly network: Network,
    private readonly refuse: (what: string) => Error,
  ) {
    const written = [...network.nodes.map((node) => node.output), ...(network.constants?.keys() ?? [])];
    for (const name of written) {
      const tensor = this.tensor(name);
      if (!tensor.view) continue;
      const parts = this.parts.get(tensor.view.parent) ?? [];
      parts.push(tensor);
      this.parts.set(tensor.view.parent, parts);
    }
  }

  /** Records `value` as the integers of `name` (a model input, or the QuantizeLinear of the node writing it), unless it already has some. */
  set(name: string, value: string): void {
    if (!this.integers.has(name)) this.integers.set(name, value);
  }

  /** The model value holding the tensor's integers ([1, C, H, W], int8 or uint8). */
  get(name: string): string {
    const known = this.integers.get(name);
    if (known) return known;
    const tensor = this.tensor(name);
    const bytes = this.network.constants?.get(name);
    let value: string;
    if (bytes) value = this.b.initializer(name, makeTensor(elementType(tensor), onnxDims(tensor.shape), toOnnxOrder(tensor, bytes)));
    else if (tensor.view && !this.isPart(tensor)) value = this.slice(tensor);
    else if (this.parts.has(name)) value = this.assemble(tensor);
    else throw new RangeError(`${this.network.name}: tensor '${name}' is read before it is written`);
    this.integers.set(name, value);
    return value;
  }

  tensor(name: string): NetTensor {
    const tensor = this.network.tensors.get(name);
    if (!tensor) throw new RangeError(`${this.network.name}: no tensor '${name}'`);
    return tensor;
  }

  /** A view written by a node or a constant: its integers are its own, placed into the parent. */
  private isPart(tensor: NetTensor): boolean {
    return this.parts.get(tensor.view!.parent)?.includes(tensor) ?? false;
  }

  /** A view read in place: its pixels and channels sliced out of the parent's integers. */
  private slice(view: NetTensor): string {
    const { parent, pixelOffset, channelOffset } = view.view!;
    const whole = this.tensor(parent).shape;
    const [pixels, channels] = [pixelsOf(view.shape), view.shape.c];
    const rows = reshape(this.b, this.get(parent), onnxDims(whole), [1, whole.c, pixelsOf(whole), 1], `${view.name}/ParentPixels`);
    const range = (suffix: string, values: number[]): string => this.b.initializer(`${view.name}/slice_${suffix}`, makeTensor('int64', [2], values));
    const sliced = this.b.node('Slice', [rows, range('starts', [channelOffset, pixelOffset]), range('ends', [channelOffset + channels, pixelOffset + pixels]), range('axes', [1, 2])], {}, { name: `${view.name}/Slice` });
    return reshape(this.b, sliced, [1, channels, pixels, 1], onnxDims(view.shape), view.name);
  }

  /**
   * A tensor no node writes whole: the Concat of the views written into it, along the pixels when
   * each holds whole pixels (patch tokens after the class token), along the channels when each holds
   * every pixel (heads' outputs side by side). They must cover it exactly once and share its type.
   */
  private assemble(parent: NetTensor): string {
    const { shape } = parent;
    const parts = this.parts.get(parent.name)!;
    for (const part of parts) {
      if (part.signed !== parent.signed) throw this.refuse(`view '${part.name}' (${elementType(part)}) written into '${parent.name}' (${elementType(parent)})`);
      if (!this.integers.has(part.name) && !this.network.constants?.has(part.name)) throw new RangeError(`${this.network.name}: tensor '${parent.name}' is read before its part '${part.name}' is written`);
    }
    const byPixels = parts.every((part) => part.shape.c === shape.c);
    const byChannels = parts.every((part) => pixelsOf(part.shape) === pixelsOf(shape));
    const offset = (part: NetTensor): number => (byPixels ? part.view!.pixelOffset : part.view!.channelOffset);
    const extent = (part: NetTensor): number => (byPixels ? pixelsOf(part.shape) : part.shape.c);
    const ordered = [...parts].sort((a, b) => offset(a) - offset(b));
    let tiles = byPixels || byChannels;
    let next = 0;
    for (const part of ordered) {
      tiles &&= offset(part) === next;
      next = offset(part) + extent(part);
    }
    if (!tiles || next !== (byPixels ? pixelsOf(shape) : shape.c)) {
      throw this.refuse(`tensor '${parent.name}', whose written views (${parts.map((part) => `'${part.name}'`).join(', ')}) are no concatenation of whole pixels or whole channels covering it`);
    }
    const pieces = ordered.map((part) => {
      const dims = byPixels ? [1, shape.c, pixelsOf(part.shape), 1] : [1, part.shape.c, shape.h, shape.w];
      return reshape(this.b, this.get(part.name), onnxDims(part.shape), dims, `${part.name}/AsPart`);
    });
    const joined = this.b.node('Concat', pieces, { axis: byPixels ? 2 : 1 }, { name: `${parent.name}/Concat` });
    return reshape(this.b, joined, byPixels ? [1, shape.c, pixelsOf(shape), 1] : onnxDims(shape), onnxDims(shape), parent.name);
  }
}
