/**
 * Element-wise addition of two int8/uint8 tensors at their own scales into a third (a residual
 * connection; sw/net/graph.ts defines the arithmetic): the golden model the add kernel is checked
 * against.
 */
import { outputRange } from './requantize.js';
import type { OutputType } from './spec.js';

export interface AddScale {
  /** Multipliers of the two inputs, 0 to 32767. */
  readonly multiplierA: number;
  readonly multiplierB: number;
  /** 1 to 31. */
  readonly shift: number;
  readonly outputType: OutputType;
  readonly relu: boolean;
}

export interface AddOperand {
  readonly bytes: Uint8Array;
  readonly signed: boolean;
}

/** out = clamp((a * ma + b * mb + 2^(shift-1)) >> shift) over the output range, element by element. */
export function goldenAdd(scale: AddScale, a: AddOperand, b: AddOperand): Uint8Array {
  if (a.bytes.length !== b.bytes.length) throw new RangeError(`add: operands of ${a.bytes.length} and ${b.bytes.length} bytes`);
  const { min, max } = outputRange(scale.outputType, scale.relu);
  const rounding = 1 << (scale.shift - 1);
  const value = (operand: AddOperand, i: number): number => (operand.signed ? (operand.bytes[i]! << 24) >> 24 : operand.bytes[i]!);
  const out = new Uint8Array(a.bytes.length);
  for (let i = 0; i < out.length; i++) {
    const sum = value(a, i) * scale.multiplierA + value(b, i) * scale.multiplierB;
    out[i] = Math.min(max, Math.max(min, (sum + rounding) >> scale.shift)) & 0xff;
  }
  return out;
}
