/**
 * The requantization of one accumulator in four XCV instructions, exactly
 * shiftRoundQ15Requantize (sw/layers/requantize.ts), the bias added by the first (cv.addrnr adds a
 * register before its rounding shift) or already in the accumulator, whose initial value it can be.
 * Every layer kernel emits its outputs through this function.
 */
import { type ChannelQuantization, outputRange } from '../../layers/requantize.js';
import { wordsToBytes } from '../words.js';
import type { LayerSpec, OutputType } from '../../layers/spec.js';

/**
 * The saturation of `acc` to the output range in one instruction: cv.clip n saturates to
 * [-2^(n-1), 2^(n-1) - 1], cv.clipu n to [0, 2^(n-1) - 1].
 */
export function outputClipLine(output: OutputType, relu: boolean, acc: string): string {
  const { min, max } = outputRange(output, relu);
  return `  ${min < 0 ? 'cv.clip' : 'cv.clipu'} ${acc}, ${acc}, ${Math.log2(max + 1) + 1}`;
}

/**
 * Lines turning `acc` into the output value in `acc`, given the channel's shift and multiplier in
 * registers (the quantization record's second and third words). `bias` is the register holding the
 * bias, or `zero` when the accumulator started at the bias.
 */
export function requantizeLines(spec: LayerSpec, acc: string, shift: string, multiplier: string, bias = 'zero'): string[] {
  return [
    `  cv.addrnr ${acc}, ${bias}, ${shift}`,
    `  cv.clip ${acc}, ${acc}, 16`,
    `  cv.mulsrn ${acc}, ${acc}, ${multiplier}, 15`,
    outputClipLine(spec.output, spec.relu, acc),
  ];
}

/** The channels' quantization records as the kernels read them from L1: bias, shift, multiplier, a word each. */
export function quantizationImage(quantization: readonly ChannelQuantization[]): Uint8Array {
  return wordsToBytes(quantization.flatMap((q) => [q.bias, q.shift, q.multiplier]));
}
