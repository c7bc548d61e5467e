/**
 * The accuracy bench in slices (`--shard i/n`, sw/kernels/bench/shard.ts): a slice runs every n-th
 * task and writes its results with the models and settings it was given, and the merge joins the
 * slices back into the rows, as the kernel and network benches do (their merge.ts). Every task of
 * the sweep must be in exactly one slice, and every slice must be of the same models and settings;
 * anything else is an error naming the slice or the task.
 */
import { BenchMergeError, type SliceRows } from '../../kernels/bench/merge.js';
import { type AccuracyRow, accuracyRows } from './rows.js';
import { type AccuracyResult, type AccuracySettings, type AccuracyTask, accuracyTaskName, accuracyTasks } from './tasks.js';
import type { AccuracyModel } from './models.js';

/** What a slice writes: enough to rebuild the whole sweep's task list. */
export interface AccuracySlice {
  readonly models: readonly AccuracyModel[];
  readonly settings: AccuracySettings;
  readonly testCount: number;
  readonly results: readonly { readonly task: string; readonly result: AccuracyResult }[];
}

export function accuracySlice(models: readonly AccuracyModel[], settings: AccuracySettings, testCount: number, tasks: readonly AccuracyTask[], results: readonly AccuracyResult[]): AccuracySlice {
  return { models, settings, testCount, results: tasks.map((task, i) => ({ task: accuracyTaskName(task), result: results[i]! })) };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function sliceOf(slice: SliceRows): AccuracySlice {
  const value = slice.rows;
  if (!isRecord(value) || !Array.isArray(value['models']) || !isRecord(value['settings']) || typeof value['testCount'] !== 'number' || !Array.isArray(value['results'])) {
    throw new BenchMergeError(`${slice.source}: not a slice of the accuracy bench (give the output of \`bench accuracy --shard i/n\`)`);
  }
  return value as unknown as AccuracySlice;
}

/** The rows of the whole sweep from its slices. */
export function mergeAccuracySlices(slices: readonly SliceRows[]): AccuracyRow[] {
  if (slices.length === 0) throw new BenchMergeError('no slice to merge');
  const read = slices.map(sliceOf);
  const first = read[0]!;
  const sweep = JSON.stringify({ models: first.models, settings: first.settings, testCount: first.testCount });
  read.forEach((s, i) => {
    if (JSON.stringify({ models: s.models, settings: s.settings, testCount: s.testCount }) !== sweep) {
      throw new BenchMergeError(`${slices[i]!.source}: a slice of other models or settings than ${slices[0]!.source} (run every slice with the same models and options)`);
    }
  });
  const found = new Map<string, AccuracyResult>();
  read.forEach((s, i) => {
    for (const { task, result } of s.results) {
      if (found.has(task)) throw new BenchMergeError(`${slices[i]!.source}: task '${task}' is in more than one slice`);
      found.set(task, result);
    }
  });
  const tasks = accuracyTasks(first.models, first.settings, first.testCount);
  const names = new Set(tasks.map(accuracyTaskName));
  const unexpected = [...found.keys()].find((name) => !names.has(name));
  if (unexpected !== undefined) throw new BenchMergeError(`task '${unexpected}' is not one of the sweep's`);
  const missing = tasks.map(accuracyTaskName).filter((name) => !found.has(name));
  if (missing.length > 0) throw new BenchMergeError(`missing task${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}: a slice is lost or incomplete`);
  return accuracyRows(first.models, tasks, tasks.map((task) => found.get(accuracyTaskName(task))!));
}
