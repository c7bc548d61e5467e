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
  for (let c = 0; c < channels; c++) {
    for (let start = 0; start < k; start += pattern.m) {
      const positions = Array.from({ length: Math.min(pattern.m, k - start) }, (_, j) => start + j);
      const kept = new Set([...positions].sort((a, b) => Math.abs(data[c * k + b]!) - Math.abs(data[c * k + a]!) || a - b).slice(0, pattern.n));
      for (const j of positions) if (!kept.has(j)) out[c * k + j] = 0;
    }
  }
  return { channels, k, data: out };
}
