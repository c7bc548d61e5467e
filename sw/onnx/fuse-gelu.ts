/**
 * Gelu as torch.onnx.export writes it before opset 20, x * 0.5 * (1 + Erf(x / sqrt(2))), in the
 * operand orders torch and hand-written models use: Div by sqrt(2) or Mul by 1/sqrt(2), Add 1 on
 * either side, and the 0.5 applied to x, to (1 + Erf), or to the product.
 */
import type { WorkGraph, WorkNode } from './model.js';
import { near, otherOperand, scalarOf, scalarOperand, soleProducer, soleReader } from './patterns.js';

export function fuseGelu(graph: WorkGraph): void {
  for (const erf of graph.nodes.filter((node) => node.op === 'Erf')) {
    const match = matchGelu(graph, erf);
    if (match === undefined) continue;
    const last = match.nodes[match.nodes.length - 1]!;
    const gelu: WorkNode = { name: `${last.name}_gelu`, op: 'Gelu', domain: '', inputs: [match.x], outputs: [...last.outputs], attributes: new Map() };
    graph.replace(last, [gelu]);
    graph.remove(match.nodes.slice(0, -1));
  }
}

interface GeluMatch {
  readonly x: string;
  /** The matched nodes, the one writing the result last. */
  readonly nodes: WorkNode[];
}

function matchGelu(graph: WorkGraph, erf: WorkNode): GeluMatch | undefined {
  const scaled = erf.inputs[0]!;
  const scale = graph.producer(scaled);
  if (scale === undefined || !graph.usedOnlyBy(scaled, erf)) return undefined;
  const x = scaledInput(graph, scale);
  if (x === undefined) return undefined;
  const plusOne = soleReader(graph, erf.outputs[0]!, 'Add');
  if (plusOne === undefined || !near(scalarOf(graph, otherOperand(plusOne, erf.outputs[0]!) ?? ''), 1)) return undefined;
  const product = soleReader(graph, plusOne.outputs[0]!, 'Mul');
  if (product === undefined) return undefined;
  const factor = otherOperand(product, plusOne.outputs[0]!);
  if (factor === undefined) return undefined;
  const start = [scale, erf, plusOne, product];
  if (factor === x) {
    // (x * (1 + erf)) * 0.5
    const half = soleReader(graph, product.outputs[0]!, 'Mul');
    return half && isHalf(graph, half, product.outputs[0]!) ? { x, nodes: [...start, half] } : undefined;
  }
  if (near(scalarOf(graph, factor), 0.5)) {
    // (0.5 * (1 + erf)) * x
    const times = soleReader(graph, product.outputs[0]!, 'Mul');
    return times && otherOperand(times, product.outputs[0]!) === x ? { x, nodes: [...start, times] } : undefined;
  }
  // (x * 0.5) * (1 + erf)
  const halfX = soleProducer(graph, factor, 'Mul', product);
  return halfX && isHalf(graph, halfX, x) ? { x, nodes: [halfX, ...start] } : undefined;
}

/** x when `node` is x / sqrt(2) or x * (1 / sqrt(2)). */
function scaledInput(graph: WorkGraph, node: WorkNode): string | undefined {
  if (node.op === 'Div' && near(scalarOf(graph, node.inputs[1]!), Math.SQRT2)) return node.inputs[0];
  const operand = node.op === 'Mul' ? scalarOperand(graph, node) : undefined;
  return operand && near(operand.scalar, Math.SQRT1_2) ? operand.value : undefined;
}

/** Whether `node` multiplies `value` by 0.5. */
function isHalf(graph: WorkGraph, node: WorkNode, value: string): boolean {
  const operand = scalarOperand(graph, node);
  return operand !== undefined && operand.value === value && near(operand.scalar, 0.5);
}
