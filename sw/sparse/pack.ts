// Packing N:M-sparse weights into values and packed indices, and back.
import { indexBits, patternName, type ElementBytes, type SparsityPattern } from '../../isa/xnmsparse/gather.js';
import { type SparseLayout, sparseLayout } from './format.js';
import type { DenseWeights } from './prune.js';

export interface PackedWeights {
  readonly layout: SparseLayout;
  readonly channels: number;
  /** values[c * nonZerosPerChannel + i]: the i-th kept weight of channel c, block by block. */
  readonly values: Int8Array | Int16Array;
  /** indices[c * indexWordsPerChannel + w]: field f of word w is the index of non-zero w * fieldsPerWord + f. */
  readonly indices: Uint32Array;
}

/** A block holds more non-zeros than the pattern allows. */
export class SparsityError extends Error {
  override name = 'SparsityError';
}

export function packNM(dense: DenseWeights, pattern: SparsityPattern, valueBytes: ElementBytes = 1): PackedWeights {
  const layout = sparseLayout(pattern, dense.k, valueBytes);
  const { nonZerosPerChannel: nz, indexWordsPerChannel: words, fieldsPerWord, kPadded } = layout;
  const { m, n } = pattern;
  const bits = indexBits(m);
  const values = valueBytes === 1 ? new Int8Array(dense.channels * nz) : new Int16Array(dense.channels * nz);
  const indices = new Uint32Array(dense.channels * words);
  for (let c = 0; c < dense.channels; c++) {
    let i = 0;
    for (let start = 0; start < kPadded; start += m) {
      const kept: number[] = [];
      for (let j = 0; j < m; j++) {
        const position = start + j;
        if (position < dense.k && dense.data[c * dense.k + position] !== 0) kept.push(j);
      }
      if (kept.length > n) {
        throw new SparsityError(`channel ${c}, block ${start / m} (positions ${start}..${start + m - 1}) has ${kept.length} non-zeros, more than ${patternName(pattern)} allows`);
      }
      // Fewer than N non-zeros: fill with zero weights at the lowest unused positions.
      for (let j = 0; kept.length < n; j++) if (!kept.includes(j)) kept.push(j);
      for (const j of kept.sort((a, b) => a - b)) {
        const position = start + j;
        values[c * nz + i] = position < dense.k ? dense.data[c * dense.k + position]! : 0;
        const word = c * words + Math.floor(i / fieldsPerWord);
        indices[word] = (indices[word]! | (j << ((i % fieldsPerWord) * bits))) >>> 0;
        i++;
      }
    }
  }
  return { layout, channels: dense.channels, values, indices };
}

export function unpackNM(packed: PackedWeights): DenseWeights {
  const { layout, channels, values, indices } = packed;
  const { k, pattern, nonZerosPerChannel: nz, indexWordsPerChannel: words, fieldsPerWord } = layout;
  const bits = indexBits(pattern.m);
  const data = layout.valueBytes === 1 ? new Int8Array(channels * k) : new Int16Array(channels * k);
  for (let c = 0; c < channels; c++) {
    for (let i = 0; i < nz; i++) {
      const field = (indices[c * words + Math.floor(i / fieldsPerWord)]! >>> ((i % fieldsPerWord) * bits)) & (pattern.m - 1);
      const position = Math.floor(i / pattern.n) * pattern.m + field;
      if (position < k && values[c * nz + i] !== 0) data[c * k + position] = values[c * nz + i]!;
    }
  }
  return { channels, k, data };
}
