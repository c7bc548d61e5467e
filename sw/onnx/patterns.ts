/** Small questions the fusions ask about the graph around a node. */
import type { Tensor } from './graph.js';
import { constantOf, type WorkGraph, type WorkNode } from './model.js';

/** The value of a constant with a single element (any rank), else undefined. */
export function scalarOf(graph: WorkGraph, value: string): number | undefined {
  const tensor = constantOf(graph, value);
  return tensor !== undefined && tensor.data.length === 1 ? tensor.data[0] : undefined;
}

export function near(value: number | undefined, target: number, tolerance = 1e-4): boolean {
  return value !== undefined && Math.abs(value - target) <= tolerance * Math.max(1, Math.abs(target));
}

/** The node that reads `value` when it alone does, once, is of op `op`, and `value` is no graph output. */
export function soleReader(graph: WorkGraph, value: string, op: string): WorkNode | undefined {
  const readers = graph.consumers(value);
  const reader = readers[0];
  return readers.length === 1 && reader!.op === op && graph.usedOnlyBy(value, reader!) ? reader : undefined;
}

/** The producer of `value` when it is of op `op` and `value` is read by `reader` alone. */
export function soleProducer(graph: WorkGraph, value: string, op: string, reader: WorkNode): WorkNode | undefined {
  const producer = graph.producer(value);
  return producer?.op === op && graph.usedOnlyBy(value, reader) ? producer : undefined;
}

/** The operand of a binary node other than `value` (undefined when both are `value`). */
export function otherOperand(node: WorkNode, value: string): string | undefined {
  const [a, b] = node.inputs;
  if (a === value && b !== value) return b;
  if (b === value && a !== value) return a;
  return undefined;
}

/** A binary node's constant operand with a single value, and its other operand. */
export function scalarOperand(graph: WorkGraph, node: WorkNode): { value: string; scalar: number } | undefined {
  const [a, b] = node.inputs as [string, string];
  const sb = scalarOf(graph, b);
  if (sb !== undefined) return { value: a, scalar: sb };
  const sa = scalarOf(graph, a);
  return sa !== undefined ? { value: b, scalar: sa } : undefined;
}

/** A float32 constant computed elementwise from another. */
export function mapConstant(tensor: Tensor, f: (value: number, index: number) => number): Tensor {
  return { type: 'float32', dims: tensor.dims, data: Float32Array.from(tensor.data, f) };
}
