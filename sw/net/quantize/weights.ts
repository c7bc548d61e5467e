/**
 * A layer's weights and bias from ONNX's layouts to the kernels': reordering into im2col order
 * (sw/layers/data.ts), per-output-channel symmetric int8 quantization and the int32 bias at the
 * accumulator's scale.
 */
import { roundHalfEven } from '../round.js';

/** A channel-major weight matrix in im2col order: data[o * k + j]. */
export interface WeightMatrix<Data extends Float32Array | Int8Array> {
  readonly channels: number;
  readonly k: number;
  readonly data: Data;
}

/**
 * For every im2col position o * K + (ky * kW + kx) * C + c, the index of the OIHW weight it takes
 * (a depthwise weight [C, 1, kH, kW] is already in im2col order).
 */
export function convSource(dims: readonly number[]): Int32Array {
  const [o, c, kH, kW] = dims as [number, number, number, number];
  const k = c * kH * kW;
  const source = new Int32Array(o * k);
  for (let oc = 0; oc < o; oc++) {
    for (let ky = 0; ky < kH; ky++) {
      for (let kx = 0; kx < kW; kx++) {
        for (let ci = 0; ci < c; ci++) source[oc * k + (ky * kW + kx) * c + ci] = ((oc * c + ci) * kH + ky) * kW + kx;
      }
    }
  }
  return source;
}

/**
 * For a fully connected weight (Gemm's B, [K, N], or [N, K] with transB), the source of every
 * position o * K + columns[j]: `columns` is the buffer position of each of the K float inputs, so a
 * flattened image read in HWC order meets the weights ONNX wrote for CHW order.
 */
export function denseSource(k: number, n: number, transposed: boolean, columns: Int32Array): Int32Array {
  const source = new Int32Array(n * k);
  for (let o = 0; o < n; o++) {
    for (let j = 0; j < k; j++) source[o * k + columns[j]!] = transposed ? o * k + j : j * n + o;
  }
  return source;
}

export function gather<Data extends Float32Array | Int8Array>(data: Data, source: Int32Array): Data {
  const out = new (data.constructor as new (length: number) => Data)(source.length);
  source.forEach((from, i) => (out[i] = data[from]!));
  return out;
}

/** Largest magnitude of each channel's weights. */
export function channelPeaks(weights: WeightMatrix<Float32Array>): Float64Array {
  const peaks = new Float64Array(weights.channels);
  for (let o = 0; o < weights.channels; o++) {
    for (let j = 0; j < weights.k; j++) peaks[o] = Math.max(peaks[o]!, Math.abs(weights.data[o * weights.k + j]!));
  }
  return peaks;
}

/**
 * round(w / scale) per channel, saturated to [min, 127]: -127 for the symmetric range the quantizer
 * chooses (-128 has no positive twin), -128 to give back a model's own int8 weights. A zero scale
 * gives zeros.
 */
export function quantizeWeights(weights: WeightMatrix<Float32Array>, scales: Float64Array, min: -127 | -128 = -127): WeightMatrix<Int8Array> {
  const data = new Int8Array(weights.data.length);
  for (let o = 0; o < weights.channels; o++) {
    const scale = scales[o]!;
    if (scale === 0) continue;
    for (let j = 0; j < weights.k; j++) data[o * weights.k + j] = Math.max(min, Math.min(127, roundHalfEven(weights.data[o * weights.k + j]! / scale)));
  }
  return { channels: weights.channels, k: weights.k, data };
}

/**
 * The bias of each channel in accumulator steps (input scale times the channel's weight scale),
 * or the index of the first channel whose bias does not fit int32.
 */
export function quantizeBias(bias: Float64Array, inputScale: number, weightScales: Float64Array): number[] | { readonly overflow: number } {
  const out: number[] = [];
  for (let o = 0; o < bias.length; o++) {
    const q = roundHalfEven(bias[o]! / (inputScale * weightScales[o]!));
    if (!(q >= -(2 ** 31) && q < 2 ** 31)) return { overflow: o };
    out.push(q);
  }
  return out;
}
