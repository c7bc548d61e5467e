/**
 * The module each worker thread of the accuracy bench loads (sw/kernels/bench/sweep.ts runPool):
 * one task is one job. Worker threads load plain JavaScript, so the bench points them at this
 * file's compiled twin in dist/.
 */
import { type AccuracyResult, type AccuracyTask, runAccuracyTask } from './tasks.js';

export default function runTask(task: AccuracyTask): AccuracyResult {
  return runAccuracyTask(task);
}

/** This module as the pool loads it: the build's copy when run from the TypeScript sources. */
export const ACCURACY_WORKER: URL = import.meta.url.endsWith('.ts')
  ? new URL('../../../dist/sw/net/accuracy/worker.js', import.meta.url)
  : new URL('./worker.js', import.meta.url);
