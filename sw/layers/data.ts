/**
 * A layer's data: input tensor, weights and per-channel quantization. Generated deterministically
 * from a seed for tests and benches, with quantization chosen so that the outputs spread over the
 * int8 range (a layer whose outputs all saturate would check little).
 */
import { type SparsityPattern } from '../../isa/xnmsparse/gather.js';
import { Random } from '../../util/random.js';
import { pruneNM } from '../sparse/prune.js';
import { type ChannelQuantization, MAX_MULTIPLIER, MAX_SHIFT, checkQuantization } from './requantize.js';
import { type LayerSpec, reductionLength } from './spec.js';

export interface LayerData {
  readonly spec: LayerSpec;
  /** Input tensor, HWC bytes: int8 (two's complement) when spec.inputSigned, else uint8. */
  readonly input: Uint8Array;
  /** weights[c * K + j], K = reductionLength(spec), j in im2col order (ky, kx, c); dw: (ky, kx). */
  readonly weights: Int8Array;
  readonly quantization: readonly ChannelQuantization[];
}

/** Throws when the arrays do not match the layer's shape or a channel's quantization is out of range. */
export function checkLayerData(data: LayerData): void {
  const { spec } = data;
  const inputBytes = spec.inH * spec.inW * spec.inC;
  if (data.input.length !== inputBytes) throw new RangeError(`layer '${spec.name}': input holds ${data.input.length} bytes, not ${spec.inH}x${spec.inW}x${spec.inC} = ${inputBytes}`);
  const weightCount = spec.outC * reductionLength(spec);
  if (data.weights.length !== weightCount) throw new RangeError(`layer '${spec.name}': ${data.weights.length} weights, not ${spec.outC} x ${reductionLength(spec)} = ${weightCount}`);
  if (data.quantization.length !== spec.outC) throw new RangeError(`layer '${spec.name}': ${data.quantization.length} channel quantizations, not ${spec.outC}`);
  data.quantization.forEach(checkQuantization);
}

/** The output scale that maps about 2.5 standard deviations of the accumulator to the int8 range. */
const TARGET_SPREAD = 50;

/**
 * Uniform random input and weights (the weights pruned to `pattern` by magnitude when given),
 * a bias of up to half a standard deviation of the accumulator, and shift and multiplier giving
 * each channel an output spread of about TARGET_SPREAD (randomized by +-25%).
 */
export function randomLayerData(spec: LayerSpec, seed: number, pattern?: SparsityPattern): LayerData {
  const random = new Random(seed);
  const k = reductionLength(spec);
  const input = random.fill(new Uint8Array(spec.inH * spec.inW * spec.inC));
  let weights: Int8Array = random.fill(new Int8Array(spec.outC * k));
  if (pattern) weights = pruneNM({ channels: spec.outC, k, data: weights }, pattern).data as Int8Array;
  // Second moments of uniform int8 / uint8 values.
  const activationSquare = spec.inputSigned ? 5461 : 21845;
  const weightSquare = 5461;
  const quantization = Array.from({ length: spec.outC }, (_, c): ChannelQuantization => {
    let nonZeros = 0;
    for (let j = 0; j < k; j++) if (weights[c * k + j] !== 0) nonZeros++;
    const sigma = Math.sqrt(Math.max(1, nonZeros) * activationSquare * weightSquare);
    const scale = (TARGET_SPREAD / sigma) * (0.75 + 0.5 * (random.uint32() / 2 ** 32));
    // The largest shift whose Q15 multiplier still fits (the most precise): scale = multiplier * 2^-(15 + shift).
    const shift = Math.min(MAX_SHIFT, Math.max(0, Math.floor(Math.log2(MAX_MULTIPLIER / (scale * 2 ** 15)))));
    const multiplier = Math.min(MAX_MULTIPLIER, Math.round(scale * 2 ** (15 + shift)));
    const bias = Math.round((random.uint32() / 2 ** 32 - 0.5) * sigma);
    return { bias, shift, multiplier };
  });
  return { spec, input, weights, quantization };
}
