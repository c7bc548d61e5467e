/**
 * `nmsparse train`'s work: for each asked model and sparsity level, the cached result if one has
 * the same hash (data files, the recipe's Python code, its settings, PyTorch's version), else a
 * run of the recipe (sw/train/python/train.py) by Debian's Python with PyTorch; then copies of
 * the models and a manifest (manifest.ts) in the output folder. Progress goes to `log`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { fashionMnistDirectory, fashionMnistFiles } from '../datasets/fashion-mnist.js';
import { cacheDir, cacheKey } from '../../util/cache.js';
import { type Manifest, type ManifestEntry, MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_VERSION, manifestJson, readMetrics } from './manifest.js';
import type { Recipe, TrainLevel, TrainModel } from './recipe.js';

/** Debian's Python, which has torch (a pyenv or virtualenv python3 first on PATH may not). */
export const DEFAULT_PYTHON = '/usr/bin/python3';

/** The recipe's Python files: beside this module in the sources, under sw/ of the package when built. */
const RECIPE_DIR = fileURLToPath(import.meta.url.endsWith('.ts') ? new URL('./python/', import.meta.url) : new URL('../../../sw/train/python/', import.meta.url));

/** A missing prerequisite or a failed training run (the user's to fix; no stack trace). */
export class TrainError extends Error {
  override name = 'TrainError';
}

/** PyTorch's version in `python`, or a TrainError naming what to install. */
export function torchVersion(python: string): string {
  const result = spawnSync(python, ['-c', 'import torch, torchvision; print(torch.__version__)'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : result.stderr.trim().split('\n').pop();
    throw new TrainError(`${python} cannot import torch and torchvision (${why}): install them with \`apt-get install python3-torch python3-torchvision\` (or set NMSPARSE_PYTHON to a Python that has them)`);
  }
  return result.stdout.trim();
}

/** The dataset's four files, or a TrainError saying how to get them. */
export function datasetFiles(dir: string): string[] {
  const files = fashionMnistFiles(dir);
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) throw new TrainError(`Fashion-MNIST is missing (${missing.join(', ')}): install it with \`apt-get install dataset-fashion-mnist\`, or give its folder with --data`);
  return files;
}

export interface TrainOptions {
  readonly models: readonly TrainModel[];
  /** Levels to train; 'dense' is added when missing, since the sparse models start from it. */
  readonly levels: readonly TrainLevel[];
  readonly recipe: Recipe;
  readonly tiny: boolean;
  /** Where the models and the manifest are copied. */
  readonly out: string;
  readonly dataDir?: string;
  readonly python?: string;
  readonly log: (line: string) => void;
}

interface Job {
  readonly model: TrainModel;
  readonly nm: TrainLevel;
  readonly hash: string;
  /** The cache folder of the result. */
  readonly dir: string;
  readonly denseDir: string;
}

function fileHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function recipeSources(): string[] {
  return readdirSync(RECIPE_DIR)
    .filter((f) => f.endsWith('.py'))
    .sort()
    .map((f) => `${f}\n${readFileSync(path.join(RECIPE_DIR, f), 'utf8')}`);
}

const complete = (dir: string): boolean => existsSync(path.join(dir, 'metrics.json')) && existsSync(path.join(dir, 'model.onnx'));

/** Trains what the cache lacks, copies every asked model to `out` and writes the manifest there. */
export async function train(options: TrainOptions): Promise<Manifest> {
  const python = options.python ?? process.env['NMSPARSE_PYTHON'] ?? DEFAULT_PYTHON;
  const dataDir = fashionMnistDirectory(options.dataDir);
  const files = datasetFiles(dataDir);
  const torch = torchVersion(python);
  const common = [torch, ...files.map(fileHash), ...recipeSources(), JSON.stringify({ limits: options.recipe.limits, threads: options.recipe.threads })];
  const levels: TrainLevel[] = options.levels.includes('dense') ? [...options.levels] : ['dense', ...options.levels];
  const jobs: Job[] = [];
  for (const model of options.models) {
    const { config, hyper } = options.recipe[model];
    // The dense model does not depend on the SR-STE phase's settings: other sparse epochs reuse it.
    const { sparseEpochs, sparseLr, ...denseHyper } = hyper;
    const denseHash = cacheKey([...common, JSON.stringify({ model, config, hyper: denseHyper, nm: 'dense' })]);
    const denseDir = path.join(cacheDir(), 'train', denseHash);
    for (const nm of levels) {
      // A sparse model's result depends on the dense one it starts from, whose hash its own covers.
      const hash = nm === 'dense' ? denseHash : cacheKey([denseHash, JSON.stringify({ sparseEpochs, sparseLr, nm })]);
      jobs.push({ model, nm, hash, dir: path.join(cacheDir(), 'train', hash), denseDir });
    }
  }
  const missing = jobs.filter((j) => !complete(j.dir));
  for (const j of jobs) if (!missing.includes(j)) options.log(`${j.model} ${j.nm}: reusing the cached model ${j.dir}`);
  if (missing.length > 0) {
    options.log(`training ${missing.map((j) => `${j.model} ${j.nm}`).join(', ')} (not in the cache${options.tiny ? '; tiny recipe' : ''}) with PyTorch ${torch}`);
    await runRecipe(python, dataDir, missing, options);
  }
  return writeOutputs(jobs, options);
}

async function runRecipe(python: string, dataDir: string, jobs: readonly Job[], options: TrainOptions): Promise<void> {
  const { recipe } = options;
  for (const j of jobs) rmSync(j.dir, { recursive: true, force: true });
  mkdirSync(path.join(cacheDir(), 'train'), { recursive: true });
  const spec = {
    data: dataDir,
    threads: recipe.threads,
    limits: recipe.limits,
    jobs: jobs.map((j) => ({ model: j.model, nm: j.nm, out: j.dir, dense: j.denseDir, hash: j.hash, config: recipe[j.model].config, hyper: recipe[j.model].hyper })),
  };
  const specFile = path.join(os.tmpdir(), `nmsparse-train-${process.pid}-${Date.now()}.json`);
  writeFileSync(specFile, JSON.stringify(spec, null, 2));
  try {
    // -B: no __pycache__ beside the recipe (an installed package's folder may be read-only, and npm would ship it).
    const child = spawn(python, ['-B', path.join(RECIPE_DIR, 'train.py'), specFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    let pending = '';
    const lines: string[] = [];
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        options.log(line);
      }
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (pending) options.log(pending);
    if (code !== 0) throw new TrainError(`the training recipe failed (${python} exited with ${code}): ${[...lines, pending].filter((l) => l).slice(-3).join(' | ')}`);
  } finally {
    rmSync(specFile, { force: true });
  }
}

function writeOutputs(jobs: readonly Job[], options: TrainOptions): Manifest {
  const models = jobs.map((j): ManifestEntry => {
    const folder = path.join(options.out, `${j.model}-${j.nm.replace(':', '-')}`);
    mkdirSync(folder, { recursive: true });
    const onnx = path.join(folder, 'model.onnx');
    const metricsFile = path.join(folder, 'metrics.json');
    copyFileSync(path.join(j.dir, 'model.onnx'), onnx);
    copyFileSync(path.join(j.dir, 'metrics.json'), metricsFile);
    const metrics = readMetrics(metricsFile);
    if (metrics.hash !== j.hash) throw new TrainError(`${metricsFile}: hash ${metrics.hash}, expected ${j.hash} (a damaged cache entry: delete ${j.dir})`);
    return { model: j.model, nm: j.nm, onnx, metricsFile, metrics };
  });
  const manifest: Manifest = { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, dataset: 'fashion-mnist', tiny: options.tiny, models };
  const file = path.join(options.out, MANIFEST_FILE);
  writeFileAtomic(file, manifestJson(manifest, options.out));
  options.log(`wrote ${file} (${models.length} model${models.length === 1 ? '' : 's'})`);
  return manifest;
}
