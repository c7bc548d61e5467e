// A grouped convolution (ResNeXt's, not depthwise) becomes one layer per group reading and writing
// channel slices: its integer network stays close to the float graph and runs bit-exact on the
// cluster; groups that do not divide the channels are refused naming the node.
import { describe, expect, it } from 'vitest';
import { OnnxBuilder } from '../../sw/onnx/builder.js';
import { normalTensor } from '../../sw/onnx/zoo/weights.js';
import { evaluateFloat } from '../../sw/net/float-eval.js';
import { runGolden } from '../../sw/net/golden.js';
import { compileModel, DEFAULT_MEMORY } from '../../sw/net/pipeline.js';
import { dequantizeValue, quantizeInput, randomCalibration } from '../../sw/net/quantize/index.js';
import { runNetwork } from '../../sw/net/run.js';
import { Random } from '../../util/random.js';

function groupedModel(groups: number, inC: number, outC: number): Uint8Array {
  const b = new OnnxBuilder(17);
  const random = new Random(4);
  const x = b.input('x', 'float32', [1, inC, 8, 8]);
  const conv = b.node('Conv', [x, b.initializer('w', normalTensor(random, [outC, inC / groups, 3, 3], 0.3)), b.initializer('b', normalTensor(random, [outC], 0.1))], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: groups }, { name: 'grouped' });
  const relu = b.node('Relu', [conv]);
  const out = b.node('Conv', [relu, b.initializer('w2', normalTensor(random, [8, outC, 1, 1], 0.3))], { kernel_shape: [1, 1] }, { name: 'mix' });
  b.output(out, 'float32', [1, 8, 8, 8]);
  return b.toBytes();
}

describe('grouped convolutions', () => {
  it('lower to one layer per group on channel slices, close to float and bit-exact on the cluster', () => {
    const model = compileModel(groupedModel(4, 16, 32), 'grouped.onnx', { nm: { n: 1, m: 4 }, prunable: () => false, calibration: { random: 4, seed: 1 }, cores: 8, memory: DEFAULT_MEMORY, keepTensors: true });
    const layers = model.network.nodes.filter((n) => n.name.startsWith('grouped'));
    expect(layers.map((n) => n.name)).toEqual([0, 1, 2, 3].map((g) => `grouped#group${g}`));
    const run = runNetwork(model.compiled);
    const golden = runGolden(model.network, model.input);
    for (const [name, bytes] of golden) expect(run.readTensor(name), name).toEqual(bytes);
    const x = randomCalibration(model.graph, 1, 9)[0]!;
    const output = model.graph.outputs[0]!.name;
    const float = evaluateFloat(model.graph, [x]).get(output)!.data;
    const int8 = dequantizeValue(model.network, output, runGolden(model.network, quantizeInput(model.network, x)));
    const scale = model.network.tensors.get(model.network.outputs[0]!)!.scale;
    const worst = Math.max(...Array.from(float, (f, i) => Math.abs(f - int8[i]!)));
    expect(worst / scale).toBeLessThan(4);
  });

  it('refuses groups that do not divide the channels, naming the node', () => {
    const b = new OnnxBuilder(17);
    const x = b.input('x', 'float32', [1, 6, 4, 4]);
    b.output(b.node('Conv', [x, b.initializer('w', normalTensor(new Random(1), [4, 2, 3, 3], 0.3))], { kernel_shape: [3, 3], group: 3 }, { name: 'odd' }), 'float32', [1, 4, 2, 2]);
    expect(() => compileModel(b.toBytes(), 'odd.onnx', { calibration: { random: 1, seed: 1 }, cores: 8, memory: DEFAULT_MEMORY })).toThrow(/odd\.onnx: node 'odd'/);
  });
});
