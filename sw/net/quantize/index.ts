/**
 * The quantizer: a canonical float graph (sw/onnx/graph.ts) to the integer network
 * (sw/net/graph.ts), docs/compiler.md#quantization. A float model is calibrated on inputs; the
 * scales of a QDQ model are its own (qdq.ts).
 */
import type { CanonicalOp, Graph } from '../../onnx/graph.js';
import { nodeError } from '../attributes.js';
import { calibrationRanges } from './calibrate.js';
import { Lowering, type QuantizeOptions, type QuantizedNetwork } from './lower.js';
import { calibratedPlan } from './plan.js';
import { readQdq } from './qdq.js';

export type { LayerReport, PruneOptions, QuantizeOptions, QuantizedNetwork } from './lower.js';
export { randomCalibration, calibrationRanges, type ValueRange } from './calibrate.js';
export { dequantize, dequantizeValue, quantizeInput } from './io.js';
export { defaultPrunable, detectNM, satisfiedPatterns } from './sparsity.js';

const QOPERATOR_OPS: ReadonlySet<CanonicalOp> = new Set<CanonicalOp>([
  'QLinearConv', 'QLinearMatMul', 'QLinearAdd', 'QLinearAveragePool', 'QLinearGlobalAveragePool',
  'QLinearMul', 'QLinearConcat', 'QLinearSoftmax', 'MatMulInteger', 'ConvInteger',
]);

/**
 * The integer network of a model. A float model gets per-channel symmetric int8 weights and
 * per-tensor activation scales from the largest magnitude each value reaches over the calibration
 * inputs (one Float32Array per input, NCHW). A QDQ model (QuantizeLinear/DequantizeLinear nodes)
 * keeps its own int8 weights and scales, and the calibration inputs are not used.
 */
export function quantizeGraph(graph: Graph, calibration: readonly Float32Array[], options: QuantizeOptions = {}): QuantizedNetwork {
  const qOperator = graph.nodes.find((node) => QOPERATOR_OPS.has(node.op));
  if (qOperator) throw nodeError(graph, qOperator, `${qOperator.op} is not yet supported by the integer lowering: QOperator models are not read yet (quantize with QuantFormat.QDQ)`);
  if (graph.nodes.some((node) => node.op === 'QuantizeLinear' || node.op === 'DequantizeLinear')) {
    const qdq = readQdq(graph);
    return new Lowering(qdq.graph, qdq.plan, options).run();
  }
  return new Lowering(graph, calibratedPlan(calibrationRanges(graph, calibration)), options).run();
}
