/**
 * The quantizer: a canonical float graph (sw/onnx/graph.ts) to the integer network
 * (sw/net/graph.ts), docs/compiler.md#quantization. A float model is calibrated on inputs; the
 * scales of a QDQ model are its own (qdq.ts).
 */
import type { Graph } from '../../onnx/graph.js';
import { calibrationRanges } from './calibrate.js';
import { Lowering, type QuantizeOptions, type QuantizedNetwork } from './lower.js';
import { calibratedPlan } from './plan.js';

export type { LayerReport, PruneOptions, QuantizeOptions, QuantizedNetwork } from './lower.js';
export { randomCalibration, calibrationRanges, type ValueRange } from './calibrate.js';
export { dequantize, dequantizeValue, quantizeInput } from './io.js';
export { defaultPrunable, detectNM, satisfiedPatterns } from './sparsity.js';

/**
 * The integer network of a float model: per-channel symmetric int8 weights, per-tensor activation
 * scales from the largest magnitude each value reaches over the calibration inputs (one
 * Float32Array per input, NCHW).
 */
export function quantizeGraph(graph: Graph, calibration: readonly Float32Array[], options: QuantizeOptions = {}): QuantizedNetwork {
  return new Lowering(graph, calibratedPlan(calibrationRanges(graph, calibration)), options).run();
}
