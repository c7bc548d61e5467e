/**
 * Transfers of a part of a tensor, seen as rows of `width` bytes (a layer's pixels of inC bytes, a
 * token matrix's rows), to or from L1. A view (NetTensor.view) is resolved to its parent: its rows
 * are the parent's rows from the view's pixel offset, and its bytes start at its channel offset,
 * so a slice of channels becomes a 2D transfer with the parent's row as the stride.
 */
import type { Addr } from '../../../isa/types.js';
import type { Network } from '../graph.js';
import type { Fill, Transfer } from './tile.js';

export interface TensorPart {
  readonly tensor: string;
  /** Bytes per row as the node sees the tensor (a view's is its channel count). */
  readonly width: number;
  readonly firstRow: number;
  readonly rows: number;
  readonly firstByte: number;
  readonly bytes: number;
}

export function partTransfer(network: Network, part: TensorPart, l1: Addr, l1Stride = part.bytes): Transfer {
  const tensor = network.tensors.get(part.tensor);
  if (!tensor) throw new Error(`network '${network.name}' has no tensor '${part.tensor}'`);
  const view = tensor.view;
  const parent = view ? network.tensors.get(view.parent)! : undefined;
  if (view && part.width !== tensor.shape.c) throw new Error(`tensor '${part.tensor}' is a view of '${view.parent}': it is read in rows of its ${tensor.shape.c} channels, not of ${part.width} bytes`);
  const rootWidth = parent ? parent.shape.c : part.width;
  const offset = (part.firstRow + (view?.pixelOffset ?? 0)) * rootWidth + part.firstByte + (view?.channelOffset ?? 0);
  const external = { kind: 'tensor' as const, tensor: view?.parent ?? part.tensor, offset };
  if (part.bytes === rootWidth && l1Stride === part.bytes) {
    const bytes = part.rows * part.bytes;
    return { external, l1, length: bytes, rows: 1, externalStride: bytes, l1Stride: bytes };
  }
  return { external, l1, length: part.bytes, rows: part.rows, externalStride: rootWidth, l1Stride };
}

/** A fill of the part; its content names the parent's bytes it copies. */
export function partFill(network: Network, part: TensorPart, l1: Addr, l1Stride = part.bytes): Fill {
  const t = partTransfer(network, part, l1, l1Stride);
  const far = t.external as { readonly tensor: string; readonly offset: number };
  return { ...t, content: `${far.tensor}@${far.offset}:${t.length}x${t.rows}/${t.externalStride}>${t.l1Stride}` };
}

/** A whole tensor (or view) as rows of its channels. */
export function wholeTensor(network: Network, name: string): TensorPart {
  const { shape } = network.tensors.get(name)!;
  return { tensor: name, width: shape.c, firstRow: 0, rows: shape.h * shape.w, firstByte: 0, bytes: shape.c };
}
