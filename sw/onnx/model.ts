/**
 * The mutable graph the front end works on between decoding and the canonical Graph: any ONNX op,
 * with the values' shapes and the constants known so far. Folding adds constants, fusion rewrites
 * nodes; values keep their names through both, so a message can name what the file names.
 */
import { nodeError, modelError, type OnnxError } from './errors.js';
import type { AttributeValue, Tensor, ValueInfo } from './graph.js';

export interface WorkNode {
  name: string;
  op: string;
  /** '' for the standard ONNX domain (ai.onnx too), else e.g. 'com.microsoft'. */
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: Map<string, AttributeValue>;
}

export class WorkGraph {
  readonly constants = new Map<string, Tensor>();
  readonly values = new Map<string, ValueInfo>();
  nodes: WorkNode[] = [];
  private freshCount = 0;

  constructor(
    readonly source: string,
    /** The default domain's opset version. */
    readonly opset: number,
    readonly inputs: readonly ValueInfo[],
    /** Output names, each with the shape the file declares where it declares a static one. */
    readonly outputs: readonly { readonly name: string; readonly declared: ValueInfo | undefined }[],
  ) {}

  error(problem: string): OnnxError {
    return modelError(this.source, problem);
  }

  nodeError(node: WorkNode, problem: string): OnnxError {
    return nodeError(this.source, node, problem);
  }

  /** The shape and type of a value the graph has seen (node outputs, inputs, constants). */
  info(node: WorkNode, value: string): ValueInfo {
    const info = this.values.get(value);
    if (info === undefined) throw this.nodeError(node, `reads '${value}', which no graph input, initializer or earlier node defines`);
    return info;
  }

  producer(value: string): WorkNode | undefined {
    return this.nodes.find((node) => node.outputs.includes(value));
  }

  consumers(value: string): WorkNode[] {
    return this.nodes.filter((node) => node.inputs.includes(value));
  }

  isGraphOutput(value: string): boolean {
    return this.outputs.some((output) => output.name === value);
  }

  /** Whether `value` is read once, by one node, and is no graph output: a fusion may swallow it. */
  usedOnlyBy(value: string, node: WorkNode): boolean {
    const readers = this.consumers(value);
    return !this.isGraphOutput(value) && readers.length === 1 && readers[0] === node
      && node.inputs.filter((input) => input === value).length === 1;
  }

  /** A value name no other value has, for what fusions introduce. */
  freshName(base: string): string {
    let name: string;
    do name = `${base}_nmsparse${this.freshCount++}`;
    while (this.values.has(name) || this.constants.has(name));
    return name;
  }

  addConstant(base: string, tensor: Tensor): string {
    const name = this.freshName(base);
    this.constants.set(name, tensor);
    this.values.set(name, { name, type: tensor.type, dims: tensor.dims });
    return name;
  }

  /**
   * Removes `node`, whose output `from` carries the same values as `to`: readers of `from` read
   * `to`. When `from` is a graph output its name survives instead: `to`'s producer writes it.
   */
  bypass(node: WorkNode, from: string, to: string): void {
    this.nodes = this.nodes.filter((other) => other !== node);
    if (this.isGraphOutput(from)) {
      const producer = this.producer(to);
      if (producer === undefined || this.isGraphOutput(to)) {
        throw this.nodeError(node, `copies '${to}' (a graph input, constant or other graph output) straight to graph output '${from}'; an output must be computed by a node of its own`);
      }
      producer.outputs = producer.outputs.map((value) => (value === to ? from : value));
      this.renameReads(to, from);
    } else {
      this.renameReads(from, to);
    }
  }

  renameReads(from: string, to: string): void {
    for (const node of this.nodes) node.inputs = node.inputs.map((value) => (value === from ? to : value));
  }

  /** Replaces `old` (in place in the order) by `replacements`, which write the same outputs. */
  replace(old: WorkNode, replacements: WorkNode[]): void {
    const index = this.nodes.indexOf(old);
    this.nodes.splice(index, 1, ...replacements);
  }

  remove(nodes: readonly WorkNode[]): void {
    this.nodes = this.nodes.filter((node) => !nodes.includes(node));
  }
}

/** A value's tensor when it is constant. */
export function constantOf(graph: WorkGraph, value: string): Tensor | undefined {
  return value === '' ? undefined : graph.constants.get(value);
}

export function numberAttribute(node: WorkNode, name: string): number | undefined {
  const value = node.attributes.get(name);
  return typeof value === 'number' ? value : undefined;
}

export function intsAttribute(node: WorkNode, name: string): readonly number[] | undefined {
  const value = node.attributes.get(name);
  return Array.isArray(value) && value.every((item) => typeof item === 'number') ? (value as readonly number[]) : undefined;
}

export function stringAttribute(node: WorkNode, name: string): string | undefined {
  const value = node.attributes.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** An axis attribute or input, negative counted from the end, as 0..rank-1. */
export function normalizeAxis(graph: WorkGraph, node: WorkNode, axis: number, rank: number): number {
  const positive = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(positive) || positive < 0 || positive >= rank) {
    throw graph.nodeError(node, `axis ${axis} is out of range for a rank-${rank} input`);
  }
  return positive;
}
