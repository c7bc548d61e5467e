/**
 * The accuracy bench cut into tasks for the bench's pool of worker threads (sw/kernels/bench/
 * sweep.ts runPool); rows.ts joins their results into one row per model and sparsity. Each slice
 * of a model's test images (golden top-1), each slice of its cluster-checked images and each
 * kernel choice's cycles are separate tasks, so that the threads share a model's work. Every task compiles its model itself:
 * tasks cross threads as plain data.
 */
import { readFileSync } from 'node:fs';
import { type ImageSet, readFashionMnist } from '../../datasets/fashion-mnist.js';
import { compileModel, quantizeModel } from '../pipeline.js';
import { type AccuracyModel, modelLabel } from './models.js';
import { type IssAgreement, type KernelChoice, calibrationImages, compileOptions, correctCount, deployedKernels, evenSubset, goldenPredictions, issAgreement } from './evaluate.js';

/** What the bench evaluates and where. */
export interface AccuracySettings {
  /** The directory of the Fashion-MNIST files (sw/datasets/fashion-mnist.ts). */
  readonly dataset: string;
  /** Test images the golden network classifies: all 10,000 by default, fewer spread evenly over the set. */
  readonly testImages: number;
  /** Test images also run on the cluster, spread evenly over the set. */
  readonly issImages: number;
}

/** Images of the cluster check per task: a model's check is shared among the threads, each task compiling the model once. */
export const ISS_IMAGES_PER_TASK = 50;

/** Images the golden network classifies per task: a few minutes of a dense Fashion-MNIST ResNet, so that threads and slices share a model's test set. */
export const GOLDEN_IMAGES_PER_TASK = 2500;

export type AccuracyTask =
  | { readonly kind: 'golden'; readonly model: AccuracyModel; readonly settings: AccuracySettings; readonly indices: readonly number[] }
  | { readonly kind: 'iss'; readonly model: AccuracyModel; readonly settings: AccuracySettings; readonly indices: readonly number[] }
  | { readonly kind: 'cycles'; readonly model: AccuracyModel; readonly settings: AccuracySettings; readonly kernels: KernelChoice };

export type AccuracyResult =
  | { readonly kind: 'golden'; readonly images: number; readonly correct: number; readonly seconds: number }
  | ({ readonly kind: 'iss'; readonly kernels: KernelChoice } & IssAgreement)
  | { readonly kind: 'cycles'; readonly kernels: KernelChoice; readonly cycles: number; readonly weightBytes: number };

function slices(indices: readonly number[], size: number): number[][] {
  const cut: number[][] = [];
  for (let i = 0; i < indices.length; i += size) cut.push(indices.slice(i, i + size));
  return cut;
}

/** Every task of the bench over a test set of `testCount` images: per model its golden top-1, its cluster check in slices, and its cycles with each kernel choice it has. */
export function accuracyTasks(models: readonly AccuracyModel[], settings: AccuracySettings, testCount: number): AccuracyTask[] {
  const golden = slices(evenSubset(testCount, settings.testImages), GOLDEN_IMAGES_PER_TASK);
  const iss = slices(evenSubset(testCount, settings.issImages), ISS_IMAGES_PER_TASK);
  return models.flatMap((model): AccuracyTask[] => {
    const kernels: KernelChoice[] = model.nm === 'dense' ? ['dense'] : ['dense', 'sparse', 'xnmsparse'];
    return [
      ...golden.map((indices) => ({ kind: 'golden' as const, model, settings, indices })),
      ...iss.map((indices) => ({ kind: 'iss' as const, model, settings, indices })),
      ...kernels.map((k) => ({ kind: 'cycles' as const, model, settings, kernels: k })),
    ];
  });
}

export function accuracyTaskName(task: AccuracyTask): string {
  const images = (indices: readonly number[]): string => `${indices.length} images (${indices[0]} to ${indices[indices.length - 1]})`;
  const what = task.kind === 'golden' ? `golden top-1 of ${images(task.indices)}` : task.kind === 'iss' ? `cluster = golden on ${images(task.indices)}` : `cycles, ${task.kernels} kernels`;
  return `${modelLabel(task.model)}: ${what}`;
}

/** The data sets a worker thread has read, by directory: each thread reads them once. */
const READ = new Map<string, { test: ImageSet; train: ImageSet }>();

function datasets(directory: string): { test: ImageSet; train: ImageSet } {
  let sets = READ.get(directory);
  if (!sets) {
    sets = { test: readFashionMnist('test', directory), train: readFashionMnist('train', directory) };
    READ.set(directory, sets);
  }
  return sets;
}

export function runAccuracyTask(task: AccuracyTask): AccuracyResult {
  const { test, train } = datasets(task.settings.dataset);
  const { model } = task;
  const bytes = new Uint8Array(readFileSync(model.file));
  const kernels = task.kind === 'cycles' ? task.kernels : deployedKernels(model);
  const options = compileOptions(model, kernels, calibrationImages(train));
  if (task.kind === 'golden') {
    const quantized = quantizeModel(bytes, model.file, options);
    const started = process.hrtime.bigint();
    const correct = correctCount(test, task.indices, goldenPredictions(quantized.network, test, task.indices));
    return { kind: 'golden', images: task.indices.length, correct, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  }
  const compiled = compileModel(bytes, model.file, options);
  if (task.kind === 'iss') return { kind: 'iss', kernels, ...issAgreement(compiled, test, task.indices) };
  const check = issAgreement(compiled, test, [0]);
  if (check.disagreements.length > 0) throw new Error(`${modelLabel(model)}, ${kernels} kernels: the cluster's output differs from the golden network's on image 0`);
  const memory = compiled.compiled.memory;
  return { kind: 'cycles', kernels, cycles: check.cycles, weightBytes: memory.constantBytes.l2 + memory.constantBytes.l3 };
}
