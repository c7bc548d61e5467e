/**
 * The one requantization of every kernel and golden model (docs/kernels.md#requantization):
 * int32 accumulator to int8/uint8 by a per-output-channel bias, right shift with rounding,
 * saturation to int16, a Q15 multiplier with rounding, and saturation to the output range.
 * Each step is one XCV instruction, so the kernels spend five instructions per output
 * (the bias is the accumulator's initial value; cv.addrnr, cv.clip, cv.mulsrn, cv.clip[u], sb):
 * `sw/kernels/layers/requantize-asm.ts` emits exactly this sequence.
 */
import type { OutputType } from './spec.js';

/** Per-output-channel parameters. */
export interface ChannelQuantization {
  /** Added to the accumulator (it is the accumulator's initial value in the kernels), int32. */
  readonly bias: number;
  /** Right shift, 0 to 31, rounding half up (cv.addrnr's 2^(shift-1)). */
  readonly shift: number;
  /** Q15 multiplier, 0 to 32767: the scale after the shift is multiplier / 2^15. */
  readonly multiplier: number;
}

export const MAX_SHIFT = 31;
export const MAX_MULTIPLIER = 0x7fff;

/** The range of an output type, after an optional ReLU. */
export function outputRange(output: OutputType, relu: boolean): { readonly min: number; readonly max: number } {
  if (output === 'uint8') return { min: 0, max: 255 };
  return { min: relu ? 0 : -128, max: 127 };
}

const clamp = (x: number, min: number, max: number): number => (x < min ? min : x > max ? max : x);

/**
 * round((acc + bias) / 2^shift), saturated to int16, times multiplier / 2^15 rounded half up,
 * saturated to the output range. Sums wrap at 32 bits as in the core's adder.
 */
export function shiftRoundQ15Requantize(acc: number, q: ChannelQuantization, output: OutputType, relu: boolean): number {
  const biased = (acc + q.bias) | 0;
  const rounding = q.shift === 0 ? 0 : 1 << (q.shift - 1);
  const shifted = clamp(((biased + rounding) | 0) >> q.shift, -0x8000, 0x7fff);
  const scaled = (shifted * q.multiplier + 0x4000) >> 15;
  const { min, max } = outputRange(output, relu);
  return clamp(scaled, min, max);
}

/** Throws when a channel's parameters are outside what the kernels implement. */
export function checkQuantization(q: ChannelQuantization, channel: number): void {
  if (!Number.isInteger(q.bias) || q.bias < -(2 ** 31) || q.bias >= 2 ** 31) throw new RangeError(`channel ${channel}: bias ${q.bias} is not an int32`);
  if (!Number.isInteger(q.shift) || q.shift < 0 || q.shift > MAX_SHIFT) throw new RangeError(`channel ${channel}: shift ${q.shift} is not in 0..${MAX_SHIFT}`);
  if (!Number.isInteger(q.multiplier) || q.multiplier < 0 || q.multiplier > MAX_MULTIPLIER) {
    throw new RangeError(`channel ${channel}: multiplier ${q.multiplier} is not in 0..${MAX_MULTIPLIER}`);
  }
}
