/**
 * The input rows a block of output rows of a sliding window (convolution or pooling) reads: where
 * they start, how many there are, and the padding rows only the blocks at the edges have.
 */

export interface RowWindow {
  /** First input row read. */
  readonly inRow: number;
  readonly inRows: number;
  readonly padTop: number;
  readonly padBottom: number;
}

export interface WindowShape {
  readonly inH: number;
  readonly kH: number;
  readonly stride: number;
  readonly pad: { readonly top: number };
}

/** The rows output rows [o0, o1) read; the block computes exactly those rows with this padding. */
export function rowWindow(layer: WindowShape, o0: number, o1: number): RowWindow {
  const first = o0 * layer.stride - layer.pad.top;
  const last = (o1 - 1) * layer.stride - layer.pad.top + layer.kH - 1;
  const inRow = Math.max(0, first);
  return { inRow, inRows: Math.min(layer.inH - 1, last) - inRow + 1, padTop: Math.max(0, -first), padBottom: Math.max(0, last - (layer.inH - 1)) };
}

/** Ranges [start, end) of `count` items in blocks of `block`. */
export function blocks(count: number, block: number): [number, number][] {
  return Array.from({ length: Math.ceil(count / block) }, (_, i) => [i * block, Math.min(count, (i + 1) * block)]);
}

/** Input rows a block of `rows` output rows reads at most. */
export const inputRowsFor = (layer: WindowShape, rows: number): number => Math.min(layer.inH, (rows - 1) * layer.stride + layer.kH);
