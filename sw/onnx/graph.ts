/**
 * An ONNX model as the compiler reads it: one graph, batch 1, every shape static and known, the
 * shape-computation subgraphs folded to constants, and PyTorch's export patterns fused into the
 * canonical operators below (docs/compiler.md#front-end). Values keep ONNX's NCHW layout here;
 * the quantizer (sw/net/quantize/) turns this graph into the integer network of sw/net/graph.ts.
 */

export type ElementType = 'float32' | 'int8' | 'uint8' | 'int32' | 'int64' | 'bool';

/** A constant (an initializer, a Constant node's value or a folded value), row-major. */
export interface Tensor {
  readonly type: ElementType;
  readonly dims: readonly number[];
  /** int64 values are held as numbers (shapes and indices fit in 2^53); bool as 0/1 in Uint8Array. */
  readonly data: Float32Array | Int8Array | Uint8Array | Int32Array | Float64Array;
}

export type AttributeValue = number | string | readonly number[] | readonly string[] | Tensor;

export interface GraphNode {
  /** The node's ONNX name, or `<op>_<index>` when the file has none: every message names it. */
  readonly name: string;
  readonly op: CanonicalOp;
  /** Value names; '' for an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: ReadonlyMap<string, AttributeValue>;
}

/** A graph input or output: its name, element type and static shape. */
export interface ValueInfo {
  readonly name: string;
  readonly type: ElementType;
  readonly dims: readonly number[];
}

/**
 * The operators left after folding and fusion (each with ONNX's semantics and attribute names,
 * defaults filled in):
 * - Conv: X, W, B? (BatchNormalization folded into W and B, a Pad before it folded into `pads`);
 * - Gemm: A, B, C? with `transB`, alpha = beta = 1 (folded); MatMul (batched: either operand may be a value);
 * - Add, Mul (NumPy broadcasting; either operand may be a constant); Relu; Clip (`min`, `max` as attributes);
 * - MaxPool, AveragePool (`kernel_shape`, `strides`, `pads`, `count_include_pad`), GlobalAveragePool;
 * - Flatten, Reshape (`shape` folded to an attribute, no -1 or 0 left), Transpose (`perm`), Concat (`axis`);
 * - Softmax (`axis`), LayerNormalization (`axis`, `epsilon`; inputs X, scale, bias), Gelu (the Erf pattern);
 * - QuantizeLinear, DequantizeLinear (QDQ models) and the QOperator forms QLinearConv,
 *   QLinearMatMul, QLinearAdd, QLinearAveragePool, QLinearGlobalAveragePool, QLinearMul, QLinearConcat,
 *   QLinearSoftmax, MatMulInteger, ConvInteger.
 */
export type CanonicalOp =
  | 'Conv' | 'Gemm' | 'MatMul' | 'Add' | 'Mul' | 'Relu' | 'Clip'
  | 'MaxPool' | 'AveragePool' | 'GlobalAveragePool'
  | 'Flatten' | 'Reshape' | 'Transpose' | 'Concat'
  | 'Softmax' | 'LayerNormalization' | 'Gelu'
  | 'QuantizeLinear' | 'DequantizeLinear'
  | 'QLinearConv' | 'QLinearMatMul' | 'QLinearAdd' | 'QLinearAveragePool' | 'QLinearGlobalAveragePool'
  | 'QLinearMul' | 'QLinearConcat' | 'QLinearSoftmax' | 'MatMulInteger' | 'ConvInteger';

export interface Graph {
  /** The model's file name (or graph name): the first word of every message about it. */
  readonly source: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  /** Every constant the nodes read: initializers, Constant outputs, folded values. */
  readonly constants: ReadonlyMap<string, Tensor>;
  /** In topological order. */
  readonly nodes: readonly GraphNode[];
  /** The shape and type of every value (inputs, node outputs, constants). */
  readonly values: ReadonlyMap<string, ValueInfo>;
}
