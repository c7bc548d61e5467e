/**
 * N:M sparsity of a layer's weights along the reduction axis, in im2col order (the order the sparse
 * kernels compress, docs/sparse-format.md): which patterns weights already satisfy (a model pruned
 * elsewhere), and which layers a default pruning leaves dense.
 */
import { patterns, type SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Graph } from '../../onnx/graph.js';

/** Whether every block of `pattern.m` consecutive weights of every channel (rows of `k`) holds at most `pattern.n` nonzeros. */
export function detectNM(weights: ArrayLike<number>, k: number, pattern: SparsityPattern): boolean {
  if (k < 1 || weights.length % k !== 0) throw new RangeError(`${weights.length} weights are no whole number of channels of ${k}`);
  for (let row = 0; row < weights.length; row += k) {
    for (let start = 0; start < k; start += pattern.m) {
      let nonZeros = 0;
      for (let j = start; j < Math.min(start + pattern.m, k); j++) if (weights[row + j] !== 0) nonZeros++;
      if (nonZeros > pattern.n) return false;
    }
  }
  return true;
}

/** Every supported N:M pattern the weights satisfy, sparsest first. */
export function satisfiedPatterns(weights: ArrayLike<number>, k: number): SparsityPattern[] {
  return patterns.filter((p) => detectNM(weights, k, p)).sort((a, b) => a.n / a.m - b.n / b.m || a.m - b.m);
}

/** Whether a graph node is a multiply-accumulate layer with constant weights (what the quantizer lowers to a LayerNode). */
function macLayer(graph: Graph, op: string, inputs: readonly string[]): boolean {
  if (op === 'Conv') return true;
  return (op === 'Gemm' || op === 'MatMul') && graph.constants.has(inputs[1] ?? '');
}

/**
 * The usual choice of layers to prune: every multiply-accumulate layer but the first and the last
 * (the input layer has few weights and sees the raw signal; the classifier decides the result) and
 * the depthwise convolutions (their kernels are dense only).
 */
export function defaultPrunable(graph: Graph): (layer: string) => boolean {
  const layers = graph.nodes.filter((node) => macLayer(graph, node.op, node.inputs));
  const depthwise = (name: string): boolean => {
    const node = layers.find((l) => l.name === name);
    const group = node?.attributes.get('group');
    return node?.op === 'Conv' && typeof group === 'number' && group > 1;
  };
  const prunable = new Set(layers.slice(1, -1).map((node) => node.name).filter((name) => !depthwise(name)));
  return (layer) => prunable.has(layer);
}
