// `nmsparse bench accuracy` as a user runs it, on a small fully connected network: its JSON rows
// (dense, pruned 1:8 by the compiler, a trained model's metrics.json and a manifest), and
// refusals that name the file or the option.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccuracyRow } from '../../sw/net/accuracy/rows.js';
import { smallResNetOnnx } from '../../sw/onnx/zoo/resnet.js';
import { ExitCode } from '../../util/exit-codes.js';
import { accuracySection } from '../../cli/actions/reproduce-accuracy.js';
import { nmsparse } from '../cli/run-nmsparse.js';
import { datasetMissing } from './dataset.js';
import { tinyMlpOnnx } from './models.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION, manifestJson } from '../../sw/train/manifest.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-accuracy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mlp = path.join(dir, 'mlp.onnx');
writeFileSync(mlp, tinyMlpOnnx(1));
const few = ['--test-images', '100', '--iss-images', '2', '--jobs', '1'];

/** `folder`/`name`/ as `nmsparse train` leaves a model (the tiny MLP standing for its ResNet), and its manifest in `folder`. */
function trainedModel(folder: string, name: string, figures: { floatTop1: number; qatTop1: number }, tiny: boolean): string {
  mkdirSync(path.join(folder, name), { recursive: true });
  const onnx = path.join(folder, name, 'model.onnx');
  const metricsFile = path.join(folder, name, 'metrics.json');
  writeFileSync(onnx, tinyMlpOnnx(1));
  const metrics = { model: 'resnet', nm: 'dense', ...figures, epochs: 1, trainSeconds: 1, hash: 'test', trainImages: 60_000, testImages: 10_000 } as const;
  writeFileSync(metricsFile, JSON.stringify(metrics));
  const manifest = path.join(folder, 'manifest.json');
  writeFileSync(manifest, manifestJson({ format: MANIFEST_FORMAT, version: MANIFEST_VERSION, dataset: 'fashion-mnist', tiny, models: [{ model: 'resnet', nm: 'dense', onnx, metricsFile, metrics }] }, folder));
  return manifest;
}

describe.skipIf(datasetMissing())('nmsparse bench accuracy', () => {
  /** The first test's report, which the slices' merge must give again. */
  let whole = '';

  it('rows a dense model and its 1:8 pruning: int8 top-1, the drop, cycles of each kernel choice, the cluster equal to the golden network', async () => {
    const { code, stdout, stderr } = await nmsparse(['bench', 'accuracy', mlp, `${mlp}@1:8`, ...few, '--json']);
    expect(code).toBe(ExitCode.success);
    expect(stderr).toMatch(/\[1\/8\] mlp dense: golden top-1 of 100 images \(0 to 9900\)/);
    whole = stdout;
    const rows = JSON.parse(stdout) as AccuracyRow[];
    expect(rows.map((r) => [r.model, r.nm, r.sparsity, r.kernels])).toEqual([['mlp', 'dense', 'trained', 'dense'], ['mlp', '1:8', 'pruned', 'xnmsparse']]);
    const [dense, sparse] = rows as [AccuracyRow, AccuracyRow];
    for (const row of rows) {
      expect(row).toMatchObject({ testImages: 100, issImages: 2, issAgreesWithGolden: true, issDisagreements: [], floatTop1: null, qatTop1: null });
      expect(row.int8Top1).toBeGreaterThanOrEqual(0);
      expect(row.int8Top1).toBeLessThanOrEqual(100);
    }
    expect(dense.dropVsDense).toBe(0);
    expect(sparse.dropVsDense).toBeCloseTo(dense.int8Top1 - sparse.int8Top1, 9);
    expect(Object.keys(dense.cycles)).toEqual(['dense']);
    expect(Object.keys(sparse.cycles).sort()).toEqual(['dense', 'sparse', 'xnmsparse']);
    expect(sparse.cycles.dense).toBe(dense.cycles.dense);
    expect(sparse.weightBytes).toBeLessThan(dense.weightBytes);
  });

  it('runs in slices that accuracy-merge joins into the same rows, refusing a lost slice', async () => {
    const slices = [0, 1].map((i) => path.join(dir, `slice-${i}.json`));
    for (const [i, slice] of slices.entries()) {
      const { code } = await nmsparse(['bench', 'accuracy', mlp, `${mlp}@1:8`, ...few, '--shard', `${i}/2`, '--out', slice]);
      expect(code).toBe(ExitCode.success);
    }
    const merged = await nmsparse(['bench', 'accuracy-merge', ...slices, '--json']);
    expect(merged.code).toBe(ExitCode.success);
    const figures = (text: string): unknown[] => (JSON.parse(text) as AccuracyRow[]).map((r) => [r.model, r.nm, r.int8Correct, r.dropVsDense, r.cycles, r.weightBytes, r.issImages, r.issAgreesWithGolden]);
    expect(figures(merged.stdout)).toEqual(figures(whole));
    const lost = await nmsparse(['bench', 'accuracy-merge', slices[0]!]);
    expect(lost.code).toBe(ExitCode.userError);
    expect(lost.stderr).toMatch(/missing tasks? 'mlp .*: a slice is lost or incomplete/);
  });

  it('names a trained model after its metrics.json, as a file or through a manifest, and prints a table', async () => {
    const manifest = trainedModel(path.join(dir, 'trained'), 'resnet-dense', { floatTop1: 12.5, qatTop1: 12.25 }, false);
    const { code, stdout } = await nmsparse(['bench', 'accuracy', '--manifest', manifest, ...few]);
    expect(code).toBe(ExitCode.success);
    expect(stdout).toMatch(/^resnet +dense +12\.50 +12\.25 +\d+\.\d\d +0\.00 +[\d.]+ +\d+ +2 +all$/m);
    const file = await nmsparse(['bench', 'accuracy', path.join(dir, 'trained', 'resnet-dense', 'model.onnx'), ...few]);
    expect(file.stdout).toMatch(/^resnet +dense +12\.50 +12\.25 /m);
    expect(stdout).toMatch(/golden network \d+ images\/s, cluster simulation [\d.]+ s\/image/);
  });

  it('refuses a model of another input, a missing file, an unknown pattern, and both files and a manifest', async () => {
    const rgb = path.join(dir, 'rgb.onnx');
    writeFileSync(rgb, smallResNetOnnx(1));
    const wrong = await nmsparse(['bench', 'accuracy', rgb, ...few]);
    expect(wrong.code).toBe(ExitCode.userError);
    expect(wrong.stderr).toMatch(/rgb\.onnx: the model takes \[1, 3, 16, 16\], not one 28x28 grey image \[1, 1, 28, 28\]/);
    expect((await nmsparse(['bench', 'accuracy', path.join(dir, 'none.onnx')])).stderr).toMatch(/no model file '.*none\.onnx'/);
    expect((await nmsparse(['bench', 'accuracy', `${mlp}@3:8`])).stderr).toMatch(/'3:8' is no supported N:M pattern/);
    expect((await nmsparse(['bench', 'accuracy', mlp, '--manifest', mlp])).stderr).toMatch(/give model files or --manifest, not both/);
    expect((await nmsparse(['bench', 'accuracy', mlp, '--iss-images', '10001'])).stderr).toMatch(/--iss-images/);
  });
});

describe('nmsparse bench accuracy without the data set', () => {
  it('names the missing file and how to install it', async () => {
    const { code, stderr } = await nmsparse(['bench', 'accuracy', mlp, '--dataset', path.join(dir, 'no-dataset')]);
    expect(code).toBe(ExitCode.userError);
    expect(stderr).toMatch(/^nmsparse: Fashion-MNIST file .*no-dataset\/t10k-images-idx3-ubyte\.gz is missing: install the data set with `apt-get install dataset-fashion-mnist`/);
  });
});

describe('the accuracy section of nmsparse reproduce', () => {
  const written = new Map<string, string>();
  const write = (file: string, data: string): void => void written.set(file, data);

  it('says a manifest given does not exist and which command trains the models, without failing', async () => {
    await accuracySection({ jobs: 1, write, out: dir, manifest: path.join(dir, 'untrained', 'manifest.json') });
    expect(written.get('accuracy.md')).toMatch(/not measured: no trained models \(.*untrained\/manifest\.json does not exist\)\. `nmsparse train -o DIR` trains .* DIR\/manifest\.json; without --manifest, reproduce trains them itself/);
    expect(JSON.parse(written.get('accuracy.json')!)).toMatchObject({ rows: [] });
  });

  it('trains the recipe\'s models without --manifest, and says why not when it cannot, without failing', async () => {
    const saved = process.env['NMSPARSE_PYTHON'];
    process.env['NMSPARSE_PYTHON'] = path.join(dir, 'no-python');
    try {
      await accuracySection({ jobs: 1, write, out: dir });
    } finally {
      if (saved === undefined) delete process.env['NMSPARSE_PYTHON'];
      else process.env['NMSPARSE_PYTHON'] = saved;
    }
    expect(written.get('accuracy.md')).toMatch(/not measured: the models could not be trained: .*no-python cannot import torch and torchvision .*apt-get install python3-torch python3-torchvision/);
  });

  it.skipIf(datasetMissing())('reports the manifest\'s models over the whole test set, saying when they are the tiny recipe\'s', async () => {
    const manifest = trainedModel(path.join(dir, 'models'), 'resnet-dense', { floatTop1: 10, qatTop1: 10 }, true);
    await accuracySection({ jobs: 1, write, out: dir, manifest, issImages: '1' });
    const { rows, tiny } = JSON.parse(written.get('accuracy.json')!) as { rows: AccuracyRow[]; tiny: boolean };
    expect(tiny).toBe(true);
    expect(written.get('accuracy.md')).toMatch(/trained by `nmsparse train --tiny` .*: a check of the pipeline, not accuracy figures/);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ model: 'resnet', nm: 'dense', testImages: 10_000, issImages: 1, issAgreesWithGolden: true });
    expect(written.get('accuracy.md')).toMatch(/^\| resnet +\| +dense \|/m);
  });
});
