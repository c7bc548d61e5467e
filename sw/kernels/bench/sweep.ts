/**
 * Running the cases of a bench side by side on a pool of worker threads (tinypool): the kernel
 * bench's here, the network bench's (sw/net/bench/) through the same runPool. Every case is a pure
 * function of itself (measure.ts), so the rows do not depend on the job count or on which worker
 * ran which case; they come back in case order.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';
import { caseName } from './case-name.js';
import type { BenchCase } from './cases.js';
import type { BenchRow } from './measure.js';

/**
 * The compiled worker module. Run from the TypeScript sources (tsx, vitest) this file is
 * sweep.ts, and the workers take the build's copy in dist/ (`npm run build`): a worker thread has
 * no TypeScript loader.
 */
export const BENCH_WORKER: URL = import.meta.url.endsWith('.ts')
  ? new URL('../../../dist/sw/kernels/bench/worker.js', import.meta.url)
  : new URL('./worker.js', import.meta.url);

/** A case just finished. */
export interface SweepProgress {
  /** Cases finished so far, this one included. */
  readonly done: number;
  readonly total: number;
  /** The case's name (caseName, or the network bench's). */
  readonly name: string;
  /** Milliseconds since the sweep started. */
  readonly elapsedMs: number;
}

export interface SweepOptions {
  /** Cases simulated at once; 1 runs them one after the other in this thread. */
  readonly jobs: number;
  /** A module whose default export maps a case to its row (tests give their own); BENCH_WORKER by default. */
  readonly worker?: URL;
  readonly onProgress?: (progress: SweepProgress) => void;
}

/** The kernel bench's row of every case, in the order of `cases`. */
export function runSweep(cases: readonly BenchCase[], options: SweepOptions): Promise<BenchRow[]> {
  return runPool<BenchCase, BenchRow>(cases, { ...options, worker: options.worker ?? BENCH_WORKER, name: caseName });
}

export interface PoolOptions<Case> extends SweepOptions {
  /** The module whose default export maps a case to its row. */
  readonly worker: URL;
  readonly name: (benchCase: Case) => string;
}

/** The row of every case, in the order of `cases`, from `worker` on `jobs` threads. */
export async function runPool<Case, Row>(cases: readonly Case[], options: PoolOptions<Case>): Promise<Row[]> {
  type CaseRunner = (benchCase: Case) => Row | Promise<Row>;
  const { jobs, worker } = options;
  if (!Number.isInteger(jobs) || jobs < 1) throw new RangeError(`jobs must be a positive integer, got ${jobs}`);
  if (!existsSync(fileURLToPath(worker))) throw new Error(`the bench worker ${fileURLToPath(worker)} is missing: run \`npm run build\``);
  const started = Date.now();
  let done = 0;
  const finished = (benchCase: Case): void => {
    done++;
    options.onProgress?.({ done, total: cases.length, name: options.name(benchCase), elapsedMs: Date.now() - started });
  };
  const failed = (benchCase: Case, e: unknown): never => {
    throw new Error(`bench case ${options.name(benchCase)}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  };

  if (jobs === 1) {
    const run = ((await import(worker.href)) as { default: CaseRunner }).default;
    const rows: Row[] = [];
    for (const benchCase of cases) {
      try {
        rows.push(await run(benchCase));
      } catch (e) {
        failed(benchCase, e);
      }
      finished(benchCase);
    }
    return rows;
  }

  // No more threads than cases: each one loads the simulator and the assembler once.
  const threads = Math.max(1, Math.min(jobs, cases.length));
  const pool = new Tinypool({ filename: worker.href, minThreads: threads, maxThreads: threads });
  try {
    return await Promise.all(
      cases.map(async (benchCase) => {
        const row = (await pool.run(benchCase).catch((e: unknown) => failed(benchCase, e))) as Row;
        finished(benchCase);
        return row;
      }),
    );
  } finally {
    await pool.destroy();
  }
}
