/**
 * readOnnx: ONNX file bytes -> the canonical Graph of graph.ts. The steps: decode (decode.ts);
 * walk the nodes in file order, filling default attributes, folding every node whose inputs are
 * constant and inferring the shapes of the others; fuse (fuse.ts); check that only canonical
 * ops remain and that the weights they need are constant; drop what no output depends on.
 */
import { fillDefaults } from './attributes.js';
import { decodeModel } from './decode.js';
import { OnnxError } from './errors.js';
import { foldNode } from './fold.js';
import { fuse } from './fuse.js';
import type { Graph, GraphNode, Tensor, ValueInfo } from './graph.js';
import { constantOf, type WorkGraph, type WorkNode } from './model.js';
import { isCanonical, unsupportedOp } from './ops.js';
import { inferShapes } from './shapes.js';

export function readOnnx(bytes: Uint8Array, source: string): Graph {
  try {
    const graph = decodeModel(bytes, source);
    propagate(graph);
    fuse(graph);
    for (const node of graph.nodes) checkCanonical(graph, node);
    return finish(graph);
  } catch (error) {
    if (error instanceof OnnxError) throw error;
    // A file malformed in a way no check foresaw still names the file rather than crash without it.
    throw new OnnxError(`${source}: cannot be read: ${(error as Error).message}`, { cause: error });
  }
}

function propagate(graph: WorkGraph): void {
  const kept: WorkNode[] = [];
  for (const node of graph.nodes) {
    for (const output of node.outputs) {
      if (output !== '' && graph.values.has(output)) throw graph.nodeError(node, `writes '${output}', which is already defined`);
    }
    fillDefaults(graph, node, node.inputs.map((input) => (input === '' ? 0 : graph.info(node, input).dims.length)));
    const folded = foldNode(graph, node);
    if (folded !== undefined) {
      folded.forEach((tensor, i) => setConstant(graph, node.outputs[i]!, tensor));
      continue;
    }
    for (const info of inferShapes(graph, node)) graph.values.set(info.name, info);
    kept.push(node);
  }
  graph.nodes = kept;
}

function setConstant(graph: WorkGraph, name: string, tensor: Tensor): void {
  graph.constants.set(name, tensor);
  graph.values.set(name, { name, type: tensor.type, dims: tensor.dims });
}

/** The input index of the weights each op needs constant (for QDQ models: a DequantizeLinear of a constant). */
const WEIGHT_INPUTS: Record<string, readonly number[]> = {
  Conv: [1, 2], ConvInteger: [1], QLinearConv: [3, 8], LayerNormalization: [1, 2],
};

function checkCanonical(graph: WorkGraph, node: WorkNode): void {
  if (!isCanonical(node.op)) throw unsupportedOp(graph, node);
  for (const index of WEIGHT_INPUTS[node.op] ?? []) {
    const name = node.inputs[index] ?? '';
    if (name === '' || constantOf(graph, name) !== undefined) continue;
    const producer = graph.producer(name);
    const dequantized = producer?.op === 'DequantizeLinear' && constantOf(graph, producer.inputs[0]!) !== undefined;
    if (!dequantized) {
      throw graph.nodeError(node, `input ${index} ('${name}') is computed at run time; only constant weights (initializers) are supported`);
    }
  }
}

/** The canonical Graph of what the outputs depend on. */
function finish(graph: WorkGraph): Graph {
  const needed = new Set(graph.outputs.map((output) => output.name));
  const live: WorkNode[] = [];
  for (const node of [...graph.nodes].reverse()) {
    if (!node.outputs.some((output) => needed.has(output))) continue;
    live.unshift(node);
    for (const input of node.inputs) needed.add(input);
  }
  const constants = new Map([...graph.constants].filter(([name]) => needed.has(name)));
  const outputs = graph.outputs.map((output) => outputInfo(graph, output.name, output.declared));
  const values = new Map<string, ValueInfo>();
  for (const info of [...graph.inputs, ...[...constants.keys()].map((name) => graph.values.get(name)!)]) values.set(info.name, info);
  for (const node of live) for (const output of node.outputs) values.set(output, graph.values.get(output)!);
  const nodes: GraphNode[] = live.map((node) => ({
    name: node.name, op: node.op as GraphNode['op'], inputs: node.inputs, outputs: node.outputs, attributes: node.attributes,
  }));
  return { source: graph.source, inputs: graph.inputs, outputs, constants, nodes, values };
}

function outputInfo(graph: WorkGraph, name: string, declared: ValueInfo | undefined): ValueInfo {
  const info = graph.values.get(name);
  if (info === undefined) throw graph.error(`graph output '${name}' is not computed by any node`);
  if (graph.constants.has(name)) throw graph.error(`graph output '${name}' is a constant: it does not depend on the input`);
  if (declared !== undefined && (declared.type !== info.type || declared.dims.join(',') !== info.dims.join(','))) {
    throw graph.error(`graph output '${name}' is declared ${declared.type} [${declared.dims.join(',')}] but computes ${info.type} [${info.dims.join(',')}]`);
  }
  return info;
}
