/**
 * Bit-exact TypeScript references of the layers (docs/kernels.md): int32 accumulation in im2col
 * order, zero padding, then the shared requantization. Every kernel variant is checked against
 * these on the instruction-set simulator.
 */
import { shiftRoundQ15Requantize } from './requantize.js';
import type { LayerData } from './data.js';
import { type LayerSpec, outputHeight, outputWidth, reductionLength } from './spec.js';

/**
 * A layer's nonzero weights, output channel after output channel, each with the position in the
 * im2col column (ky, kx, c) of the input element it multiplies: what the golden model reads.
 * Zeros are left out, so an N:M-sparse layer costs N/M of a dense one; a network evaluated over a
 * whole test set (sw/net/accuracy/) computes them once per layer.
 */
export interface WeightRows {
  /** Channel co's weights are entries offsets[co] to offsets[co + 1] - 1. */
  readonly offsets: Int32Array;
  readonly positions: Int32Array;
  readonly values: Int32Array;
}

export function weightRows(spec: LayerSpec, weights: Int8Array): WeightRows {
  const k = reductionLength(spec);
  // A depthwise layer's channel co multiplies channel co of each tap.
  const position = spec.kind === 'dw' ? (co: number, j: number): number => j * spec.inC + co : (_: number, j: number): number => j;
  let nonZeros = 0;
  for (const w of weights) if (w !== 0) nonZeros++;
  const offsets = new Int32Array(spec.outC + 1);
  const positions = new Int32Array(nonZeros);
  const values = new Int32Array(nonZeros);
  let at = 0;
  for (let co = 0; co < spec.outC; co++) {
    offsets[co] = at;
    for (let j = 0; j < k; j++) {
      const w = weights[co * k + j]!;
      if (w === 0) continue;
      positions[at] = position(co, j);
      values[at++] = w;
    }
  }
  offsets[spec.outC] = at;
  return { offsets, positions, values };
}

/**
 * The int32 accumulators before requantization, HWC (outH x outW x outC). Each output position's
 * im2col column (zero in the padding) is gathered once and read by every output channel.
 */
export function goldenAccumulators(data: LayerData, rows: WeightRows = weightRows(data.spec, data.weights)): Int32Array {
  const { spec } = data;
  // An int8 view of the same bytes reads a signed input without a conversion per element.
  const input = spec.inputSigned ? new Int8Array(data.input.buffer, data.input.byteOffset, data.input.length) : data.input;
  const { inH, inW, inC, kH, kW, outC } = spec;
  const { offsets, positions, values } = rows;
  const outH = outputHeight(spec);
  const outW = outputWidth(spec);
  const column = new Int32Array(kH * kW * inC);
  const acc = new Int32Array(outH * outW * outC);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const y0 = oy * spec.stride - spec.pad.top;
      const x0 = ox * spec.stride - spec.pad.left;
      for (let ky = 0; ky < kH; ky++) {
        const y = y0 + ky;
        for (let kx = 0; kx < kW; kx++) {
          const x = x0 + kx;
          const base = (ky * kW + kx) * inC;
          if (y < 0 || y >= inH || x < 0 || x >= inW) {
            column.fill(0, base, base + inC);
            continue;
          }
          const from = (y * inW + x) * inC;
          for (let c = 0; c < inC; c++) column[base + c] = input[from + c]!;
        }
      }
      const out = (oy * outW + ox) * outC;
      for (let co = 0; co < outC; co++) {
        let sum = 0;
        for (let j = offsets[co]!, end = offsets[co + 1]!; j < end; j++) sum += column[positions[j]!]! * values[j]!;
        acc[out + co] = sum | 0;
      }
    }
  }
  return acc;
}

/** The layer's output, HWC bytes (int8 as two's complement, or uint8); `rows` are the weights' (weightRows), when the caller keeps them across inputs. */
export function goldenLayer(data: LayerData, rows?: WeightRows): Uint8Array {
  const { spec, quantization } = data;
  const acc = goldenAccumulators(data, rows);
  const out = new Uint8Array(acc.length);
  for (let i = 0; i < acc.length; i++) out[i] = shiftRoundQ15Requantize(acc[i]!, quantization[i % spec.outC]!, spec.output, spec.relu) & 0xff;
  return out;
}
