/** The operator sets of the front end: what the canonical graph holds and what it reads to get there. */
import type { CanonicalOp } from './graph.js';
import type { WorkGraph, WorkNode } from './model.js';

export const CANONICAL_OPS: readonly CanonicalOp[] = [
  'Conv', 'Gemm', 'MatMul', 'Add', 'Mul', 'Relu', 'Clip',
  'MaxPool', 'AveragePool', 'GlobalAveragePool',
  'Flatten', 'Reshape', 'Transpose', 'Concat',
  'Softmax', 'LayerNormalization', 'Gelu',
  'QuantizeLinear', 'DequantizeLinear',
  'QLinearConv', 'QLinearMatMul', 'QLinearAdd', 'QLinearAveragePool', 'QLinearGlobalAveragePool',
  'QLinearMul', 'QLinearConcat', 'QLinearSoftmax', 'MatMulInteger', 'ConvInteger',
];

/** The QOperator ops onnxruntime defines in its own domain rather than in ONNX's. */
export const MICROSOFT_OPS: ReadonlySet<string> = new Set([
  'QLinearAdd', 'QLinearMul', 'QLinearAveragePool', 'QLinearGlobalAveragePool', 'QLinearConcat', 'QLinearSoftmax',
]);

/** Ops accepted on the way in that folding or fusion turns into canonical ones. */
export const REWRITTEN_OPS: readonly string[] = [
  'BatchNormalization (after a Conv)', 'Pad (zero, spatial, before a Conv or pool)', 'Erf-pattern Gelu',
  'ReduceMean/Sub/Pow/Sqrt/Div LayerNormalization', 'Sub or Div by a constant', 'Identity', 'Dropout',
  'Cast to the same type', 'Squeeze', 'Unsqueeze', 'Gather or Slice with constant indices',
  'any shape computation on constants (Shape, Gather, Concat, Slice, ...)',
];

export function isCanonical(op: string): op is CanonicalOp {
  return (CANONICAL_OPS as readonly string[]).includes(op);
}

export function unsupportedOp(graph: WorkGraph, node: WorkNode): Error {
  const domain = node.domain === '' ? '' : ` of domain ${node.domain}`;
  return graph.nodeError(node, `op ${node.op}${domain} is not supported; supported: ${CANONICAL_OPS.join(', ')}; also accepted where they fold or fuse: ${REWRITTEN_OPS.join('; ')}`);
}
