/**
 * OnnxBuilder: models written in TypeScript the way torch.onnx.export writes them (named graph
 * inputs with a symbolic batch, weights as raw_data initializers, shape constants as Constant
 * nodes, one opset import), for the tests and the model zoo.
 */
import type { AttributeValue, ElementType, Tensor } from './graph.js';
import { MICROSOFT_OPS } from './ops.js';
import { onnx, type OnnxTypes } from './proto.js';
import { tensorToProto } from './tensor.js';
import { attributeProto, encodeModel, modelProto, valueInfoProto } from './write.js';

/** A dimension of a graph input or output: a number, or a name for a symbolic one. */
export type Dim = number | string;

export interface NodeOptions {
  /** The node's name; `<op>_<n>` by default. */
  readonly name?: string;
  /** How many outputs the node writes (1 by default). */
  readonly outputs?: number;
}

export class OnnxBuilder {
  private readonly nodes: OnnxTypes.NodeProto[] = [];
  private readonly initializers: OnnxTypes.TensorProto[] = [];
  private readonly inputs: OnnxTypes.ValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.ValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private readonly opCounts = new Map<string, number>();

  constructor(readonly opset = 17, readonly name = 'main_graph') {}

  input(name: string, type: ElementType, dims: readonly Dim[]): string {
    this.claim(name);
    this.inputs.push(valueInfoProto(name, type, dims));
    return name;
  }

  /** Declares `value` a graph output, with its shape when `dims` is given. */
  output(value: string, type: ElementType = 'float32', dims?: readonly Dim[]): void {
    this.outputs.push(valueInfoProto(value, type, dims));
  }

  initializer(name: string, tensor: Tensor): string {
    this.claim(name);
    this.initializers.push(tensorToProto(name, tensor));
    return name;
  }

  /** A Constant node holding `tensor`, as torch writes the constants of shape computations. */
  constant(tensor: Tensor, options: NodeOptions = {}): string {
    return this.node('Constant', [], { value: tensor }, options);
  }

  /** Adds a node and returns its first output; its outputs are `<name>_output_<i>`. */
  node(op: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, options: NodeOptions = {}): string {
    return this.nodeOutputs(op, inputs, attributes, options)[0]!;
  }

  nodeOutputs(op: string, inputs: readonly string[], attributes: Record<string, AttributeValue> = {}, options: NodeOptions = {}): string[] {
    const count = this.opCounts.get(op) ?? 0;
    this.opCounts.set(op, count + 1);
    const name = options.name ?? `${op}_${count}`;
    const outputs = Array.from({ length: options.outputs ?? 1 }, (_, i) => this.claim(`${name}_output_${i}`));
    this.nodes.push(onnx.NodeProto.create({
      name, opType: op, domain: MICROSOFT_OPS.has(op) ? 'com.microsoft' : '', input: [...inputs], output: outputs,
      attribute: Object.entries(attributes).map(([key, value]) => attributeProto(key, value)),
    }));
    return outputs;
  }

  /** The model as a message, for tests that alter it before encoding. */
  model(): OnnxTypes.ModelProto {
    return modelProto({ name: this.name, opset: this.opset, nodes: this.nodes, initializers: this.initializers, inputs: this.inputs, outputs: this.outputs });
  }

  toBytes(): Uint8Array {
    return encodeModel(this.model());
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`OnnxBuilder: the name '${name}' is already used`);
    this.names.add(name);
    return name;
  }
}
