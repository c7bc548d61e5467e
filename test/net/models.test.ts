// The zoo's small ResNet and small ViT through the whole pipeline (ONNX file, quantizer, compiler,
// cluster): every tensor bit-exact against the golden integer network, dense and N:M sparse with
// both kernels, on 1 and 8 cores.
import { describe, expect, it } from 'vitest';
import type { SparsityPattern } from '../../isa/xnmsparse/gather.js';
import { runGolden } from '../../sw/net/golden.js';
import { compileModel, DEFAULT_MEMORY } from '../../sw/net/pipeline.js';
import { runNetwork } from '../../sw/net/run.js';
import { ZOO } from '../../sw/onnx/zoo/index.js';

const cases: [string, SparsityPattern | undefined, boolean, number][] = [
  ['small-resnet', undefined, false, 1],
  ['small-resnet', { n: 1, m: 8 }, false, 8],
  ['small-resnet', { n: 2, m: 8 }, true, 8],
  ['small-vit', undefined, false, 8],
  ['small-vit', { n: 1, m: 4 }, false, 1],
  ['small-vit', { n: 1, m: 8 }, true, 8],
];

describe('zoo models compiled and run on the cluster', () => {
  for (const [name, nm, xnmsparse, cores] of cases) {
    it(`${name}, ${nm ? `${nm.n}:${nm.m} ${xnmsparse ? 'Xnmsparse' : 'software'}` : 'dense'}, ${cores} core(s)`, () => {
      const model = ZOO.find((m) => m.name === name)!;
      const compiled = compileModel(model.onnx(3), `${name}.onnx`, { ...(nm ? { nm, xnmsparse } : {}), calibration: { random: 2, seed: 5 }, cores, memory: DEFAULT_MEMORY, keepTensors: true });
      if (nm) expect(compiled.compiled.nodes.some((n) => n.implementation?.variant === (xnmsparse ? 'xnmsparse' : 'sparse'))).toBe(true);
      const run = runNetwork(compiled.compiled);
      const golden = runGolden(compiled.network, compiled.input);
      for (const tensor of compiled.network.tensors.keys()) {
        const expected = golden.get(tensor);
        if (expected) expect(run.readTensor(tensor), tensor).toEqual(expected);
      }
    });
  }
});
