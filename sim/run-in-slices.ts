/**
 * Running a whole simulation so that it can be interrupted. The simulation is synchronous
 * JavaScript: a signal handler (Ctrl-C) cannot run until the run returns to the event loop. So the
 * run goes in slices: the machine runs up to a cycle limit a few milliseconds of host time ahead,
 * the driver yields to the event loop (where a signal handler may abort `interrupt`), and resumes.
 * A hart or the cluster stopped at a cycle limit and run on ends exactly as one uninterrupted run
 * (the engine tests check it), and the compiled blocks stop at a limit anyway, so slicing costs
 * the hot path nothing: one return to the driver per slice.
 */
import type { Cycles } from '../isa/types.js';
import type { Hart, RunStop } from './core/hart.js';

/** One hart or the cluster: runs until every core halted or mcycle reaches `maxCycles`. */
export interface Machine {
  readonly harts: readonly Hart[];
  run(maxCycles: Cycles): { readonly stop: RunStop; readonly cycles: Cycles; readonly instret: number };
}

export type SlicedStop = RunStop | { readonly kind: 'interrupted'; readonly reason: unknown };

export interface SlicedResult {
  readonly stop: SlicedStop;
  readonly cycles: Cycles;
  readonly instret: number;
}

/** Host time a slice should take: the delay before an interruption is noticed. */
const SLICE_MILLISECONDS = 20;
/** The first slice, in cycles; each next one doubles or halves towards SLICE_MILLISECONDS, up to LONGEST_SLICE. */
const FIRST_SLICE: Cycles = 2 ** 14;
const LONGEST_SLICE: Cycles = 2 ** 32;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Run `machine` until it halts, reaches `maxCycles` (Infinity: no limit) or `interrupt` is
 * aborted, which is noticed between slices; the result then has stop kind 'interrupted' with the
 * signal's reason. An error of the machine (a fault) propagates.
 */
export async function runInSlices(machine: Machine, maxCycles: Cycles, interrupt?: AbortSignal): Promise<SlicedResult> {
  let slice = FIRST_SLICE;
  let reached = Math.max(0, ...machine.harts.map((h) => h.stats.cycles));
  for (;;) {
    const until = Math.min(maxCycles, reached + slice);
    const started = performance.now();
    const result = machine.run(until);
    if (result.stop.kind !== 'cycle-limit' || until >= maxCycles) return result;
    const elapsed = performance.now() - started;
    await yieldToEventLoop();
    if (interrupt?.aborted) return { ...result, stop: { kind: 'interrupted', reason: interrupt.reason } };
    if (elapsed < SLICE_MILLISECONDS / 2) slice = Math.min(slice * 2, LONGEST_SLICE);
    else if (elapsed > SLICE_MILLISECONDS * 2 && slice > 1) slice = Math.floor(slice / 2);
    reached = result.cycles;
  }
}
