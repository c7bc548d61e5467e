/**
 * Bit-exact TypeScript references of the layers (docs/kernels.md): int32 accumulation in im2col
 * order, zero padding, then the shared requantization. Every kernel variant is checked against
 * these on the instruction-set simulator.
 */
import { shiftRoundQ15Requantize } from './requantize.js';
import type { LayerData } from './data.js';
import { outputHeight, outputWidth, reductionLength } from './spec.js';

/** The input element at (y, x, c) as the kernels read it: int8 or uint8, 0 in the padding. */
function inputReader(data: LayerData): (y: number, x: number, c: number) => number {
  const { spec, input } = data;
  return (y, x, c) => {
    if (y < 0 || y >= spec.inH || x < 0 || x >= spec.inW) return 0;
    const byte = input[(y * spec.inW + x) * spec.inC + c]!;
    return spec.inputSigned ? (byte << 24) >> 24 : byte;
  };
}

/** The int32 accumulators before requantization, HWC (outH x outW x outC). */
export function goldenAccumulators(data: LayerData): Int32Array {
  const { spec, weights } = data;
  const read = inputReader(data);
  const outH = outputHeight(spec);
  const outW = outputWidth(spec);
  const k = reductionLength(spec);
  const acc = new Int32Array(outH * outW * spec.outC);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      const y0 = oy * spec.stride - spec.pad.top;
      const x0 = ox * spec.stride - spec.pad.left;
      for (let co = 0; co < spec.outC; co++) {
        let sum = 0;
        for (let ky = 0; ky < spec.kH; ky++) {
          for (let kx = 0; kx < spec.kW; kx++) {
            if (spec.kind === 'dw') {
              sum += read(y0 + ky, x0 + kx, co) * weights[co * k + ky * spec.kW + kx]!;
              continue;
            }
            const row = co * k + (ky * spec.kW + kx) * spec.inC;
            for (let ci = 0; ci < spec.inC; ci++) sum += read(y0 + ky, x0 + kx, ci) * weights[row + ci]!;
          }
        }
        acc[(oy * outW + ox) * spec.outC + co] = sum | 0;
      }
    }
  }
  return acc;
}

/** The layer's output, HWC bytes (int8 as two's complement, or uint8). */
export function goldenLayer(data: LayerData): Uint8Array {
  const { spec, quantization } = data;
  const acc = goldenAccumulators(data);
  const out = new Uint8Array(acc.length);
  for (let i = 0; i < acc.length; i++) out[i] = shiftRoundQ15Requantize(acc[i]!, quantization[i % spec.outC]!, spec.output, spec.relu) & 0xff;
  return out;
}
