// Canonical graphs (sw/onnx/graph.ts) built by hand for the quantizer's tests: nodes in the order
// added, every value's shape taken from one float evaluation of zeros.
import type { AttributeValue, CanonicalOp, ElementType, Graph, GraphNode, Tensor, ValueInfo } from '../../sw/onnx/graph.js';
import { evaluateFloat } from '../../sw/net/float-eval.js';
import type { NetTensor, Network, TensorShape } from '../../sw/net/graph.js';
import { outputHeight, outputWidth } from '../../sw/layers/spec.js';
import { Random } from '../../util/random.js';

const ARRAYS = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int32: Int32Array, int64: Float64Array, bool: Uint8Array } as const;

export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly constants = new Map<string, Tensor>();
  private readonly inputs: ValueInfo[] = [];
  private outputs: string[] = [];

  constructor(readonly source = 'test.onnx') {}

  input(name: string, dims: readonly number[]): string {
    this.inputs.push({ name, type: 'float32', dims });
    return name;
  }

  constant(name: string, dims: readonly number[], values: ArrayLike<number>, type: ElementType = 'float32'): string {
    const size = dims.reduce((a, d) => a * d, 1);
    if (values.length !== size) throw new RangeError(`constant ${name}: ${values.length} values for [${dims.join(', ')}]`);
    this.constants.set(name, { type, dims, data: ARRAYS[type].from(values) });
    return name;
  }

  /** Adds a node with one output, named after the node; returns the output's name. */
  node(op: CanonicalOp, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, name = `${op}_${this.nodes.length}`): string {
    const output = `${name}_out`;
    this.nodes.push({ name, op, inputs, outputs: [output], attributes: new Map(Object.entries(attributes)) });
    return output;
  }

  output(...names: string[]): this {
    this.outputs = names;
    return this;
  }

  build(): Graph {
    const partial: Graph = { source: this.source, inputs: this.inputs, outputs: [], constants: this.constants, nodes: this.nodes, values: new Map() };
    const zeros = this.inputs.map((i) => new Float32Array(i.dims.reduce((a, d) => a * d, 1)));
    const values = new Map<string, ValueInfo>();
    for (const [name, value] of evaluateFloat(partial, zeros)) values.set(name, { name, type: this.typeOf(name), dims: value.dims });
    for (const [name, tensor] of this.constants) values.set(name, { name, type: tensor.type, dims: tensor.dims });
    return { ...partial, outputs: this.outputs.map((name) => values.get(name)!), values };
  }

  private typeOf(value: string): ElementType {
    const producer = this.nodes.find((n) => n.outputs.includes(value));
    if (producer?.op !== 'QuantizeLinear') return 'float32';
    return this.constants.get(producer.inputs[2] ?? '')?.type ?? 'uint8';
  }
}

/** `count` floats uniform in [-scale, scale). */
export function uniform(random: Random, count: number, scale = 1): Float32Array {
  return Float32Array.from({ length: count }, () => (random.uint32() / 2 ** 32 - 0.5) * 2 * scale);
}

export const size = (dims: readonly number[]): number => dims.reduce((a, d) => a * d, 1);

/** Largest absolute difference of two arrays of one length. */
export function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`lengths ${a.length} and ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

/** Largest magnitude of an array. */
export const peak = (a: ArrayLike<number>): number => Array.from(a).reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/**
 * Throws unless every node's tensors agree with it as the compiler reads them: a layer's input
 * tensor has the spec's shape and signedness and its output the computed shape and type; an add's
 * operands and output one shape.
 */
export function expectConsistent(network: Network): void {
  const tensor = (name: string): NetTensor => network.tensors.get(name)!;
  const same = (a: TensorShape, b: TensorShape): boolean => a.h === b.h && a.w === b.w && a.c === b.c;
  for (const node of network.nodes) {
    const fail = (what: string): never => {
      throw new Error(`${network.name}: node '${node.name}': ${what}`);
    };
    if (node.op === 'layer') {
      const { spec } = node;
      if (!same(tensor(node.input).shape, { h: spec.inH, w: spec.inW, c: spec.inC })) fail(`input tensor ${JSON.stringify(tensor(node.input).shape)} is not the spec's`);
      if (tensor(node.input).signed !== spec.inputSigned) fail('input signedness differs from the spec');
      if (!same(tensor(node.output).shape, { h: outputHeight(spec), w: outputWidth(spec), c: spec.outC })) fail('output tensor shape is not the computed one');
      if (tensor(node.output).signed !== (spec.output === 'int8')) fail('output type differs from the spec');
    }
    if (node.op === 'add' && !(same(tensor(node.inputs[0]).shape, tensor(node.inputs[1]).shape) && same(tensor(node.inputs[0]).shape, tensor(node.output).shape))) {
      fail('operands and output differ in shape');
    }
  }
}

/**
 * Two-head attention over 6 tokens of 8 features as timm's Attention writes it: Q, K and V
 * linear, split into heads by Reshape + Transpose, Q scaled by 0.5 after the split, softmax over
 * the keys, the heads merged back by Transpose + Reshape, a projection.
 */
export function timmAttention(): { graph: Graph; values: Record<'q' | 'scores' | 'probs' | 'context' | 'merged' | 'y', string> } {
  const random = new Random(22);
  const b = new GraphBuilder();
  const x = b.input('x', [1, 6, 8]);
  const linear = (name: string): string => b.node('MatMul', [x, b.constant(`${name}_w`, [8, 8], uniform(random, 64, 0.5))], {}, name);
  const heads = (value: string, perm: number[]): string => b.node('Transpose', [b.node('Reshape', [value], { shape: [1, 6, 2, 4] }, `${value}_split`)], { perm }, `${value}_heads`);
  const q = b.node('Mul', [heads(linear('q'), [0, 2, 1, 3]), b.constant('scale', [], [0.5])], {}, 'q_scaled');
  const scores = b.node('MatMul', [q, heads(linear('k'), [0, 2, 3, 1])], {}, 'scores');
  const probs = b.node('Softmax', [scores], { axis: 3 }, 'softmax');
  const context = b.node('MatMul', [probs, heads(linear('v'), [0, 2, 1, 3])], {}, 'context');
  const merged = b.node('Reshape', [b.node('Transpose', [context], { perm: [0, 2, 1, 3] }, 'merge')], { shape: [1, 6, 8] }, 'tokens');
  const y = b.node('MatMul', [merged, b.constant('proj_w', [8, 8], uniform(random, 64, 0.5))], {}, 'proj');
  return { graph: b.output(y).build(), values: { q, scores, probs, context, merged, y } };
}
