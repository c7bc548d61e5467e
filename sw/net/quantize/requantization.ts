/**
 * The integer rescaling parameters of the network's nodes, from the real factors between their
 * scales: a layer's per-channel shift and Q15 multiplier (docs/kernels.md#requantization), a
 * residual add's two multipliers and shift, an average pooling's multiplier and shift.
 */
import { type ChannelQuantization, MAX_MULTIPLIER, MAX_SHIFT, outputRange } from '../../layers/requantize.js';
import type { OutputType } from '../../layers/spec.js';

/** The largest factor a layer's requantization represents: multiplier / 2^15 at shift 0. */
export const MAX_LAYER_FACTOR = MAX_MULTIPLIER / 2 ** 15;

export type Rescale = Pick<ChannelQuantization, 'shift' | 'multiplier'>;

/**
 * The shift and multiplier whose scale multiplier * 2^-(15 + shift) approximates `factor` with the
 * smallest worst-case output error. The requantization rounds twice: t = round(acc / 2^shift) (half
 * an output step times multiplier / 2^15, none at shift 0) and the product (half a step, unavoidable), and the
 * multiplier's own rounding scales the output by multiplier / (factor 2^(15 + shift)). The largest
 * multiplier (most precise factor) leaves t with 8 bits and the first rounding near half a step;
 * a multiplier near sqrt(peak * 2^15) balances the two terms to a few hundredths of a step. A shift
 * below 16 also needs a multiplier large enough that a t saturated to int16 still saturates the
 * output (the accumulator of a shift of 16 or more fits int16 after the shift).
 */
export function layerRescale(factor: number, output: OutputType, relu: boolean): Rescale {
  // Any factor whose Q15 multiplier at shift 0 rounds to 32767 or less.
  if (!(factor >= 0) || factor * 2 ** 15 >= MAX_MULTIPLIER + 0.5) throw new RangeError(`requantization factor ${factor} is outside 0..${MAX_LAYER_FACTOR}`);
  if (factor === 0) return { shift: 0, multiplier: 0 };
  const { min, max } = outputRange(output, relu);
  const peak = Math.max(max, -min);
  const saturating = Math.max(Math.ceil((max * 2 ** 15) / 0x7fff), -min);
  let best: { rescale: Rescale; error: number } | undefined;
  for (let shift = 0; shift <= MAX_SHIFT; shift++) {
    const exact = factor * 2 ** (15 + shift);
    const multiplier = Math.round(exact);
    if (multiplier > MAX_MULTIPLIER) break;
    if (multiplier === 0 || (shift < 16 && multiplier < saturating)) continue;
    const error = (shift === 0 ? 0 : multiplier / 2 ** 16) + peak * Math.abs(multiplier / exact - 1);
    if (!best || error < best.error) best = { rescale: { shift, multiplier }, error };
  }
  // A factor below 2^-47 rounds to a zero multiplier at every shift: the output is 0 (or the bias's share, lost).
  return best?.rescale ?? { shift: MAX_SHIFT, multiplier: Math.min(MAX_MULTIPLIER, Math.round(factor * 2 ** (15 + MAX_SHIFT))) };
}

/**
 * A residual add's multipliers of its two inputs (real factors `a` and `b` from each input's scale
 * to the output's): the largest shift (1 to 31) at which both fit 15 bits, the sum being exact.
 */
export function addRescale(a: number, b: number): { multiplierA: number; multiplierB: number; shift: number } | undefined {
  for (let shift = MAX_SHIFT; shift >= 1; shift--) {
    const multiplierA = Math.round(a * 2 ** shift);
    const multiplierB = Math.round(b * 2 ** shift);
    if (multiplierA <= MAX_MULTIPLIER && multiplierB <= MAX_MULTIPLIER) return { multiplierA, multiplierB, shift };
  }
  return undefined;
}

/**
 * An average pooling's multiplier and shift for the real factor `factor` (input scale over output
 * scale times window size): the largest shift whose multiplier fits 15 bits and keeps the largest
 * window sum (`maxSum` in magnitude) times the multiplier, plus the rounding term, below 2^31.
 */
export function avgPoolRescale(factor: number, maxSum: number): { multiplier: number; shift: number } | undefined {
  for (let shift = MAX_SHIFT; shift >= 1; shift--) {
    const multiplier = Math.round(factor * 2 ** shift);
    if (multiplier <= MAX_MULTIPLIER && maxSum * multiplier + 2 ** (shift - 1) < 2 ** 31) return { multiplier, shift };
  }
  return undefined;
}
