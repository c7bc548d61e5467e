// Magnitude pruning to an N:M pattern along the reduction axis: in every block of M consecutive
// weights of a channel, the N of largest magnitude survive (ties go to the lower position).
import type { SparsityPattern } from '../../isa/xnmsparse/gather.js';

/** Weights, channel-major: weights[c * k + j]. */
export interface ChannelMajor<Data extends Int8Array | Int16Array | Float32Array> {
  readonly channels: number;
  readonly k: number;
  readonly data: Data;
}

/** Dense int weights, channel-major: weights[c * k + j]. */
export type DenseWeights = ChannelMajor<Int8Array | Int16Array>;

/** Integer weights, or the float weights of a model before quantization (sw/net/quantize). */
export function pruneNM<Data extends Int8Array | Int16Array | Float32Array>(dense: ChannelMajor<Data>, pattern: SparsityPattern): ChannelMajor<Data> {
  const { channels, k, data } = dense;
  const out = data.slice() as Data;
  // Networks prune millions of weights: per block, N scans for the largest magnitude not yet kept
  // (the first of equals: the lower position), with no allocation.
  const kept = new Uint8Array(pattern.m);
  for (let c = 0; c < channels; c++) {
    for (let start = c * k; start < (c + 1) * k; start += pattern.m) {
      const size = Math.min(pattern.m, (c + 1) * k - start);
      kept.fill(0);
      for (let round = 0; round < Math.min(pattern.n, size); round++) {
        let best = -1;
        for (let j = 0; j < size; j++) if (!kept[j] && (best < 0 || Math.abs(data[start + j]!) > Math.abs(data[start + best]!))) best = j;
        kept[best] = 1;
      }
      for (let j = 0; j < size; j++) if (!kept[j]) out[start + j] = 0;
    }
  }
  return { channels, k, data: out };
}
