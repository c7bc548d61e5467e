/**
 * The module each worker thread of a sweep (sweep.ts) loads: one task is one case. Worker threads
 * load plain JavaScript, so a sweep points them at this file's compiled twin in dist/.
 */
import type { BenchCase } from './cases.js';
import { type BenchRow, runBenchCase } from './measure.js';

export default function runCase(benchCase: BenchCase): BenchRow {
  return runBenchCase(benchCase);
}
