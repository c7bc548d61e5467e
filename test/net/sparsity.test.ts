// Pruning in the quantizer: N:M along the reduction axis in im2col order before quantization, the
// default choice of layers, and the detection of weights a model already has pruned.
import { describe, expect, it } from 'vitest';
import { parsePattern } from '../../sw/sparse/pattern.js';
import { pruneNM } from '../../sw/sparse/prune.js';
import type { LayerNode } from '../../sw/net/graph.js';
import { defaultPrunable, detectNM, quantizeGraph, randomCalibration } from '../../sw/net/quantize/index.js';
import { convSource, gather } from '../../sw/net/quantize/weights.js';
import { Random } from '../../util/random.js';
import { GraphBuilder, uniform } from './support.js';

const [p14, p24] = [parsePattern('1:4'), parsePattern('2:4')];

/** conv 3x3 -> depthwise 3x3 -> pointwise -> global pool -> flatten -> fc, weights uniform. */
function chain(pointwiseWeights?: ArrayLike<number>) {
  const random = new Random(8);
  const b = new GraphBuilder();
  const conv = b.node('Relu', [b.node('Conv', [b.input('x', [1, 3, 5, 5]), b.constant('w1', [8, 3, 3, 3], uniform(random, 216, 0.5))], { pads: [1, 1, 1, 1] }, 'conv')], {}, 'r1');
  const dw = b.node('Relu', [b.node('Conv', [conv, b.constant('w2', [8, 1, 3, 3], uniform(random, 72, 0.5))], { pads: [1, 1, 1, 1], group: 8 }, 'dw')], {}, 'r2');
  const pw = b.node('Conv', [dw, b.constant('w3', [8, 8, 1, 1], pointwiseWeights ?? uniform(random, 64, 0.5))], {}, 'pw');
  const gap = b.node('Flatten', [b.node('GlobalAveragePool', [pw], {}, 'gap')], { axis: 1 }, 'flatten');
  const graph = b.output(b.node('Gemm', [gap, b.constant('w4', [4, 8], uniform(random, 32, 0.5))], { transB: 1 }, 'fc')).build();
  return graph;
}

const layer = (nodes: readonly { op: string; name: string }[], name: string): LayerNode => nodes.find((n) => n.name === name) as LayerNode;

describe('pruning', () => {
  it('defaultPrunable leaves the first and last layers and depthwise convolutions dense', () => {
    const prunable = defaultPrunable(chain());
    expect(['conv', 'dw', 'pw', 'fc'].filter(prunable)).toEqual(['pw']);
  });

  it('prunes the float weights in im2col order before quantizing, and reports it', () => {
    const random = new Random(1);
    const b = new GraphBuilder();
    const weights = uniform(random, 6 * 4 * 3 * 3, 1);
    const graph = b.output(b.node('Conv', [b.input('x', [1, 4, 5, 5]), b.constant('w', [6, 4, 3, 3], weights)], {}, 'conv')).build();
    const network = quantizeGraph(graph, randomCalibration(graph, 2, 1), { prune: { pattern: p14, layers: () => true } });
    const node = layer(network.nodes, 'conv');
    const k = 36;
    expect(detectNM(node.weights, k, p14)).toBe(true);
    // The surviving positions are those of the float weights pruned in im2col order (never in OIHW order).
    const expected = pruneNM({ channels: 6, k, data: gather(weights, convSource([6, 4, 3, 3])) }, p14).data;
    expect(Array.from(node.weights, (w) => w !== 0)).toEqual(Array.from(expected, (w) => w !== 0));
    expect(detectNM(pruneNM({ channels: 6, k, data: weights }, p14).data, k, p14)).toBe(true);
    expect(detectNM(gather(pruneNM({ channels: 6, k, data: weights }, p14).data, convSource([6, 4, 3, 3])), k, p14)).toBe(false);
    expect(network.layers[0]).toMatchObject({ name: 'conv', kind: 'conv', k, pruned: p14, modelPatterns: [] });
  });

  it('a depthwise layer chosen for pruning is an error naming it', () => {
    const graph = chain();
    expect(() => quantizeGraph(graph, randomCalibration(graph, 1, 1), { prune: { pattern: p24, layers: (name) => name === 'dw' } })).toThrow(
      "test.onnx: node 'dw': Conv: a depthwise convolution cannot be pruned to 2:4: its kernels are dense only",
    );
  });

  it('detectNM finds weights a model pruned elsewhere, per layer', () => {
    // Two of every four pointwise weights (its im2col order is OIHW's) are zero: 2:4, not 1:4, not 2:8.
    const weights = Array.from({ length: 64 }, (_, i) => (i % 4 === 1 || i % 4 === 2 ? 0 : 0.1 + (i % 7) / 10));
    const graph = chain(weights);
    const reports = quantizeGraph(graph, randomCalibration(graph, 1, 1)).layers;
    expect(reports.find((r) => r.name === 'pw')!.modelPatterns).toEqual([p24]);
    expect(reports.find((r) => r.name === 'conv')!.modelPatterns).toEqual([]);
    expect(detectNM([1, 0, 0, 0, 0, 2, 0, 0], 8, p14)).toBe(true);
    expect(detectNM([1, 1, 0, 0], 4, p14)).toBe(false);
    // A tail block shorter than M counts like any block.
    expect(detectNM([1, 0, 0, 0, 1, 1], 6, p14)).toBe(false);
  });
});
