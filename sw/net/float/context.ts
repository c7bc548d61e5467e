/**
 * What one float operator sees of its node: its input values, its attributes and a way to fail
 * with a message naming the node.
 */
import type { Graph, GraphNode } from '../../onnx/graph.js';
import { floatAttribute, intAttribute, intsAttribute, nodeError, stringAttribute, type GraphNodeError } from '../attributes.js';
import type { FloatValue } from './tensor.js';

export class NodeContext {
  constructor(
    readonly graph: Graph,
    readonly node: GraphNode,
    private readonly values: readonly (FloatValue | undefined)[],
  ) {}

  /** Input `index`, which the op requires. */
  input(index: number): FloatValue {
    const value = this.values[index];
    if (!value) throw this.error(`needs input ${index}`);
    return value;
  }

  /** Input `index`, or undefined when the node omits it. */
  optionalInput(index: number): FloatValue | undefined {
    return this.values[index];
  }

  int(name: string, fallback?: number): number {
    return intAttribute(this.graph, this.node, name, fallback);
  }

  ints(name: string, fallback?: readonly number[]): readonly number[] {
    return intsAttribute(this.graph, this.node, name, fallback);
  }

  float(name: string, fallback?: number): number {
    return floatAttribute(this.graph, this.node, name, fallback);
  }

  string(name: string, fallback?: string): string {
    return stringAttribute(this.graph, this.node, name, fallback);
  }

  error(message: string): GraphNodeError {
    return nodeError(this.graph, this.node, message);
  }
}

export type FloatOp = (context: NodeContext) => FloatValue[];
