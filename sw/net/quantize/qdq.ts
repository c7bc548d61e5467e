/**
 * A QDQ model (onnxruntime's quantize_static with QuantFormat.QDQ) read as a float graph plus its
 * scales: every DequantizeLinear(QuantizeLinear(x)) pair is removed and its scale becomes x's;
 * every DequantizeLinear of an integer constant becomes the float constant it denotes, an int8
 * weight keeping its scales so that quantizing it again gives back the model's own int8 values.
 * The lowering (lower.ts) then runs as for a calibrated float model. The kernels take zero point
 * 0: an activation with another zero point (onnxruntime's default, asymmetric uint8) becomes the
 * zero-point-0 type covering the same real range (symmetricType), with a note saying what it costs.
 */
import type { Graph, GraphNode, Tensor, ValueInfo } from '../../onnx/graph.js';
import { nodeError } from '../attributes.js';
import type { ActivationType, ScalePlan, WeightScales } from './plan.js';
import { ModelError } from '../model-error.js';

export interface QdqModel {
  /** The graph without QuantizeLinear and DequantizeLinear, its weights and biases as float constants. */
  readonly graph: Graph;
  /** Its notes: the activations whose zero point was not 0, and what their conversion cost. */
  readonly plan: ScalePlan;
}

interface Quantized {
  /** The float value (or constant) the QuantizeLinear reads. */
  readonly source: string;
  readonly node: GraphNode;
  /** The model's own scale (its DequantizeLinear must use it). */
  readonly scale: number;
  readonly type: ActivationType;
}

/**
 * The zero-point-0 type of an activation quantized with `scale` and `zeroPoint` to int8 (`signed`)
 * or uint8: the same real range, s * (q - z) for q in the type's range. Exact where the zero point
 * is the middle of uint8 (128: int8's grid) or the bottom of int8 (-128: uint8's); otherwise int8
 * over the larger side of the range, `coarsening` times the model's step.
 */
export function symmetricType(scale: number, zeroPoint: number, signed: boolean): ActivationType & { readonly coarsening: number } {
  const [min, max] = signed ? [-128, 127] : [0, 255];
  if (zeroPoint === 0) return { scale, signed, coarsening: 1 };
  if (zeroPoint === min) return { scale, signed: false, coarsening: 1 };
  if (!signed && zeroPoint === 128) return { scale, signed: true, coarsening: 1 };
  const steps = Math.max(zeroPoint - min, max - zeroPoint);
  return { scale: (scale * steps) / 127, signed: true, coarsening: steps / 127 };
}

export function readQdq(graph: Graph): QdqModel {
  const quantized = new Map<string, Quantized>();
  const alias = new Map<string, string>();
  const activations = new Map<string, ActivationType>();
  const weightScales = new Map<string, WeightScales>();
  const constants = new Map(graph.constants);
  const values = new Map(graph.values);
  const nodes: GraphNode[] = [];
  const notes: string[] = [];
  const renamed = (name: string): string => alias.get(name) ?? name;
  const fail = (node: GraphNode, message: string): Error => nodeError(graph, node, message);

  const parameters = (node: GraphNode): { scale: Tensor; zeroPoint?: Tensor; axis: number } => {
    const scale = constants.get(node.inputs[1] ?? '');
    const zeroPoint = node.inputs[2] ? constants.get(node.inputs[2]) : undefined;
    if (!scale || (node.inputs[2] && !zeroPoint)) throw fail(node, 'its scale and zero point must be constants');
    const axis = node.attributes.get('axis');
    return { scale, ...(zeroPoint ? { zeroPoint } : {}), axis: typeof axis === 'number' ? axis : 1 };
  };

  for (const node of graph.nodes) {
    if (node.op === 'QuantizeLinear') {
      const { scale, zeroPoint } = parameters(node);
      // Without a zero point QuantizeLinear's output is uint8.
      const type = zeroPoint?.type ?? 'uint8';
      if (type !== 'int8' && type !== 'uint8') throw fail(node, `quantizes an activation to ${type}: activations are int8 or uint8`);
      if (scale.data.length !== 1) throw fail(node, 'a per-axis activation scale is not supported (activations have one scale)');
      const source = renamed(node.inputs[0]!);
      if (constants.has(source)) throw fail(node, `quantizes the constant '${source}' in the graph: the quantizer reads weights stored as int8 initializers`);
      const zero = zeroPoint?.data[0] ?? 0;
      const { coarsening, ...converted } = symmetricType(scale.data[0]!, zero, type === 'int8');
      if (zero !== 0) {
        const cost = coarsening === 1 ? 'the same steps' : `steps ${coarsening.toFixed(2)}x the model's`;
        notes.push(`'${source}' (QuantizeLinear '${node.name}'): ${type} zero point ${zero} taken as ${converted.signed ? 'int8' : 'uint8'} zero point 0 over the same range, ${cost}`);
      }
      const entry: Quantized = { source, node, scale: scale.data[0]!, type: converted };
      quantized.set(node.outputs[0]!, entry);
      const known = activations.get(source);
      if (known && known.scale !== entry.type.scale) throw fail(node, `quantizes '${source}' with scale ${entry.type.scale}, another QuantizeLinear with ${known.scale}`);
      activations.set(source, entry.type);
      continue;
    }
    if (node.op === 'DequantizeLinear') {
      const input = node.inputs[0]!;
      const { scale, zeroPoint, axis } = parameters(node);
      const output = node.outputs[0]!;
      const fromQuantize = quantized.get(input);
      if (fromQuantize) {
        if (scale.data.length !== 1 || scale.data[0] !== fromQuantize.scale) throw fail(node, `dequantizes with another scale than QuantizeLinear '${fromQuantize.node.name}'`);
        alias.set(output, fromQuantize.source);
        continue;
      }
      const integer = constants.get(input);
      if (!integer || integer.type === 'float32') throw fail(node, `reads '${input}', which is neither an integer constant nor the output of a QuantizeLinear of an activation`);
      if (zeroPoint?.data.some((z) => z !== 0)) throw fail(node, `a weight or bias with a nonzero zero point is not supported (symmetric weights have zero point 0)`);
      const dims = integer.dims;
      const realAxis = axis < 0 ? axis + dims.length : axis;
      const stride = dims.slice(realAxis + 1).reduce((a, d) => a * d, 1);
      const scaleOf = (i: number): number => (scale.data.length === 1 ? scale.data[0]! : scale.data[Math.floor(i / stride) % dims[realAxis]!]!);
      constants.set(output, { type: 'float32', dims, data: Float32Array.from(integer.data, (q, i) => q * scaleOf(i)) });
      values.set(output, { name: output, type: 'float32', dims });
      if (integer.type === 'int8') weightScales.set(output, { scales: Float64Array.from(scale.data), axis: scale.data.length === 1 ? undefined : realAxis });
      continue;
    }
    const inputs = node.inputs.map(renamed);
    for (const name of inputs) {
      const q = quantized.get(name);
      if (q) throw fail(node, `reads the quantized '${name}' of QuantizeLinear '${q.node.name}' directly: the QOperator format is not supported (export with QuantFormat.QDQ)`);
    }
    nodes.push({ ...node, inputs });
  }
  const outputs: ValueInfo[] = graph.outputs.map((o) => values.get(renamed(o.name)) ?? o);
  const stripped: Graph = { ...graph, nodes, constants, values, outputs };
  const plan: ScalePlan = {
    notes,
    input: (value) => {
      const type = activations.get(value);
      if (!type) throw new ModelError(`${graph.source}: input '${value}' has no QuantizeLinear: its scale is unknown`);
      return type;
    },
    activation: (value) => activations.get(value),
    weightScales: (constant) => weightScales.get(constant),
  };
  return { graph: stripped, plan };
}
