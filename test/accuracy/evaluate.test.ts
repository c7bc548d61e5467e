// The accuracy evaluation on models built in TypeScript: the golden path's classes against the
// int8 logits read directly, the cluster's outputs equal to the golden network's byte for byte
// (so its classes are the same), and a nearest-class-mean classifier as accurate in int8 as in
// float (which it could not be were images and labels read out of step).
import { describe, expect, it } from 'vitest';
import { imageInput, readFashionMnist } from '../../sw/datasets/fashion-mnist.js';
import { calibrationImages, compileOptions, correctCount, evenSubset, goldenPredictions, issAgreement } from '../../sw/net/accuracy/evaluate.js';
import type { AccuracyModel } from '../../sw/net/accuracy/models.js';
import { evaluateFloat } from '../../sw/net/float-eval.js';
import { runGolden } from '../../sw/net/golden.js';
import { type CompiledModel, compileModel, quantizeModel } from '../../sw/net/pipeline.js';
import { quantizeInput } from '../../sw/net/quantize/index.js';
import { datasetMissing } from './dataset.js';
import { classMeanOnnx, tinyResNetOnnx } from './models.js';

const model = (nm: string): AccuracyModel => ({ model: 'tiny', nm, file: 'tiny.onnx', sparsity: 'pruned' });

describe('the images checked on the cluster', () => {
  it('are spread evenly over the set, the same on every call', () => {
    expect(evenSubset(10_000, 4)).toEqual([0, 2500, 5000, 7500]);
    expect(evenSubset(10, 10)).toEqual([...Array(10).keys()]);
    expect(evenSubset(10_000, 0)).toEqual([]);
    expect(() => evenSubset(10, 11)).toThrow(/a subset of 11 images of 10/);
  });
});

describe.skipIf(datasetMissing())('accuracy of an integer network', () => {
  const test = readFashionMnist('test');
  const train = readFashionMnist('train');
  const calibration = calibrationImages(train);
  const bytes = tinyResNetOnnx(1);
  const compiled = new Map<string, CompiledModel>();
  /** The tiny ResNet compiled once per sparsity, for all the tests. */
  const tiny = (nm: 'dense' | '1:8'): CompiledModel => {
    if (!compiled.has(nm)) compiled.set(nm, compileModel(bytes, 'tiny.onnx', compileOptions(model(nm), nm === 'dense' ? 'dense' : 'xnmsparse', calibration)));
    return compiled.get(nm)!;
  };

  it('predicts on the cluster what the golden network predicts, byte for byte, dense and 1:8 on Xnmsparse', () => {
    const indices = evenSubset(test.count, 3);
    for (const nm of ['dense', '1:8'] as const) {
      const compiled = tiny(nm);
      const check = issAgreement(compiled, test, indices);
      expect(check).toMatchObject({ images: 3, agreements: 3, disagreements: [] });
      expect(check.cycles).toBeGreaterThan(0);
      // The golden path's classes, against the int8 logits read directly (largest byte as the tensor's signedness reads it).
      const golden = goldenPredictions(compiled.network, test, indices);
      const logits = compiled.network.tensors.get(compiled.network.outputs[0]!)!;
      indices.forEach((index, i) => {
        const bytesOut = runGolden(compiled.network, quantizeInput(compiled.network, imageInput(test, index))).get(logits.name)!;
        const values = Array.from(bytesOut, (b) => (logits.signed ? (b << 24) >> 24 : b));
        expect(values.indexOf(Math.max(...values)), `image ${index}`).toBe(golden[i]);
      });
      expect(check.correct).toBe(correctCount(test, indices, golden));
    }
  });

  it('reports the images where the cluster and the golden network differ', () => {
    const compiled = tiny('dense');
    // Another network's golden outputs stand for a kernel bug: the program is the dense one, the golden network one with other weights.
    const other = quantizeModel(tinyResNetOnnx(2), 'other.onnx', compileOptions(model('dense'), 'dense', calibration));
    const check = issAgreement({ ...compiled, network: other.network }, test, [0, 1]);
    expect(check.disagreements).toEqual([0, 1]);
    expect(check.agreements).toBe(0);
  });

  it('keeps a nearest-class-mean classifier as accurate in int8 as in float (about 68% on Fashion-MNIST)', () => {
    const means = classMeanOnnx(train, 6000);
    const quantized = quantizeModel(means, 'means.onnx', compileOptions({ ...model('dense'), model: 'means' }, 'dense', calibration));
    const indices = evenSubset(test.count, 1000);
    const int8 = correctCount(test, indices, goldenPredictions(quantized.network, test, indices)) / 10;
    const output = quantized.graph.outputs[0]!.name;
    const float = indices.filter((index) => {
      const logits = evaluateFloat(quantized.graph, [imageInput(test, index)]).get(output)!.data;
      return logits.indexOf(Math.max(...logits)) === test.labels[index];
    }).length / 10;
    expect(float).toBeGreaterThan(60);
    expect(Math.abs(int8 - float)).toBeLessThan(2);
  });
});
