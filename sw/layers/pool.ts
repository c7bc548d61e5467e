/**
 * Pooling over an HWC int8/uint8 tensor (sw/net/graph.ts defines the arithmetic): the shape of one
 * pooling (a whole tensor, or the tile of one the compiler moved to L1) and the bit-exact golden
 * models the pooling kernels are checked against.
 */
import { outputRange } from './requantize.js';
import type { OutputType, Padding } from './spec.js';

export interface PoolSpec {
  readonly name: string;
  readonly inH: number;
  readonly inW: number;
  readonly c: number;
  readonly kH: number;
  readonly kW: number;
  readonly stride: number;
  readonly pad: Padding;
  readonly signed: boolean;
}

/** Average pooling's requantization: out = clamp((sum * multiplier + 2^(shift-1)) >> shift). */
export interface AvgPoolScale {
  /** 0 to 32767. */
  readonly multiplier: number;
  /** 1 to 31. */
  readonly shift: number;
  readonly outputType: OutputType;
}

export const poolOutputHeight = (s: PoolSpec): number => Math.floor((s.inH + s.pad.top + s.pad.bottom - s.kH) / s.stride) + 1;
export const poolOutputWidth = (s: PoolSpec): number => Math.floor((s.inW + s.pad.left + s.pad.right - s.kW) / s.stride) + 1;

const readByte = (signed: boolean) => (byte: number): number => (signed ? (byte << 24) >> 24 : byte);

/**
 * Visits each output (y, x, channel) with the input values of its window that lie inside the
 * input (padding positions are not visited).
 */
function eachWindow(spec: PoolSpec, input: Uint8Array, visit: (out: number, values: number[]) => void): void {
  const read = readByte(spec.signed);
  const outH = poolOutputHeight(spec);
  const outW = poolOutputWidth(spec);
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let c = 0; c < spec.c; c++) {
        const values: number[] = [];
        for (let ky = 0; ky < spec.kH; ky++) {
          const y = oy * spec.stride - spec.pad.top + ky;
          if (y < 0 || y >= spec.inH) continue;
          for (let kx = 0; kx < spec.kW; kx++) {
            const x = ox * spec.stride - spec.pad.left + kx;
            if (x >= 0 && x < spec.inW) values.push(read(input[(y * spec.inW + x) * spec.c + c]!));
          }
        }
        visit((oy * outW + ox) * spec.c + c, values);
      }
    }
  }
}

/** Maximum of the window's input values (padding never wins); the input's type. */
export function goldenMaxPool(spec: PoolSpec, input: Uint8Array): Uint8Array {
  const out = new Uint8Array(poolOutputHeight(spec) * poolOutputWidth(spec) * spec.c);
  eachWindow(spec, input, (i, values) => {
    out[i] = Math.max(...values) & 0xff;
  });
  return out;
}

/** Sum of the window (padding as zeros), rescaled and saturated to the output type. */
export function goldenAvgPool(spec: PoolSpec, scale: AvgPoolScale, input: Uint8Array): Uint8Array {
  const { min, max } = outputRange(scale.outputType, false);
  const rounding = 1 << (scale.shift - 1);
  const out = new Uint8Array(poolOutputHeight(spec) * poolOutputWidth(spec) * spec.c);
  eachWindow(spec, input, (i, values) => {
    const sum = values.reduce((a, v) => a + v, 0);
    const scaled = (Math.imul(sum, scale.multiplier) + rounding) >> scale.shift;
    out[i] = Math.min(max, Math.max(min, scaled)) & 0xff;
  });
  return out;
}
