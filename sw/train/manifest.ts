/**
 * The manifest `nmsparse train` writes beside the trained models (docs/training.md#manifest): one
 * entry per model and sparsity level, with its QDQ ONNX file, its metrics.json and the figures of
 * the training run. Paths in the file are relative to the manifest's folder; `readManifest`
 * returns them absolute, and refuses a malformed file with a message naming what is wrong.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TRAIN_LEVELS, TRAIN_MODELS, type TrainLevel, type TrainModel } from './recipe.js';

export const MANIFEST_FORMAT = 'nmsparse-train-manifest';
export const MANIFEST_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

/** What the recipe measured in PyTorch (metrics.json, one per model). */
export interface TrainMetrics {
  readonly model: TrainModel;
  readonly nm: TrainLevel;
  /** Top-1 (percent) of the float model on the test images, before quantization. */
  readonly floatTop1: number;
  /** Top-1 (percent) of the int8 fake-quantized model in PyTorch (the exported network's arithmetic, up to rounding). */
  readonly qatTop1: number;
  /** Epochs of this model's own phases in the recipe (a sparse model starts from the dense one's; the tiny recipe's step limit stops them sooner). */
  readonly epochs: number;
  readonly trainSeconds: number;
  /** The cache key of the result: hash of the data files, the recipe's code and its settings. */
  readonly hash: string;
  readonly trainImages: number;
  readonly testImages: number;
}

export interface ManifestEntry {
  readonly model: TrainModel;
  readonly nm: TrainLevel;
  /** The QDQ ONNX file (input float [1, 1, 28, 28] = pixel / 255, output logits [1, 10]). */
  readonly onnx: string;
  readonly metricsFile: string;
  readonly metrics: TrainMetrics;
}

export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly version: typeof MANIFEST_VERSION;
  readonly dataset: 'fashion-mnist';
  /** Trained by the tiny recipe (a pipeline check, no accuracy to report). */
  readonly tiny: boolean;
  readonly models: readonly ManifestEntry[];
}

export class ManifestError extends Error {
  override name = 'ManifestError';
}

type Json = Record<string, unknown>;

function field<T>(object: Json, key: string, where: string, check: (v: unknown) => v is T, expected: string): T {
  const value = object[key];
  if (!check(value)) throw new ManifestError(`${where}: '${key}' must be ${expected}, found ${JSON.stringify(value)}`);
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isModel = (v: unknown): v is TrainModel => (TRAIN_MODELS as readonly unknown[]).includes(v);
const isLevel = (v: unknown): v is TrainLevel => (TRAIN_LEVELS as readonly unknown[]).includes(v);

/** Checks a metrics.json's content (`where` names it in errors). */
export function parseMetrics(value: unknown, where: string): TrainMetrics {
  if (!isObject(value)) throw new ManifestError(`${where}: not a JSON object`);
  return {
    model: field(value, 'model', where, isModel, `one of ${TRAIN_MODELS.join(', ')}`),
    nm: field(value, 'nm', where, isLevel, `one of ${TRAIN_LEVELS.join(', ')}`),
    floatTop1: field(value, 'floatTop1', where, isNumber, 'a number'),
    qatTop1: field(value, 'qatTop1', where, isNumber, 'a number'),
    epochs: field(value, 'epochs', where, isNumber, 'a number'),
    trainSeconds: field(value, 'trainSeconds', where, isNumber, 'a number'),
    hash: field(value, 'hash', where, isString, 'a string'),
    trainImages: field(value, 'trainImages', where, isNumber, 'a number'),
    testImages: field(value, 'testImages', where, isNumber, 'a number'),
  };
}

function readJson(file: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ManifestError(`cannot read the ${what} ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ManifestError(`${file}: not JSON (${(e as Error).message})`);
  }
}

export function readMetrics(file: string): TrainMetrics {
  return parseMetrics(readJson(file, 'metrics file'), file);
}

/** Reads a manifest (the file, or the folder holding manifest.json); entries' paths come back absolute. */
export function readManifest(fileOrFolder: string): Manifest {
  const file = fileOrFolder.endsWith('.json') ? fileOrFolder : path.join(fileOrFolder, MANIFEST_FILE);
  const value = readJson(file, 'training manifest (written by `nmsparse train`)');
  if (!isObject(value)) throw new ManifestError(`${file}: not a JSON object`);
  if (value['format'] !== MANIFEST_FORMAT) throw new ManifestError(`${file}: 'format' is ${JSON.stringify(value['format'])}, not '${MANIFEST_FORMAT}' (not a manifest of \`nmsparse train\`)`);
  if (value['version'] !== MANIFEST_VERSION) throw new ManifestError(`${file}: version ${JSON.stringify(value['version'])}; this nmsparse reads version ${MANIFEST_VERSION}`);
  if (value['dataset'] !== 'fashion-mnist') throw new ManifestError(`${file}: 'dataset' must be 'fashion-mnist', found ${JSON.stringify(value['dataset'])}`);
  const tiny = field(value, 'tiny', file, isBoolean, 'true or false');
  const models = field(value, 'models', file, (v): v is unknown[] => Array.isArray(v), 'an array');
  const folder = path.dirname(path.resolve(file));
  const entries = models.map((entry, i): ManifestEntry => {
    const where = `${file}: models[${i}]`;
    if (!isObject(entry)) throw new ManifestError(`${where}: not a JSON object`);
    const model = field(entry, 'model', where, isModel, `one of ${TRAIN_MODELS.join(', ')}`);
    const nm = field(entry, 'nm', where, isLevel, `one of ${TRAIN_LEVELS.join(', ')}`);
    const metrics = parseMetrics(entry['metrics'], `${where}.metrics`);
    if (metrics.model !== model || metrics.nm !== nm) throw new ManifestError(`${where}: its metrics are of ${metrics.model} ${metrics.nm}, not ${model} ${nm}`);
    return {
      model,
      nm,
      onnx: path.resolve(folder, field(entry, 'onnx', where, isString, 'a path')),
      metricsFile: path.resolve(folder, field(entry, 'metricsFile', where, isString, 'a path')),
      metrics,
    };
  });
  const seen = new Set<string>();
  for (const e of entries) {
    const key = `${e.model} ${e.nm}`;
    if (seen.has(key)) throw new ManifestError(`${file}: ${key} is listed twice`);
    seen.add(key);
  }
  return { format: MANIFEST_FORMAT, version: MANIFEST_VERSION, dataset: 'fashion-mnist', tiny, models: entries };
}

/** The manifest's JSON, paths relative to `folder` (where it is written). */
export function manifestJson(manifest: Manifest, folder: string): string {
  const relative = (p: string): string => path.relative(folder, p).split(path.sep).join('/');
  const models = manifest.models.map((e) => ({ model: e.model, nm: e.nm, onnx: relative(e.onnx), metricsFile: relative(e.metricsFile), metrics: e.metrics }));
  return `${JSON.stringify({ format: manifest.format, version: manifest.version, dataset: manifest.dataset, tiny: manifest.tiny, models }, null, 2)}\n`;
}
