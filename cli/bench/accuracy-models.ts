// The models `bench accuracy` evaluates: ONNX files named on the command line (`file.onnx`, or
// `file.onnx@1:8` to have the compiler prune it to 1:8 after training), or the trained models'
// manifest. A model trained by `nmsparse train` has a metrics.json beside its model.onnx naming
// the model, its sparsity and its float top-1; a file without one is named after itself.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AccuracyModel } from '../../sw/net/accuracy/models.js';
import { parsePattern } from '../../sw/sparse/pattern.js';
import { UsageError } from '../errors.js';

/** What training writes beside each model (sw/train/python/train.py). */
interface Metrics {
  readonly model: string;
  readonly nm: string;
  readonly floatTop1?: number;
  readonly qatTop1?: number;
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} '${file}': ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${(error as Error).message})`);
  }
}

function readMetrics(file: string): Metrics {
  const value = readJson(file, 'metrics') as Partial<Record<keyof Metrics, unknown>> | null;
  if (typeof value !== 'object' || value === null || typeof value.model !== 'string' || typeof value.nm !== 'string') {
    throw new UsageError(`${file}: not a model's metrics (an object with 'model' and 'nm' strings, as \`nmsparse train\` writes)`);
  }
  const figures: { floatTop1?: number; qatTop1?: number } = {};
  for (const key of ['floatTop1', 'qatTop1'] as const) {
    const figure = value[key];
    if (figure === undefined) continue;
    if (typeof figure !== 'number') throw new UsageError(`${file}: '${key}' is not a number`);
    figures[key] = figure;
  }
  checkSparsity(value.nm, file);
  return { model: value.model, nm: value.nm, ...figures };
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
  const metrics = existsSync(metricsFile) ? readMetrics(metricsFile) : undefined;
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

/**
 * The models of a manifest, as `nmsparse train` writes it: an object whose `models` (or a plain
 * list) are entries naming their ONNX file in `onnx`, relative to the manifest, each with its
 * metrics.json beside it.
 */
export function modelsFromManifest(manifest: string): AccuracyModel[] {
  const value = readJson(manifest, 'manifest');
  const entries = Array.isArray(value) ? value : (value as { models?: unknown } | null)?.models;
  if (!Array.isArray(entries)) throw new UsageError(`${manifest}: not a model manifest (a list of models, or an object with 'models')`);
  return entries.map((entry: unknown, i) => {
    const onnx = typeof entry === 'object' && entry !== null ? (entry as { onnx?: unknown }).onnx : undefined;
    if (typeof onnx !== 'string') throw new UsageError(`${manifest}: model ${i} names no ONNX file ('onnx')`);
    return modelFromArgument(path.resolve(path.dirname(manifest), onnx));
  });
}

/** Whether the manifest's models come from `nmsparse train --tiny`: a check of the pipeline, whose accuracy means nothing. */
export function manifestIsTiny(manifest: string): boolean {
  const value = readJson(manifest, 'manifest');
  return typeof value === 'object' && value !== null && (value as { tiny?: unknown }).tiny === true;
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
