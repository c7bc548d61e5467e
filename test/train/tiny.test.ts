// `nmsparse train --tiny`'s pipeline: PyTorch trains the small ResNet and ViT for two steps on 256
// Fashion-MNIST images, dense and SR-STE 1:8, fine-tunes them with int8 fake quantization and
// exports QDQ ONNX files; the compiler reads them with the 1:8 pattern already in their int8
// weights (no pruning of its own), and the cluster's output equals the golden integer network's.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LayerNode } from '../../sw/net/graph.js';
import { runGolden } from '../../sw/net/golden.js';
import { compileModel, DEFAULT_MEMORY } from '../../sw/net/pipeline.js';
import { detectNM } from '../../sw/net/quantize/index.js';
import { runNetwork } from '../../sw/net/run.js';
import { reductionLength } from '../../sw/layers/spec.js';
import { readManifest, type Manifest } from '../../sw/train/manifest.js';
import { TINY_RECIPE } from '../../sw/train/recipe.js';
import { DEFAULT_PYTHON, train, TrainError } from '../../sw/train/run.js';
import { fashionMnistDirectory, fashionMnistFiles } from '../../sw/datasets/fashion-mnist.js';

function prerequisitesMissing(): string | false {
  let reason: string | undefined;
  try {
    execFileSync(DEFAULT_PYTHON, ['-c', 'import torch, torchvision'], { stdio: 'ignore' });
  } catch {
    reason = `${DEFAULT_PYTHON} cannot import torch and torchvision (apt-get install python3-torch python3-torchvision)`;
  }
  if (!reason && !fashionMnistFiles(fashionMnistDirectory()).every((f) => existsSync(f))) reason = `Fashion-MNIST is not in ${fashionMnistDirectory()} (apt-get install dataset-fashion-mnist)`;
  if (reason && process.env['CI'] === 'true') throw new Error(`CI=true requires every external tool: ${reason}`);
  return reason ?? false;
}

const scratch = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-train-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const quiet = (): void => {};

describe('nmsparse train: prerequisites', () => {
  it('a missing dataset is an error saying how to install it', async () => {
    await expect(train({ models: ['resnet'], levels: ['dense'], recipe: TINY_RECIPE, tiny: true, out: scratch, dataDir: scratch, log: quiet })).rejects.toThrow(
      new TrainError(`Fashion-MNIST is missing (${fashionMnistFiles(scratch).join(', ')}): install it with \`apt-get install dataset-fashion-mnist\`, or give its folder with --data`),
    );
  });

  it.skipIf(prerequisitesMissing())('a Python without torch is an error naming the packages to install', async () => {
    await expect(train({ models: ['resnet'], levels: ['dense'], recipe: TINY_RECIPE, tiny: true, out: scratch, python: '/nonexistent/python3', log: quiet })).rejects.toThrow(
      'install them with `apt-get install python3-torch python3-torchvision`',
    );
  });
});

describe.skipIf(prerequisitesMissing())('nmsparse train --tiny: trained, exported, compiled, run', () => {
  const cache = path.join(scratch, 'cache');
  const out = path.join(scratch, 'models');
  const lines: string[] = [];
  let manifest: Manifest;
  let previousCache: string | undefined;

  beforeAll(async () => {
    previousCache = process.env['NMSPARSE_CACHE_DIR'];
    process.env['NMSPARSE_CACHE_DIR'] = cache;
    manifest = await train({ models: ['resnet', 'vit'], levels: ['1:8'], recipe: TINY_RECIPE, tiny: true, out, log: (line) => lines.push(line) });
  }, 120_000);

  afterAll(() => {
    if (previousCache === undefined) delete process.env['NMSPARSE_CACHE_DIR'];
    else process.env['NMSPARSE_CACHE_DIR'] = previousCache;
  });

  it('trains the dense models the sparse ones start from, and writes a manifest that reads back', () => {
    expect(manifest.models.map((e) => `${e.model} ${e.nm}`)).toEqual(['resnet dense', 'resnet 1:8', 'vit dense', 'vit 1:8']);
    expect(readManifest(out)).toEqual(manifest);
    for (const entry of manifest.models) {
      expect(JSON.parse(readFileSync(entry.metricsFile, 'utf8'))).toEqual(entry.metrics);
      expect(entry.metrics).toMatchObject({ trainImages: 256, testImages: 256 });
      for (const top1 of [entry.metrics.floatTop1, entry.metrics.qatTop1]) expect(top1).toBeGreaterThanOrEqual(0);
    }
    expect(lines.some((l) => l.startsWith('training resnet dense, resnet 1:8, vit dense, vit 1:8 (not in the cache; tiny recipe)'))).toBe(true);
    expect(lines.some((l) => /^\[vit 1:8\] int8 QAT epoch 1 \(2\/2 steps\) loss [0-9.]+ train/.test(l))).toBe(true);
  });

  it('reuses the cache the second time', async () => {
    const again: string[] = [];
    const second = await train({ models: ['resnet'], levels: ['dense', '1:8'], recipe: TINY_RECIPE, tiny: true, out: path.join(scratch, 'again'), log: (line) => again.push(line) });
    expect(again.filter((l) => l.includes('reusing the cached model'))).toHaveLength(2);
    expect(again.some((l) => l.startsWith('training'))).toBe(false);
    expect(second.models.map((e) => e.metrics)).toEqual(manifest.models.slice(0, 2).map((e) => e.metrics));
  });

  for (const model of ['resnet', 'vit'] as const) {
    it(`${model} 1:8: every layer but the first and the last is 1:8 in the file, and the cluster equals golden`, () => {
      const entry = manifest.models.find((e) => e.model === model && e.nm === '1:8')!;
      const nm = { n: 1, m: 8 } as const;
      // No pruning by the compiler: the pattern must come from training.
      const compiled = compileModel(new Uint8Array(readFileSync(entry.onnx)), entry.onnx, { nm, prunable: () => false, calibration: { random: 1, seed: 1 }, cores: 8, memory: DEFAULT_MEMORY });
      const layers = compiled.network.nodes.filter((n): n is LayerNode => n.op === 'layer' && n.weightTensor === undefined);
      const sparse = layers.map((n) => detectNM(n.weights, reductionLength(n.spec), nm));
      expect(sparse.slice(1, -1).every((s) => s)).toBe(true);
      expect([sparse[0], sparse.at(-1)]).toEqual([false, false]);
      expect(compiled.compiled.nodes.some((n) => n.implementation?.variant === 'sparse')).toBe(true);
      const run = runNetwork(compiled.compiled);
      const golden = runGolden(compiled.network, compiled.input);
      for (const output of compiled.network.outputs) expect(run.outputs.get(output)).toEqual(golden.get(output));
      expect(compiled.network.outputs.map((o) => compiled.network.tensors.get(o)!.shape.c)).toEqual([10]);
    });
  }
});
