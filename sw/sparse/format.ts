// The N:M sparse weight format shared by the packer, the kernels and the Xnmsparse extension
// (docs/sparse-format.md). Pure arithmetic on the layout; packing lives in pack.ts.
import { type ElementBytes, indexBits, lanesPerWord, type SparsityPattern } from '../../isa/xnmsparse/gather.js';

export interface SparseLayout {
  readonly pattern: SparsityPattern;
  /** Bytes per value (and per gathered activation): 1 for int8 (cv.sdotusp.b), 2 for int16 (.h). */
  readonly valueBytes: ElementBytes;
  /** Reduction length of the dense layer. */
  readonly k: number;
  /** k rounded up to whole groups: the activation buffer must hold this many readable elements. */
  readonly kPadded: number;
  /** Weights covered by one group of lanes-per-word non-zeros: lanes * M / N. */
  readonly groupSpan: number;
  readonly nonZerosPerChannel: number;
  /** Packed index fields per 32-bit word: a whole number of groups. */
  readonly fieldsPerWord: number;
  readonly indexWordsPerChannel: number;
}

export function sparseLayout(pattern: SparsityPattern, k: number, valueBytes: ElementBytes = 1): SparseLayout {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`reduction length must be a positive integer, got ${k}`);
  const lanes = lanesPerWord(valueBytes);
  const bits = indexBits(pattern.m);
  const groupSpan = (lanes * pattern.m) / pattern.n;
  const kPadded = Math.ceil(k / groupSpan) * groupSpan;
  const nonZerosPerChannel = (kPadded / pattern.m) * pattern.n;
  const fieldsPerWord = lanes * Math.floor(32 / (bits * lanes));
  return {
    pattern,
    valueBytes,
    k,
    kPadded,
    groupSpan,
    nonZerosPerChannel,
    fieldsPerWord,
    indexWordsPerChannel: Math.ceil(nonZerosPerChannel / fieldsPerWord),
  };
}
