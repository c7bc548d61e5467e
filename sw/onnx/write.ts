/**
 * Encoding ONNX with onnx-proto: attributes from plain values, and writeOnnx, which writes a
 * canonical Graph back as a runnable ONNX model (opset 20, where Gelu is an ONNX op), so a
 * folded and fused graph can be run by onnxruntime beside the model it came from.
 */
import type { AttributeValue, Graph, Tensor, ValueInfo } from './graph.js';
import { MICROSOFT_OPS } from './ops.js';
import { onnx, type OnnxTypes } from './proto.js';
import { dataTypeCode, makeTensor, tensorToProto } from './tensor.js';

/**
 * Attributes ONNX types as floats. A plain number names no type, so an integer-valued number
 * is written as an int unless its name is here (Gemm's alpha = 1 must still be a float).
 */
const FLOAT_ATTRIBUTES = new Set(['alpha', 'beta', 'epsilon', 'momentum', 'min', 'max', 'value_float', 'value_floats', 'ratio', 'gamma', 'lambd']);

const AttributeType = onnx.AttributeProto.AttributeType;
const utf8 = new TextEncoder();

function isTensor(value: AttributeValue): value is Tensor {
  return typeof value === 'object' && !Array.isArray(value) && 'dims' in value;
}

export function attributeProto(name: string, value: AttributeValue): OnnxTypes.AttributeProto {
  const float = FLOAT_ATTRIBUTES.has(name);
  if (typeof value === 'number') {
    return float || !Number.isInteger(value)
      ? onnx.AttributeProto.create({ name, type: AttributeType.FLOAT, f: value })
      : onnx.AttributeProto.create({ name, type: AttributeType.INT, i: value });
  }
  if (typeof value === 'string') return onnx.AttributeProto.create({ name, type: AttributeType.STRING, s: utf8.encode(value) });
  if (isTensor(value)) return onnx.AttributeProto.create({ name, type: AttributeType.TENSOR, t: tensorToProto('', value) });
  if (value.every((item): item is string => typeof item === 'string')) {
    return onnx.AttributeProto.create({ name, type: AttributeType.STRINGS, strings: value.map((item) => utf8.encode(item)) });
  }
  const numbers = value as readonly number[];
  return float || numbers.some((item) => !Number.isInteger(item))
    ? onnx.AttributeProto.create({ name, type: AttributeType.FLOATS, floats: [...numbers] })
    : onnx.AttributeProto.create({ name, type: AttributeType.INTS, ints: [...numbers] });
}

/** A graph input or output; a string dim is symbolic (dim_param). */
export function valueInfoProto(name: string, type: ValueInfo['type'], dims: readonly (number | string)[] | undefined): OnnxTypes.ValueInfoProto {
  const shape = dims === undefined ? undefined
    : { dim: dims.map((dim) => (typeof dim === 'number' ? { dimValue: dim } : { dimParam: dim })) };
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: dataTypeCode(type), ...(shape ? { shape } : {}) } } });
}

export interface ModelParts {
  readonly name: string;
  readonly opset: number;
  readonly nodes: OnnxTypes.INodeProto[];
  readonly initializers: OnnxTypes.ITensorProto[];
  readonly inputs: OnnxTypes.IValueInfoProto[];
  readonly outputs: OnnxTypes.IValueInfoProto[];
}

/** The ModelProto torch.onnx.export would write around these parts (IR version 8). */
export function modelProto(parts: ModelParts): OnnxTypes.ModelProto {
  const usesMicrosoft = parts.nodes.some((node) => node.domain === 'com.microsoft');
  return onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'nmsparse',
    opsetImport: [{ domain: '', version: parts.opset }, ...(usesMicrosoft ? [{ domain: 'com.microsoft', version: 1 }] : [])],
    graph: {
      name: parts.name, node: parts.nodes, initializer: parts.initializers, input: parts.inputs, output: parts.outputs,
    },
  });
}

export function encodeModel(model: OnnxTypes.ModelProto): Uint8Array {
  const bytes = onnx.ModelProto.encode(model).finish();
  // Under Node protobufjs returns a Buffer, whose slice() is a view; callers get plain Uint8Array semantics.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The opset writeOnnx writes: the first with Gelu as an ONNX op. */
export const CANONICAL_OPSET = 20;

/** A canonical Graph as ONNX bytes; Reshape's shape and Clip's bounds go back to being inputs. */
export function writeOnnx(graph: Graph): Uint8Array {
  const initializers = [...graph.constants].map(([name, tensor]) => tensorToProto(name, tensor));
  const nodes = graph.nodes.map((node) => {
    const attributes = new Map(node.attributes);
    const inputs = [...node.inputs];
    const moveToInput = (attribute: string, tensor: Tensor): void => {
      const name = `${node.name}_${attribute}`;
      initializers.push(tensorToProto(name, tensor));
      inputs.push(name);
      attributes.delete(attribute);
    };
    if (node.op === 'Reshape') {
      const shape = attributes.get('shape') as readonly number[];
      moveToInput('shape', makeTensor('int64', [shape.length], shape));
    }
    if (node.op === 'Clip') {
      for (const bound of ['min', 'max']) moveToInput(bound, makeTensor('float32', [], [attributes.get(bound) as number]));
    }
    return onnx.NodeProto.create({
      name: node.name, opType: node.op, domain: MICROSOFT_OPS.has(node.op) ? 'com.microsoft' : '',
      input: inputs, output: [...node.outputs],
      attribute: [...attributes].map(([name, value]) => attributeProto(name, value)),
    });
  });
  return encodeModel(modelProto({
    name: graph.source, opset: CANONICAL_OPSET, nodes, initializers,
    inputs: graph.inputs.map((input) => valueInfoProto(input.name, input.type, input.dims)),
    outputs: graph.outputs.map((output) => valueInfoProto(output.name, output.type, output.dims)),
  }));
}
