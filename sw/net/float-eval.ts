/**
 * A float32 reference of the canonical graph (sw/onnx/graph.ts), NCHW as ONNX computes it: the
 * quantizer's calibration reads the range of every value from it, and the tests hold the integer
 * network to it. Sums are accumulated in float64 and stored as float32.
 */
import type { CanonicalOp, Graph } from '../onnx/graph.js';
import { nodeError } from './attributes.js';
import { NodeContext, type FloatOp } from './float/context.js';
import { add, clip, gelu, mul, relu } from './float/elementwise.js';
import { gemm, matMul } from './float/linear.js';
import { layerNormalization, softmax } from './float/normalize.js';
import { dequantizeLinear, quantizeLinear } from './float/quantize-linear.js';
import { concat, flatten, reshape, transpose } from './float/shape.js';
import { constantValue, elementCount, type FloatValue } from './float/tensor.js';
import { averagePool, conv, globalAveragePool, maxPool } from './float/window.js';

export type { FloatValue } from './float/tensor.js';

const OPS: Partial<Record<CanonicalOp, FloatOp>> = {
  Conv: conv,
  Gemm: gemm,
  MatMul: matMul,
  Add: add,
  Mul: mul,
  Relu: relu,
  Clip: clip,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: globalAveragePool,
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Concat: concat,
  Softmax: softmax,
  LayerNormalization: layerNormalization,
  Gelu: gelu,
  QuantizeLinear: quantizeLinear,
  DequantizeLinear: dequantizeLinear,
};

/** The operators the evaluator implements. */
export const FLOAT_OPS: readonly CanonicalOp[] = Object.keys(OPS) as CanonicalOp[];

/**
 * Every value of the graph (its inputs and every node output) for one set of inputs, each NCHW
 * float32 in the order of graph.inputs.
 */
export function evaluateFloat(graph: Graph, inputs: readonly Float32Array[]): Map<string, FloatValue> {
  if (inputs.length !== graph.inputs.length) throw new RangeError(`${graph.source}: ${inputs.length} inputs given, the graph takes ${graph.inputs.length}`);
  const values = new Map<string, FloatValue>();
  graph.inputs.forEach((info, i) => {
    const data = inputs[i]!;
    if (data.length !== elementCount(info.dims)) throw new RangeError(`${graph.source}: input '${info.name}' holds ${data.length} values, not [${info.dims.join(', ')}]`);
    values.set(info.name, { dims: info.dims, data });
  });
  // Constants are converted once per evaluation (a weight is read by one node, a shared one by several).
  const constants = new Map<string, FloatValue>();
  const read = (name: string): FloatValue | undefined => {
    if (!name) return undefined;
    const value = values.get(name) ?? constants.get(name);
    if (value) return value;
    const constant = graph.constants.get(name);
    if (!constant) return undefined;
    const converted = constantValue(constant);
    constants.set(name, converted);
    return converted;
  };
  for (const node of graph.nodes) {
    const op = OPS[node.op];
    if (!op) throw nodeError(graph, node, `the float evaluator does not implement ${node.op}`);
    const context = new NodeContext(graph, node, node.inputs.map(read));
    node.inputs.forEach((name, i) => {
      if (name && !read(name)) throw context.error(`input ${i} '${name}' is neither a graph input, a constant nor an earlier node's output`);
    });
    op(context).forEach((value, i) => {
      const name = node.outputs[i];
      if (name) values.set(name, value);
    });
  }
  return values;
}
