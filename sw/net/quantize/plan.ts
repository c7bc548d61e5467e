/**
 * Where the quantizer takes the scale of each tensor and each layer's weights from: calibration
 * ranges for a float model, the QuantizeLinear/DequantizeLinear parameters of a QDQ model
 * (qdq.ts). The lowering (lower.ts) is the same for both.
 */
import type { ValueRange } from './calibrate.js';

export interface ActivationType {
  /** Real value of one step. */
  readonly scale: number;
  readonly signed: boolean;
}

export interface ScalePlan {
  /** Remarks on the model's own quantization (a QDQ model's zero points taken as 0). */
  readonly notes?: readonly string[];
  /** The network input's type. */
  input(value: string): ActivationType;
  /**
   * The type of the tensor holding graph value `value`, written by a node whose output cannot be
   * negative when `nonNegative` (a fused ReLU, an average of a uint8 tensor); undefined when the
   * plan has none for it.
   */
  activation(value: string, nonNegative: boolean): ActivationType | undefined;
  /** The weight scales the model fixes for a weight constant, or undefined to take max |w| / 127 per output channel. */
  weightScales(constant: string): WeightScales | undefined;
}

export interface WeightScales {
  /** One scale (per tensor) or one per element of `axis`. */
  readonly scales: Float64Array;
  /** The axis of the ONNX weight the scales run along (undefined for one scale). */
  readonly axis: number | undefined;
}

/** A scale for a value that was 0 throughout calibration (any positive scale represents it). */
const NEUTRAL_PEAK = 1;

/** Scales from calibration ranges: uint8 (peak / 255) for a non-negative output, int8 (peak / 127) else. */
export function calibratedPlan(ranges: ReadonlyMap<string, ValueRange>): ScalePlan {
  const peak = (value: string): number | undefined => {
    const range = ranges.get(value);
    if (!range) return undefined;
    const magnitude = Math.max(Math.abs(range.min), Math.abs(range.max));
    return magnitude > 0 ? magnitude : NEUTRAL_PEAK;
  };
  const type = (value: string, nonNegative: boolean): ActivationType | undefined => {
    const p = peak(value);
    if (p === undefined) return undefined;
    return nonNegative ? { scale: p / 255, signed: false } : { scale: p / 127, signed: true };
  };
  return {
    input: (value) => type(value, (ranges.get(value)?.min ?? -1) >= 0)!,
    activation: type,
    weightScales: () => undefined,
  };
}
