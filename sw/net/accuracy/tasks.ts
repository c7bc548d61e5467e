/**
 * The accuracy bench cut into tasks for the bench's pool of worker threads (sw/kernels/bench/
 * sweep.ts runPool), and the tasks' results joined into one row per model and sparsity. A model's
 * golden top-1, each slice of its cluster-checked images and each kernel choice's cycles are
 * separate tasks, so that the threads share a model's work. Every task compiles its model itself:
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

export type AccuracyTask =
  | { readonly kind: 'golden'; readonly model: AccuracyModel; readonly settings: AccuracySettings }
  | { readonly kind: 'iss'; readonly model: AccuracyModel; readonly settings: AccuracySettings; readonly indices: readonly number[] }
  | { readonly kind: 'cycles'; readonly model: AccuracyModel; readonly settings: AccuracySettings; readonly kernels: KernelChoice };

export type AccuracyResult =
  | { readonly kind: 'golden'; readonly images: number; readonly correct: number; readonly seconds: number }
  | ({ readonly kind: 'iss'; readonly kernels: KernelChoice } & IssAgreement)
  | { readonly kind: 'cycles'; readonly kernels: KernelChoice; readonly cycles: number; readonly weightBytes: number };

/** Every task of the bench over a test set of `testCount` images: per model its golden top-1, its cluster check in slices, and its cycles with each kernel choice it has. */
export function accuracyTasks(models: readonly AccuracyModel[], settings: AccuracySettings, testCount: number): AccuracyTask[] {
  const subset = evenSubset(testCount, settings.issImages);
  return models.flatMap((model): AccuracyTask[] => {
    const slices: number[][] = [];
    for (let i = 0; i < subset.length; i += ISS_IMAGES_PER_TASK) slices.push(subset.slice(i, i + ISS_IMAGES_PER_TASK));
    const kernels: KernelChoice[] = model.nm === 'dense' ? ['dense'] : ['dense', 'sparse', 'xnmsparse'];
    return [
      { kind: 'golden', model, settings },
      ...slices.map((indices) => ({ kind: 'iss' as const, model, settings, indices })),
      ...kernels.map((k) => ({ kind: 'cycles' as const, model, settings, kernels: k })),
    ];
  });
}

export function accuracyTaskName(task: AccuracyTask): string {
  const what = task.kind === 'golden' ? `golden top-1 of ${task.settings.testImages} images` : task.kind === 'iss' ? `cluster = golden on ${task.indices.length} images (${task.indices[0]} to ${task.indices[task.indices.length - 1]})` : `cycles, ${task.kernels} kernels`;
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
    const indices = evenSubset(test.count, task.settings.testImages);
    const correct = correctCount(test, indices, goldenPredictions(quantized.network, test, indices));
    return { kind: 'golden', images: indices.length, correct, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
  }
  const compiled = compileModel(bytes, model.file, options);
  if (task.kind === 'iss') return { kind: 'iss', kernels, ...issAgreement(compiled, test, task.indices) };
  const check = issAgreement(compiled, test, [0]);
  if (check.disagreements.length > 0) throw new Error(`${modelLabel(model)}, ${kernels} kernels: the cluster's output differs from the golden network's on image 0`);
  const memory = compiled.compiled.memory;
  return { kind: 'cycles', kernels, cycles: check.cycles, weightBytes: memory.constantBytes.l2 + memory.constantBytes.l3 };
}
