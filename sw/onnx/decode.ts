/**
 * ONNX file bytes -> WorkGraph: the protobuf decoded by onnx-proto, initializers read as
 * constants, node attributes as plain values, the graph input's shape resolved to batch 1.
 */
import { modelError } from './errors.js';
import type { AttributeValue, ValueInfo } from './graph.js';
import { WorkGraph, type WorkNode } from './model.js';
import { onnx, safeInteger, type OnnxTypes } from './proto.js';
import { dataTypeName, elementTypeOf, tensorFromProto } from './tensor.js';

/** The opsets whose operator semantics the front end implements (torch exports 13 to 17 today). */
const OPSETS = { min: 11, max: 21 } as const;

const STANDARD_DOMAINS = new Set(['', 'ai.onnx']);
const utf8 = new TextDecoder();

export function decodeModel(bytes: Uint8Array, source: string): WorkGraph {
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (error) {
    throw modelError(source, `is not a readable ONNX file (protobuf decoding failed: ${(error as Error).message}); is it truncated or not an .onnx model?`);
  }
  const proto = model.graph;
  if (proto === null || proto === undefined || (proto.node ?? []).length === 0) {
    throw modelError(source, 'holds no graph with nodes; is it an ONNX model?');
  }
  const opset = defaultOpset(model, source);
  if ((proto.sparseInitializer ?? []).length > 0) throw modelError(source, 'has sparse initializers, which are not supported');

  const initializers = new Set((proto.initializer ?? []).map((tensor) => tensor.name ?? ''));
  const inputs = (proto.input ?? []).filter((input) => !initializers.has(input.name ?? ''))
    .map((input) => graphInput(input, source));
  if (inputs.length === 0) throw modelError(source, 'has no graph input that is not an initializer');
  const outputs = (proto.output ?? []).map((output) => ({ name: output.name ?? '', declared: declaredOutput(output) }));
  const graph = new WorkGraph(source, opset, inputs, outputs);

  for (const input of inputs) graph.values.set(input.name, input);
  for (const tensorProto of proto.initializer ?? []) {
    const name = tensorProto.name ?? '';
    const tensor = tensorFromProto(tensorProto, (problem) => { throw modelError(source, `initializer '${name}': ${problem}`); });
    graph.constants.set(name, tensor);
    graph.values.set(name, { name, type: tensor.type, dims: tensor.dims });
  }
  graph.nodes = (proto.node ?? []).map((node, index) => workNode(node, index, source));
  return graph;
}

function defaultOpset(model: OnnxTypes.ModelProto, source: string): number {
  const entry = (model.opsetImport ?? []).find((item) => STANDARD_DOMAINS.has(item.domain ?? ''));
  const version = entry?.version === undefined || entry.version === null ? undefined : safeInteger(entry.version);
  if (version === undefined) throw modelError(source, 'imports no version of the standard ONNX opset');
  if (version < OPSETS.min || version > OPSETS.max) {
    throw modelError(source, `uses opset ${version}; supported: ${OPSETS.min} to ${OPSETS.max} (re-export with torch.onnx.export(..., opset_version=17))`);
  }
  return version;
}

/** The graph input at batch 1: the first dimension may be symbolic or 1, every other one must be a number. */
function graphInput(input: OnnxTypes.IValueInfoProto, source: string): ValueInfo {
  const name = input.name ?? '';
  const tensorType = input.type?.tensorType;
  if (!tensorType) throw modelError(source, `graph input '${name}' is not a tensor`);
  const type = elementTypeOf(tensorType.elemType ?? 0);
  if (type === undefined) throw modelError(source, `graph input '${name}' has element type ${dataTypeName(tensorType.elemType ?? 0)}, which is not supported`);
  if (!tensorType.shape) throw modelError(source, `graph input '${name}' declares no shape; export it with a fixed input size`);
  const dims = (tensorType.shape.dim ?? []).map((dim, index) => {
    const value = dim.dimValue === undefined || dim.dimValue === null ? undefined : safeInteger(dim.dimValue);
    const symbol = dim.dimParam ? `'${dim.dimParam}'` : 'unnamed';
    if (index === 0) {
      if (value === undefined || value === 1) return 1;
      throw modelError(source, `graph input '${name}' has batch size ${value}; only batch 1 is supported (export with a batch-1 example or a dynamic batch axis)`);
    }
    if (value === undefined || value <= 0) {
      throw modelError(source, `graph input '${name}' dimension ${index} is symbolic (${symbol}); only the batch dimension may be: export with a fixed size for it`);
    }
    return value;
  });
  return { name, type, dims };
}

/** The output's declared type and shape, when it is static apart from a symbolic batch. */
function declaredOutput(output: OnnxTypes.IValueInfoProto): ValueInfo | undefined {
  const tensorType = output.type?.tensorType;
  const type = elementTypeOf(tensorType?.elemType ?? 0);
  if (!tensorType?.shape || type === undefined) return undefined;
  const dims: number[] = [];
  for (const [index, dim] of (tensorType.shape.dim ?? []).entries()) {
    const value = dim.dimValue === undefined || dim.dimValue === null ? undefined : safeInteger(dim.dimValue);
    if (value === undefined && index !== 0) return undefined;
    dims.push(value ?? 1);
  }
  return { name: output.name ?? '', type, dims };
}

function workNode(node: OnnxTypes.INodeProto, index: number, source: string): WorkNode {
  const op = node.opType ?? '';
  const name = node.name ? node.name : `${op}_${index}`;
  const attributes = new Map<string, AttributeValue>();
  for (const attribute of node.attribute ?? []) {
    attributes.set(attribute.name ?? '', attributeValue(attribute, (problem) => {
      throw modelError(source, `node '${name}' (${op}): attribute ${attribute.name ?? ''} ${problem}`);
    }));
  }
  const domain = node.domain ?? '';
  return {
    name, op, domain: STANDARD_DOMAINS.has(domain) ? '' : domain,
    inputs: [...(node.input ?? [])], outputs: [...(node.output ?? [])], attributes,
  };
}

const AttributeType = onnx.AttributeProto.AttributeType;

function attributeValue(attribute: OnnxTypes.IAttributeProto, problem: (what: string) => never): AttributeValue {
  const integer = (value: Parameters<typeof safeInteger>[0]): number => {
    const exact = safeInteger(value);
    if (exact === undefined) problem(`holds the integer ${value.toString()}, beyond 2^53`);
    return exact;
  };
  switch (attribute.type) {
    case AttributeType.FLOAT: return attribute.f ?? 0;
    case AttributeType.INT: return integer(attribute.i ?? 0);
    case AttributeType.STRING: return utf8.decode(attribute.s ?? new Uint8Array());
    case AttributeType.TENSOR: return tensorFromProto(attribute.t ?? {}, problem);
    case AttributeType.FLOATS: return [...(attribute.floats ?? [])];
    case AttributeType.INTS: return (attribute.ints ?? []).map(integer);
    case AttributeType.STRINGS: return (attribute.strings ?? []).map((bytes) => utf8.decode(bytes));
    case AttributeType.GRAPH: case AttributeType.GRAPHS:
      return problem('is a subgraph (If, Loop, Scan): control flow is not supported; export with tracing, not scripting');
    default: return problem(`has attribute type ${AttributeType[attribute.type ?? 0] ?? attribute.type}, which is not supported`);
  }
}
