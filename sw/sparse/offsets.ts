// The second N:M weight layout (docs/sparse-format.md#second-layout-byte-offsets-for-the-software-kernel):
// each non-zero carries the byte offset of its activation in the kernel's buffer instead of a
// packed index, so the software kernel loads it with one `cv.lhu` and addresses the activation
// with a register-offset `cv.lw`, without any index arithmetic.
import { indexBits, type SparsityPattern } from '../../isa/xnmsparse/gather.js';
import type { SparseLayout } from './format.js';
import { packNM } from './pack.js';
import type { DenseWeights } from './prune.js';

/** Non-zeros per group: one int8 weight word, one `cv.sdotusp.b`. */
export const OFFSET_GROUP = 4;
/** Bytes of one group: four 16-bit offsets, then the four int8 weights. */
export const OFFSET_GROUP_BYTES = OFFSET_GROUP * 2 + OFFSET_GROUP;
/** The largest offset a 16-bit field holds. */
export const MAX_OFFSET = 0xffff;

export interface OffsetWeights {
  readonly layout: SparseLayout;
  readonly channels: number;
  /** Groups of OFFSET_GROUP_BYTES, channel after channel: layout.nonZerosPerChannel / 4 per channel. */
  readonly bytes: Uint8Array;
}

export const offsetGroupsPerChannel = (layout: SparseLayout): number => layout.nonZerosPerChannel / OFFSET_GROUP;

/**
 * The stream of `dense` (pruned to `pattern`, int8): for every channel and group of four
 * non-zeros, their offsets `offsetOf(position)` (uint16, little-endian) then their values.
 * Padding entries (the zero weights a block or the padded reduction adds) take the offset of
 * position 0: their weight is zero, so any readable activation serves.
 */
export function packOffsets(dense: DenseWeights, pattern: SparsityPattern, offsetOf: (position: number) => number): OffsetWeights {
  if (!(dense.data instanceof Int8Array)) throw new RangeError('offset streams hold int8 weights only');
  const packed = packNM(dense, pattern);
  const { layout } = packed;
  const nz = layout.nonZerosPerChannel;
  const groups = offsetGroupsPerChannel(layout);
  const bytes = new Uint8Array(dense.channels * groups * OFFSET_GROUP_BYTES);
  const view = new DataView(bytes.buffer);
  const fieldsPerWord = layout.fieldsPerWord;
  for (let c = 0; c < dense.channels; c++) {
    for (let i = 0; i < nz; i++) {
      const word = packed.indices[c * layout.indexWordsPerChannel + Math.floor(i / fieldsPerWord)]!;
      const field = (word >>> ((i % fieldsPerWord) * indexBits(pattern.m))) & (pattern.m - 1);
      const position = Math.floor(i / pattern.n) * pattern.m + field;
      const value = packed.values[c * nz + i]!;
      const offset = offsetOf(value === 0 || position >= dense.k ? 0 : position);
      if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET) {
        throw new RangeError(`channel ${c}, position ${position}: offset ${offset} does not fit 16 bits`);
      }
      const group = (c * groups + Math.floor(i / OFFSET_GROUP)) * OFFSET_GROUP_BYTES;
      view.setUint16(group + (i % OFFSET_GROUP) * 2, offset, true);
      view.setInt8(group + OFFSET_GROUP * 2 + (i % OFFSET_GROUP), value);
    }
  }
  return { layout, channels: dense.channels, bytes };
}

/** The dense weights back from a stream, given the same offset map (which must be one-to-one on 0..k-1). */
export function unpackOffsets(weights: OffsetWeights, offsetOf: (position: number) => number): DenseWeights {
  const { layout, channels, bytes } = weights;
  const positionAt = new Map<number, number>();
  for (let position = 0; position < layout.k; position++) {
    const offset = offsetOf(position);
    if (positionAt.has(offset)) throw new RangeError(`positions ${positionAt.get(offset)} and ${position} share offset ${offset}`);
    positionAt.set(offset, position);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const data = new Int8Array(channels * layout.k);
  const groups = offsetGroupsPerChannel(layout);
  for (let g = 0; g < channels * groups; g++) {
    const c = Math.floor(g / groups);
    for (let lane = 0; lane < OFFSET_GROUP; lane++) {
      const value = view.getInt8(g * OFFSET_GROUP_BYTES + OFFSET_GROUP * 2 + lane);
      if (value === 0) continue;
      const offset = view.getUint16(g * OFFSET_GROUP_BYTES + lane * 2, true);
      const position = positionAt.get(offset);
      if (position === undefined) throw new RangeError(`channel ${c}: offset ${offset} is no position's`);
      data[c * layout.k + position] = value;
    }
  }
  return { channels, k: layout.k, data };
}
