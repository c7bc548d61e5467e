// The models `bench accuracy` evaluates: ONNX files named on the command line (`file.onnx`, or
// `file.onnx@1:8` to have the compiler prune it to 1:8 after training), or the trained models'
// manifest. A model trained by `nmsparse train` has a metrics.json beside its model.onnx naming
// the model, its sparsity and its float top-1 (sw/train/manifest.ts reads both); a file without
// one is named after itself.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AccuracyModel } from '../../sw/net/accuracy/models.js';
import { parsePattern } from '../../sw/sparse/pattern.js';
import { ManifestError, readManifest, readMetrics } from '../../sw/train/manifest.js';
import { UsageError } from '../errors.js';

/** What sw/train/manifest.ts reads (a metrics.json, a manifest), its errors the user's. */
function trainingFile<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof ManifestError) throw new UsageError(error.message);
    throw error;
  }
}

function checkSparsity(nm: string, where: string): void {
  if (nm === 'dense') return;
  try {
    parsePattern(nm);
  } catch (error) {
    throw new UsageError(`${where}: sparsity ${(error as Error).message}, nor 'dense'`);
  }
}

/** A model file as named on the command line: `file` (sparsity from its metrics.json, else dense) or `file@N:M` (pruned to N:M by the compiler). */
export function modelFromArgument(argument: string): AccuracyModel {
  // A suffix after the last '@' that holds no '/' is the sparsity: a folder may have '@' in its name.
  const suffix = /@([^@/]*)$/.exec(argument);
  const at = suffix ? suffix.index : -1;
  const file = at < 0 ? argument : argument.slice(0, at);
  if (!existsSync(file)) throw new UsageError(`no model file '${file}'`);
  const metricsFile = path.join(path.dirname(file), 'metrics.json');
  const metrics = existsSync(metricsFile) ? trainingFile(() => readMetrics(metricsFile)) : undefined;
  const base = path.basename(file).replace(/\.onnx$/i, '');
  // A trained model's file is model.onnx in a folder of its own: the folder names it.
  const name = metrics?.model ?? (base === 'model' ? path.basename(path.dirname(path.resolve(file))) : base);
  const figures = { ...(metrics?.floatTop1 === undefined ? {} : { floatTop1: metrics.floatTop1 }), ...(metrics?.qatTop1 === undefined ? {} : { qatTop1: metrics.qatTop1 }) };
  if (at < 0) return { model: name, nm: metrics?.nm ?? 'dense', file, sparsity: 'trained', ...figures };
  const nm = argument.slice(at + 1);
  checkSparsity(nm, argument);
  if (metrics && metrics.nm !== 'dense' && metrics.nm !== nm) throw new UsageError(`${argument}: the model was trained ${metrics.nm} (${metricsFile}): prune it to that pattern, or name it without @`);
  return { model: name, nm, file, sparsity: metrics?.nm === nm ? 'trained' : 'pruned', ...figures };
}

/** The trained models a manifest lists: their sparsity is in their weights. */
export function modelsFromManifest(manifest: string): AccuracyModel[] {
  return trainingFile(() => readManifest(manifest)).models.map((entry) => ({ model: entry.model, nm: entry.nm, file: entry.onnx, sparsity: 'trained', floatTop1: entry.metrics.floatTop1, qatTop1: entry.metrics.qatTop1 }));
}

/** Whether the manifest's models come from `nmsparse train --tiny`: a check of the pipeline, whose accuracy means nothing. */
export function manifestIsTiny(manifest: string): boolean {
  return trainingFile(() => readManifest(manifest)).tiny;
}

/** The models named, each once. */
export function selectedModels(files: readonly string[], manifest: string | undefined): AccuracyModel[] {
  if (files.length > 0 && manifest !== undefined) throw new UsageError('give model files or --manifest, not both');
  const models = manifest === undefined ? files.map(modelFromArgument) : modelsFromManifest(manifest);
  if (models.length === 0) throw new UsageError('no model to evaluate: name ONNX files (file.onnx, or file.onnx@N:M to prune it) or a --manifest');
  const seen = new Set<string>();
  for (const m of models) {
    const key = `${m.model} ${m.nm}`;
    if (seen.has(key)) throw new UsageError(`model ${m.model} at ${m.nm} is named twice (${m.file})`);
    seen.add(key);
  }
  return models;
}
