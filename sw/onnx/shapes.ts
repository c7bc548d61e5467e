/**
 * Shape inference, one rule per op: the element type and static dims of each output from the
 * inputs' (and, for the shape-carrying inputs of Reshape, Expand, Slice..., their constant
 * values). Attributes are read after fillDefaults (attributes.ts).
 */
import { broadcastDims } from './broadcast.js';
import type { ElementType, ValueInfo } from './graph.js';
import { constantOf, numberAttribute, intsAttribute, normalizeAxis, type WorkGraph, type WorkNode } from './model.js';
import { MICROSOFT_OPS, unsupportedOp } from './ops.js';
import { elementCount, elementTypeOf } from './tensor.js';

interface Output { readonly type: ElementType; readonly dims: readonly number[] }

/** What a rule sees of its node. */
class Context {
  constructor(readonly graph: WorkGraph, readonly node: WorkNode) {}

  input(index: number): ValueInfo {
    const name = this.node.inputs[index] ?? '';
    if (name === '') throw this.error(`input ${index} is missing`);
    return this.graph.info(this.node, name);
  }

  has(index: number): boolean {
    return (this.node.inputs[index] ?? '') !== '';
  }

  dims(index: number): readonly number[] {
    return this.input(index).dims;
  }

  /** The values of a shape-carrying input, which must have folded to a constant. */
  ints(index: number, what: string): number[] {
    const name = this.node.inputs[index] ?? '';
    const tensor = constantOf(this.graph, name);
    if (tensor === undefined) {
      throw this.error(`input ${index} (${what}, '${name}') is computed at run time and did not fold to a constant; only static shapes are supported`);
    }
    return Array.from(tensor.data);
  }

  /** The values of attribute `name` or, from the opset that moved it there, of input `index`. */
  attributeOrInput(name: string, index: number): number[] | undefined {
    return intsAttribute(this.node, name)?.slice() ?? (this.has(index) ? this.ints(index, name) : undefined);
  }

  axis(axis: number, rank: number): number {
    return normalizeAxis(this.graph, this.node, axis, rank);
  }

  error(problem: string): Error {
    return this.graph.nodeError(this.node, problem);
  }
}

type Rule = (context: Context) => Output[];

const sameAsInput: Rule = (c) => [c.input(0)];

const broadcast = (type?: ElementType): Rule => (c) => {
  let dims: readonly number[] = c.dims(0);
  for (let i = 1; i < c.node.inputs.length; i++) {
    const next = broadcastDims(dims, c.dims(i));
    if (next === undefined) throw c.error(`inputs of dims [${dims.join(',')}] and [${c.dims(i).join(',')}] do not broadcast`);
    dims = next;
  }
  return [{ type: type ?? c.input(0).type, dims }];
};

/** The output type of a QOperator: its output zero point's, uint8 when it has none. */
const zeroPointType = (c: Context, index: number): ElementType => (c.has(index) ? c.input(index).type : 'uint8');

/** Output size of a sliding window along one spatial axis. */
function windowOutput(c: Context, size: number, kernel: number, stride: number, padBegin: number, padEnd: number): number {
  const span = size + padBegin + padEnd - kernel;
  if (span < 0) throw c.error(`a window of ${kernel} does not fit an input of ${size} padded by ${padBegin}+${padEnd}`);
  return Math.floor(span / stride) + 1;
}

function windowDims(c: Context, input: readonly number[], channels: number): number[] {
  const kernel = intsAttribute(c.node, 'kernel_shape')!;
  const strides = intsAttribute(c.node, 'strides')!;
  const pads = intsAttribute(c.node, 'pads')!;
  if (input.length !== kernel.length + 2) throw c.error(`input of rank ${input.length} does not match kernel_shape [${kernel.join(',')}]`);
  const ceil = numberAttribute(c.node, 'ceil_mode') ?? 0;
  const spatial = kernel.map((k, i) => windowOutput(c, input[i + 2]!, k, strides[i]!, pads[i]!, pads[i + kernel.length]!));
  if (ceil === 1) {
    // ceil_mode adds a last window only where the floor division left a remainder; without one it changes nothing.
    const extra = kernel.some((k, i) => (input[i + 2]! + pads[i]! + pads[i + kernel.length]! - k) % strides[i]! !== 0);
    if (extra) throw c.error('attribute ceil_mode 1 adds a partial window here; only ceil_mode 0 (or a ceil_mode that changes nothing) is supported');
  }
  c.node.attributes.delete('ceil_mode');
  return [input[0]!, channels, ...spatial];
}

function conv(weightIndex: number, type: (c: Context) => ElementType): Rule {
  return (c) => {
    const x = c.dims(0);
    const w = c.dims(weightIndex);
    const group = numberAttribute(c.node, 'group')!;
    if (w.length !== x.length || x[1] !== w[1]! * group) {
      throw c.error(`weight of dims [${w.join(',')}] does not fit input [${x.join(',')}] with group ${group}`);
    }
    return [{ type: type(c), dims: windowDims(c, x, w[0]!) }];
  };
}

function pool(type: (c: Context) => ElementType): Rule {
  return (c) => {
    if (c.node.outputs.length > 1 && c.node.outputs[1] !== '') throw c.error('the Indices output is not supported');
    return [{ type: type(c), dims: windowDims(c, c.dims(0), c.dims(0)[1]!) }];
  };
}

/** numpy.matmul's shape: 1-D operands promoted and their added axis removed again. */
function matmulDims(c: Context, a: readonly number[], b: readonly number[]): number[] {
  const left = a.length === 1 ? [1, a[0]!] : a;
  const right = b.length === 1 ? [b[0]!, 1] : b;
  if (left.length < 2 || right.length < 2 || left[left.length - 1] !== right[right.length - 2]) {
    throw c.error(`operands of dims [${a.join(',')}] and [${b.join(',')}] do not multiply`);
  }
  const batch = broadcastDims(left.slice(0, -2), right.slice(0, -2));
  if (batch === undefined) throw c.error(`batch dims of [${a.join(',')}] and [${b.join(',')}] do not broadcast`);
  return [...batch, ...(a.length === 1 ? [] : [left[left.length - 2]!]), ...(b.length === 1 ? [] : [right[right.length - 1]!])];
}

function matmul(aIndex: number, bIndex: number, type: (c: Context) => ElementType): Rule {
  return (c) => [{ type: type(c), dims: matmulDims(c, c.dims(aIndex), c.dims(bIndex)) }];
}

/** Reshape's target: 0 copies the input's dim (unless allowzero), one -1 takes what is left. */
function reshapeDims(input: readonly number[], shape: readonly number[], allowZero: boolean): number[] | undefined {
  const dims = shape.map((dim, i) => (dim === 0 && !allowZero ? input[i] ?? -2 : dim));
  const known = dims.filter((dim) => dim !== -1).reduce((product, dim) => product * dim, 1);
  const inferred = dims.filter((dim) => dim === -1).length;
  if (dims.some((dim) => dim < -1) || inferred > 1) return undefined;
  const total = elementCount(input);
  if (inferred === 1) {
    if (known === 0 || total % known !== 0) return undefined;
    return dims.map((dim) => (dim === -1 ? total / known : dim));
  }
  return known === total ? dims : undefined;
}

const reshape: Rule = (c) => {
  const shape = c.ints(1, 'shape');
  const dims = reshapeDims(c.dims(0), shape, numberAttribute(c.node, 'allowzero') === 1);
  if (dims === undefined) throw c.error(`cannot reshape [${c.dims(0).join(',')}] to [${shape.join(',')}]`);
  return [{ type: c.input(0).type, dims }];
};

const flatten: Rule = (c) => {
  const dims = c.dims(0);
  const axis = numberAttribute(c.node, 'axis')!;
  return [{ type: c.input(0).type, dims: [elementCount(dims.slice(0, axis)), elementCount(dims.slice(axis))] }];
};

function concatDims(c: Context, inputs: readonly number[], axis: number): number[] {
  const first = c.dims(inputs[0]!);
  const dims = [...first];
  dims[axis] = 0;
  for (const index of inputs) {
    const other = c.dims(index);
    if (other.length !== first.length || other.some((dim, i) => i !== axis && dim !== first[i])) {
      throw c.error(`input of dims [${other.join(',')}] does not concatenate with [${first.join(',')}] on axis ${axis}`);
    }
    dims[axis]! += other[axis]!;
  }
  return dims;
}

const concat: Rule = (c) => {
  const axis = numberAttribute(c.node, 'axis')!;
  return [{ type: c.input(0).type, dims: concatDims(c, c.node.inputs.map((_, i) => i), axis) }];
};

/** QLinearConcat reads Y_scale, Y_zero_point, then a (X, scale, zero point) triple per input. */
const qlinearConcat: Rule = (c) => {
  const axis = numberAttribute(c.node, 'axis')!;
  const tensors = c.node.inputs.map((_, i) => i).filter((i) => i >= 2 && (i - 2) % 3 === 0);
  return [{ type: zeroPointType(c, 1), dims: concatDims(c, tensors, axis) }];
};

const transpose: Rule = (c) => {
  const dims = c.dims(0);
  const perm = intsAttribute(c.node, 'perm')!;
  if (perm.length !== dims.length || [...perm].sort((a, b) => a - b).some((axis, i) => axis !== i)) {
    throw c.error(`perm [${perm.join(',')}] is not a permutation of a rank-${dims.length} input's axes`);
  }
  return [{ type: c.input(0).type, dims: perm.map((axis) => dims[axis]!) }];
};

const squeeze: Rule = (c) => {
  const dims = c.dims(0);
  const axes = (c.attributeOrInput('axes', 1) ?? dims.flatMap((dim, i) => (dim === 1 ? [i] : []))).map((axis) => c.axis(axis, dims.length));
  if (axes.some((axis) => dims[axis] !== 1)) throw c.error(`cannot squeeze axes [${axes.join(',')}] of [${dims.join(',')}]`);
  return [{ type: c.input(0).type, dims: dims.filter((_, i) => !axes.includes(i)) }];
};

const unsqueeze: Rule = (c) => {
  const dims = c.dims(0);
  const axes = c.attributeOrInput('axes', 1);
  if (axes === undefined) throw c.error('axes are missing');
  const rank = dims.length + axes.length;
  const normalized = axes.map((axis) => c.axis(axis, rank));
  const out: number[] = [];
  let next = 0;
  for (let i = 0; i < rank; i++) out.push(normalized.includes(i) ? 1 : dims[next++]!);
  return [{ type: c.input(0).type, dims: out }];
};

const gather: Rule = (c) => {
  const dims = c.dims(0);
  const axis = numberAttribute(c.node, 'axis')!;
  return [{ type: c.input(0).type, dims: [...dims.slice(0, axis), ...c.dims(1), ...dims.slice(axis + 1)] }];
};

/** The elements Slice takes along each axis: start, step and count. */
export function sliceRanges(dims: readonly number[], starts: readonly number[], ends: readonly number[],
  axes: readonly number[], steps: readonly number[]): { start: number; step: number; count: number }[] {
  const ranges = dims.map((dim) => ({ start: 0, step: 1, count: dim }));
  axes.forEach((axis, i) => {
    const dim = dims[axis]!;
    const step = steps[i] ?? 1;
    const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(value < 0 ? value + dim : value, low), high);
    const start = step > 0 ? clamp(starts[i]!, 0, dim) : clamp(starts[i]!, -1, dim - 1);
    const end = step > 0 ? clamp(ends[i]!, 0, dim) : clamp(ends[i]!, -1, dim - 1);
    ranges[axis] = { start, step, count: Math.max(0, Math.ceil((end - start) / step)) };
  });
  return ranges;
}

export function sliceArguments(c: Context): { axes: number[]; starts: number[]; ends: number[]; steps: number[] } {
  const starts = c.attributeOrInput('starts', 1) ?? [];
  const ends = c.attributeOrInput('ends', 2) ?? [];
  const rank = c.dims(0).length;
  const axes = (c.attributeOrInput('axes', 3) ?? starts.map((_, i) => i)).map((axis) => c.axis(axis, rank));
  const steps = c.has(4) ? c.ints(4, 'steps') : starts.map(() => 1);
  if (steps.some((step) => step === 0)) throw c.error('a slice step is 0');
  return { axes, starts, ends, steps };
}

const slice: Rule = (c) => {
  const { axes, starts, ends, steps } = sliceArguments(c);
  return [{ type: c.input(0).type, dims: sliceRanges(c.dims(0), starts, ends, axes, steps).map((range) => range.count) }];
};

const expand: Rule = (c) => {
  const shape = c.ints(1, 'shape');
  const dims = broadcastDims(c.dims(0), shape);
  if (dims === undefined) throw c.error(`cannot expand [${c.dims(0).join(',')}] to [${shape.join(',')}]`);
  return [{ type: c.input(0).type, dims }];
};

const pad: Rule = (c) => {
  const dims = c.dims(0);
  const pads = c.attributeOrInput('pads', 1) ?? [];
  const axes = c.has(3) ? c.ints(3, 'axes').map((axis) => c.axis(axis, dims.length)) : dims.map((_, i) => i);
  const out = [...dims];
  axes.forEach((axis, i) => { out[axis]! += pads[i]! + pads[i + axes.length]!; });
  return [{ type: c.input(0).type, dims: out }];
};

const reduce: Rule = (c) => {
  const dims = c.dims(0);
  const axes = (c.attributeOrInput('axes', 1) ?? dims.map((_, i) => i)).map((axis) => c.axis(axis, dims.length));
  const keep = (numberAttribute(c.node, 'keepdims') ?? 1) === 1;
  return [{ type: c.input(0).type, dims: dims.flatMap((dim, i) => (axes.includes(i) ? (keep ? [1] : []) : [dim])) }];
};

const cast: Rule = (c) => {
  const to = elementTypeOf(numberAttribute(c.node, 'to') ?? 0);
  if (to === undefined) throw c.error(`casts to data type ${numberAttribute(c.node, 'to')}, which is not supported`);
  return [{ type: to, dims: c.dims(0) }];
};

const firstOutputOnly = (rule: Rule): Rule => (c) => {
  if (c.node.outputs.slice(1).some((output) => output !== '' && c.graph.consumers(output).length > 0)) {
    throw c.error('only the first output may be used');
  }
  return rule(c);
};

const RULES: Record<string, Rule> = {
  Relu: sameAsInput, Clip: sameAsInput, Erf: sameAsInput, Sqrt: sameAsInput, Gelu: sameAsInput,
  Identity: sameAsInput, Neg: sameAsInput, Reciprocal: sameAsInput, Abs: sameAsInput, Floor: sameAsInput,
  Ceil: sameAsInput, Sigmoid: sameAsInput, Tanh: sameAsInput, Exp: sameAsInput, Not: sameAsInput,
  Softmax: sameAsInput,
  Dropout: firstOutputOnly(sameAsInput),
  BatchNormalization: firstOutputOnly(sameAsInput),
  LayerNormalization: firstOutputOnly(sameAsInput),
  Add: broadcast(), Sub: broadcast(), Mul: broadcast(), Div: broadcast(), Pow: broadcast(), Mod: broadcast(),
  Max: broadcast(), Min: broadcast(),
  Equal: broadcast('bool'), Less: broadcast('bool'), Greater: broadcast('bool'), And: broadcast('bool'), Or: broadcast('bool'),
  Where: (c) => [{ type: c.input(1).type, dims: broadcast()(c)[0]!.dims }],
  Cast: cast,
  Conv: conv(1, (c) => c.input(0).type),
  ConvInteger: conv(1, () => 'int32'),
  QLinearConv: conv(3, (c) => zeroPointType(c, 7)),
  MaxPool: pool((c) => c.input(0).type),
  AveragePool: pool((c) => c.input(0).type),
  QLinearAveragePool: pool((c) => zeroPointType(c, 4)),
  GlobalAveragePool: (c) => [{ type: c.input(0).type, dims: [...c.dims(0).slice(0, 2), ...c.dims(0).slice(2).map(() => 1)] }],
  QLinearGlobalAveragePool: (c) => [{ type: zeroPointType(c, 4), dims: [...c.dims(0).slice(0, 2), ...c.dims(0).slice(2).map(() => 1)] }],
  Gemm: (c) => {
    const a = c.dims(0);
    const b = c.dims(1);
    if (a.length !== 2 || b.length !== 2) throw c.error(`operands must be 2-D, not [${a.join(',')}] and [${b.join(',')}]`);
    const [m, k] = numberAttribute(c.node, 'transA') === 1 ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
    const [kb, n] = numberAttribute(c.node, 'transB') === 1 ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
    if (k !== kb) throw c.error(`operands of dims [${a.join(',')}] and [${b.join(',')}] do not multiply`);
    return [{ type: c.input(0).type, dims: [m, n] }];
  },
  MatMul: matmul(0, 1, (c) => c.input(0).type),
  MatMulInteger: matmul(0, 1, () => 'int32'),
  QLinearMatMul: matmul(0, 3, (c) => zeroPointType(c, 7)),
  QLinearAdd: (c) => [{ type: zeroPointType(c, 7), dims: broadcastPair(c, 0, 3) }],
  QLinearMul: (c) => [{ type: zeroPointType(c, 7), dims: broadcastPair(c, 0, 3) }],
  QLinearSoftmax: (c) => [{ type: zeroPointType(c, 4), dims: c.dims(0) }],
  QLinearConcat: qlinearConcat,
  QuantizeLinear: (c) => [{ type: zeroPointType(c, 2), dims: c.dims(0) }],
  DequantizeLinear: (c) => [{ type: 'float32', dims: c.dims(0) }],
  Flatten: flatten,
  Reshape: reshape,
  Transpose: transpose,
  Concat: concat,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Gather: gather,
  Slice: slice,
  Expand: expand,
  Pad: pad,
  ReduceMean: reduce, ReduceSum: reduce, ReduceProd: reduce, ReduceMax: reduce, ReduceMin: reduce,
};

function broadcastPair(c: Context, a: number, b: number): number[] {
  const dims = broadcastDims(c.dims(a), c.dims(b));
  if (dims === undefined) throw c.error(`inputs of dims [${c.dims(a).join(',')}] and [${c.dims(b).join(',')}] do not broadcast`);
  return dims;
}

/** The type and dims of each of `node`'s outputs (only its first for ops whose others must go unused). */
export function inferShapes(graph: WorkGraph, node: WorkNode): ValueInfo[] {
  const rule = RULES[node.op];
  const knownDomain = node.domain === '' || (node.domain === 'com.microsoft' && MICROSOFT_OPS.has(node.op));
  if (rule === undefined || !knownDomain) throw unsupportedOp(graph, node);
  if ((node.outputs[0] ?? '') === '') throw graph.nodeError(node, 'has no output');
  return rule(new Context(graph, node)).map((output, i) => {
    checkDims(graph, node, output.dims);
    return { type: output.type, dims: output.dims, name: node.outputs[i]! };
  });
}

/** Tensors the compiler could hold: whole non-negative dims, at most 2^31 elements. */
export function checkDims(graph: WorkGraph, node: WorkNode, dims: readonly number[]): void {
  if (dims.some((dim) => !Number.isSafeInteger(dim) || dim < 0) || elementCount(dims) > 2 ** 31) {
    throw graph.nodeError(node, `computes a value of dims [${dims.join(',')}], which no tensor can have`);
  }
}

export { Context as ShapeContext };
