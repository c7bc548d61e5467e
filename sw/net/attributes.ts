/**
 * Typed reads of a canonical graph node's attributes and constant inputs, with errors that name
 * the node (the front end fills defaults in, so a missing attribute the op needs is an error of
 * the graph, not a default to guess here).
 */
import type { AttributeValue, Graph, GraphNode, Tensor } from '../onnx/graph.js';

/** An error about one node of a graph: the message starts with the model and the node's name and op. */
export class GraphNodeError extends Error {
  override name = 'GraphNodeError';
  constructor(
    readonly source: string,
    readonly node: string,
    message: string,
  ) {
    super(`${source}: node '${node}': ${message}`);
  }
}

export function nodeError(graph: Graph, node: GraphNode, message: string): GraphNodeError {
  return new GraphNodeError(graph.source, node.name, `${node.op}: ${message}`);
}

export function intAttribute(graph: Graph, node: GraphNode, name: string, fallback?: number): number {
  const value = node.attributes.get(name);
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw nodeError(graph, node, `attribute '${name}' must be an integer, not ${describe(value)}`);
  return value;
}

export function floatAttribute(graph: Graph, node: GraphNode, name: string, fallback?: number): number {
  const value = node.attributes.get(name);
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number') throw nodeError(graph, node, `attribute '${name}' must be a number, not ${describe(value)}`);
  return value;
}

export function intsAttribute(graph: Graph, node: GraphNode, name: string, fallback?: readonly number[]): readonly number[] {
  const value = node.attributes.get(name);
  if (value === undefined && fallback !== undefined) return fallback;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    throw nodeError(graph, node, `attribute '${name}' must be a list of integers, not ${describe(value)}`);
  }
  return value as readonly number[];
}

export function stringAttribute(graph: Graph, node: GraphNode, name: string, fallback?: string): string {
  const value = node.attributes.get(name);
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string') throw nodeError(graph, node, `attribute '${name}' must be a string, not ${describe(value)}`);
  return value;
}

function describe(value: AttributeValue | undefined): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'object' && 'dims' in value) return `a tensor`;
  return JSON.stringify(value);
}

/** The constant named by the node's input `index`, or undefined when that input is a computed value (or omitted). */
export function constantInput(graph: Graph, node: GraphNode, index: number): Tensor | undefined {
  const name = node.inputs[index];
  return name ? graph.constants.get(name) : undefined;
}
