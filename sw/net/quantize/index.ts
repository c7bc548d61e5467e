/**
 * The quantizer: a canonical float graph (sw/onnx/graph.ts) to the integer network
 * (sw/net/graph.ts), docs/compiler.md#quantization. A float model is calibrated on inputs; the
 * scales of a QDQ model are its own (qdq.ts).
 */
import type { Graph } from '../../onnx/graph.js';
import { calibrationRanges } from './calibrate.js';
import { Lowering, type QuantizeOptions, type QuantizedNetwork } from './lower.js';
import { calibratedPlan } from './plan.js';
import { readQdq } from './qdq.js';
import { qOperatorToQdq } from './qoperator.js';

export type { LayerReport, PruneOptions, QuantizeOptions, QuantizedNetwork } from './lower.js';
export { randomCalibration, calibrationRanges, type ValueRange } from './calibrate.js';
export { dequantize, dequantizeValue, quantizeInput } from './io.js';
export { defaultPrunable, detectNM, satisfiedPatterns } from './sparsity.js';
export { qOperatorToQdq } from './qoperator.js';

/**
 * The integer network of a model. A float model gets per-channel symmetric int8 weights and
 * per-tensor activation scales from the largest magnitude each value reaches over the calibration
 * inputs (one Float32Array per input, NCHW). A QDQ model (QuantizeLinear/DequantizeLinear nodes) or
 * a QOperator model (QLinearConv, ...) keeps its own int8 weights and scales, and the calibration
 * inputs are not used.
 */
export function quantizeGraph(graph: Graph, calibration: readonly Float32Array[], options: QuantizeOptions = {}): QuantizedNetwork {
  const qdqForm = graph.nodes.some((node) => node.op.startsWith('QLinear')) ? qOperatorToQdq(graph) : graph;
  if (qdqForm.nodes.some((node) => node.op === 'QuantizeLinear' || node.op === 'DequantizeLinear')) {
    const qdq = readQdq(qdqForm);
    return new Lowering(qdq.graph, qdq.plan, options).run();
  }
  return new Lowering(graph, calibratedPlan(calibrationRanges(graph, calibration, options.percentile)), options).run();
}
