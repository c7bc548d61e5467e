/**
 * Constant folding: a node whose inputs are all constant is evaluated here and its outputs
 * become constants, so the shape computations torch.onnx.export writes (Shape, Gather, Unsqueeze,
 * Concat feeding a Reshape...) vanish and the shapes they compute become static. Shape and Size
 * fold from the input's static shape alone. Quantize/Dequantize nodes never fold: the QDQ
 * structure is what the quantizer reads.
 */
import { broadcastIndices, stridesOf } from './broadcast.js';
import type { ElementType, Tensor, ValueInfo } from './graph.js';
import { numberAttribute, intsAttribute, type WorkGraph, type WorkNode } from './model.js';
import { checkDims, inferShapes, ShapeContext, sliceArguments, sliceRanges } from './shapes.js';
import { elementCount, makeTensor } from './tensor.js';

interface FoldContext {
  readonly graph: WorkGraph;
  readonly node: WorkNode;
  readonly args: readonly (Tensor | undefined)[];
  /** Input `index`, which must be present. */
  arg(index: number): Tensor;
  /** The outputs' types and dims by shape inference. */
  outputs(): ValueInfo[];
}

type Evaluator = (c: FoldContext) => Tensor[];

const isInteger = (type: ElementType): boolean => type !== 'float32';

/** Input 0's values under the output's dims: the ops that only change a shape. */
const sameData: Evaluator = (c) => [{ ...c.outputs()[0]!, data: c.arg(0).data }];

function unary(f: (x: number) => number): Evaluator {
  return (c) => {
    const x = c.arg(0);
    return [makeTensor(x.type, x.dims, Array.from(x.data, f))];
  };
}

/** An elementwise op of any arity, with broadcasting; `f` gets whether the operands are integers. */
function elementwise(f: (values: number[], integer: boolean) => number, resultType?: ElementType): Evaluator {
  return (c) => {
    const out = c.outputs()[0]!;
    const args = c.node.inputs.map((_, i) => c.arg(i));
    const maps = args.map((arg) => broadcastIndices(arg.dims, out.dims));
    const integer = isInteger(args[args.length - 1]!.type);
    const values = new Float64Array(elementCount(out.dims));
    for (let i = 0; i < values.length; i++) values[i] = f(args.map((arg, k) => arg.data[maps[k]![i]!]!), integer);
    return [makeTensor(resultType ?? out.type, out.dims, values)];
  };
}

const binary = (f: (a: number, b: number, integer: boolean) => number, resultType?: ElementType): Evaluator =>
  elementwise(([a, b], integer) => f(a!, b!, integer), resultType);

function pythonMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

const gather: Evaluator = (c) => {
  const data = c.arg(0);
  const indices = c.arg(1);
  const out = c.outputs()[0]!;
  const axis = numberAttribute(c.node, 'axis')!;
  const outer = elementCount(data.dims.slice(0, axis));
  const inner = elementCount(data.dims.slice(axis + 1));
  const size = data.dims[axis]!;
  const values: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const raw of indices.data) {
      const index = raw < 0 ? raw + size : raw;
      if (index < 0 || index >= size) throw c.graph.nodeError(c.node, `index ${raw} is out of range for an axis of ${size}`);
      for (let i = 0; i < inner; i++) values.push(data.data[(o * size + index) * inner + i]!);
    }
  }
  return [makeTensor(data.type, out.dims, values)];
};

/** Reads the elements of `source` at the strided coordinates `at` gives for each output element. */
function gatherStrided(source: Tensor, dims: readonly number[], at: (coordinates: number[]) => number): Tensor {
  const strides = stridesOf(dims);
  const values = new Float64Array(elementCount(dims));
  for (let flat = 0; flat < values.length; flat++) {
    values[flat] = source.data[at(dims.map((dim, axis) => Math.floor(flat / strides[axis]!) % dim))]!;
  }
  return makeTensor(source.type, dims, values);
}

const slice: Evaluator = (c) => {
  const data = c.arg(0);
  const { axes, starts, ends, steps } = sliceArguments(new ShapeContext(c.graph, c.node));
  const ranges = sliceRanges(data.dims, starts, ends, axes, steps);
  const strides = stridesOf(data.dims);
  return [gatherStrided(data, ranges.map((range) => range.count),
    (coordinates) => coordinates.reduce((sum, k, axis) => sum + (ranges[axis]!.start + k * ranges[axis]!.step) * strides[axis]!, 0))];
};

const transpose: Evaluator = (c) => {
  const data = c.arg(0);
  const perm = intsAttribute(c.node, 'perm')!;
  const strides = stridesOf(data.dims);
  return [gatherStrided(data, c.outputs()[0]!.dims,
    (coordinates) => coordinates.reduce((sum, k, axis) => sum + k * strides[perm[axis]!]!, 0))];
};

const concat: Evaluator = (c) => {
  const out = c.outputs()[0]!;
  const axis = numberAttribute(c.node, 'axis')!;
  const outer = elementCount(out.dims.slice(0, axis));
  const values: number[] = [];
  const parts = c.node.inputs.map((_, i) => c.arg(i));
  for (let o = 0; o < outer; o++) {
    for (const part of parts) {
      const block = elementCount(part.dims.slice(axis));
      for (let i = 0; i < block; i++) values.push(part.data[o * block + i]!);
    }
  }
  return [makeTensor(out.type, out.dims, values)];
};

const expand: Evaluator = (c) => {
  const out = c.outputs()[0]!;
  const data = c.arg(0);
  return [makeTensor(data.type, out.dims, Array.from(broadcastIndices(data.dims, out.dims), (index) => data.data[index]!))];
};

const cast: Evaluator = (c) => {
  const x = c.arg(0);
  const to = c.outputs()[0]!.type;
  const convert = to === 'bool' ? (v: number) => (v === 0 ? 0 : 1) : to === 'float32' ? (v: number) => v : Math.trunc;
  return [makeTensor(to, x.dims, Array.from(x.data, convert))];
};

const shape: Evaluator = (c) => {
  const dims = c.graph.info(c.node, c.node.inputs[0]!).dims;
  const rank = dims.length;
  const bound = (value: number | undefined, fallback: number): number => {
    const v = value ?? fallback;
    return Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  };
  const taken = dims.slice(bound(numberAttribute(c.node, 'start'), 0), bound(numberAttribute(c.node, 'end'), rank));
  return [makeTensor('int64', [taken.length], taken)];
};

function constantValue(graph: WorkGraph, node: WorkNode): Tensor {
  const [name, value] = [...node.attributes.entries()][0] ?? ['', undefined];
  const isTensor = typeof value === 'object' && !Array.isArray(value);
  const isNumbers = Array.isArray(value) && value.every((item) => typeof item === 'number');
  if (name === 'value' && isTensor) return value as Tensor;
  if ((name === 'value_float' || name === 'value_int') && typeof value === 'number') {
    return makeTensor(name === 'value_float' ? 'float32' : 'int64', [], [value]);
  }
  if ((name === 'value_floats' || name === 'value_ints') && isNumbers) {
    return makeTensor(name === 'value_floats' ? 'float32' : 'int64', [value.length], value as number[]);
  }
  throw graph.nodeError(node, `attribute ${name || '(none)'} is not supported: only value (a tensor), value_float(s), value_int(s)`);
}

const EVALUATORS: Record<string, Evaluator> = {
  Constant: (c) => [constantValue(c.graph, c.node)],
  ConstantOfShape: (c) => {
    const dims = Array.from(c.arg(0).data);
    checkDims(c.graph, c.node, dims);
    const value = c.node.attributes.get('value') as Tensor | undefined;
    return [makeTensor(value?.type ?? 'float32', dims, new Float64Array(elementCount(dims)).fill(value?.data[0] ?? 0))];
  },
  Shape: shape,
  Size: (c) => [makeTensor('int64', [], [elementCount(c.graph.info(c.node, c.node.inputs[0]!).dims)])],
  Range: (c) => {
    const [start, limit, delta] = [0, 1, 2].map((i) => c.arg(i).data[0]!) as [number, number, number];
    if (delta === 0) throw c.graph.nodeError(c.node, 'delta is 0');
    const count = Math.max(Math.ceil((limit - start) / delta), 0);
    return [makeTensor(c.arg(0).type, [count], Array.from({ length: count }, (_, i) => start + i * delta))];
  },
  Identity: sameData, Dropout: sameData, Reshape: sameData, Squeeze: sameData, Unsqueeze: sameData, Flatten: sameData,
  Gather: gather, Slice: slice, Concat: concat, Transpose: transpose, Expand: expand, Cast: cast,
  Neg: unary((x) => -x), Sqrt: unary(Math.sqrt), Reciprocal: unary((x) => 1 / x), Abs: unary(Math.abs),
  Floor: unary(Math.floor), Ceil: unary(Math.ceil), Relu: unary((x) => Math.max(x, 0)), Exp: unary(Math.exp),
  Tanh: unary(Math.tanh), Sigmoid: unary((x) => 1 / (1 + Math.exp(-x))), Not: unary((x) => (x === 0 ? 1 : 0)),
  Add: binary((a, b) => a + b), Sub: binary((a, b) => a - b), Mul: binary((a, b) => a * b),
  Div: binary((a, b, integer) => (integer ? Math.trunc(a / b) : a / b)), Pow: binary((a, b) => a ** b),
  Mod: (c) => binary((a, b, integer) => (integer && numberAttribute(c.node, 'fmod') !== 1 ? pythonMod(a, b) : a % b))(c),
  Max: elementwise((values) => Math.max(...values)), Min: elementwise((values) => Math.min(...values)),
  Equal: binary((a, b) => Number(a === b), 'bool'), Less: binary((a, b) => Number(a < b), 'bool'),
  Greater: binary((a, b) => Number(a > b), 'bool'),
  And: binary((a, b) => Number(a !== 0 && b !== 0), 'bool'), Or: binary((a, b) => Number(a !== 0 || b !== 0), 'bool'),
  Where: (c) => elementwise(([condition, x, y]) => (condition !== 0 ? x! : y!), c.arg(1).type)(c),
};

/** Ops whose outputs fold from their input's shape alone. */
const SHAPE_ONLY = new Set(['Shape', 'Size']);

/** The node's outputs as constants when it folds, else undefined. */
export function foldNode(graph: WorkGraph, node: WorkNode): Tensor[] | undefined {
  const evaluate = EVALUATORS[node.op];
  if (evaluate === undefined || node.domain !== '') return undefined;
  const args = node.inputs.map((input) => (input === '' ? undefined : graph.constants.get(input)));
  const ready = SHAPE_ONLY.has(node.op) || node.inputs.every((input, i) => input === '' || args[i] !== undefined);
  if (!ready) return undefined;
  const context: FoldContext = {
    graph, node, args,
    arg: (index) => {
      const tensor = args[index];
      if (tensor === undefined) throw graph.nodeError(node, `input ${index} is missing`);
      return tensor;
    },
    outputs: () => inferShapes(graph, node),
  };
  return evaluate(context).slice(0, node.outputs.length);
}
