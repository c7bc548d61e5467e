/**
 * What the fuzz suites share: fast-check's parameters and the property they check, that a reader
 * fed bad input throws only the project's own error for it. `npm test` runs a few cases from a
 * fixed seed; `npm run fuzz` sets FUZZ_RUNS for a longer run from a fresh seed, which fast-check
 * prints with any failure (rerun it with FUZZ_SEED=<seed>).
 */
import type { Parameters } from 'fast-check';

const longRuns = process.env.FUZZ_RUNS === undefined ? undefined : Number(process.env.FUZZ_RUNS);
const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);

/** `quickRuns` cases in `npm test`, FUZZ_RUNS under `npm run fuzz`. */
export function fuzzParameters<T>(quickRuns: number): Parameters<T> {
  return {
    numRuns: longRuns ?? quickRuns,
    // The quick run is the same every time; a long run explores from a new seed unless told one.
    seed: seed ?? (longRuns === undefined ? 11 : Date.now() % 0x7fffffff),
  };
}

/** vitest's time limit for one fuzz test: the default for the quick run, an hour for a long one. */
export const fuzzTimeout: number | undefined = longRuns === undefined ? undefined : 3_600_000;

type ErrorClass = abstract new (...args: never[]) => Error;

/**
 * `action()`, or undefined when it throws one of the `expected` errors (the input's fault, reported
 * as such). Anything else thrown (a TypeError, a RangeError, a plain Error) is a bug and fails the
 * property.
 */
export function unlessRefused<T>(expected: readonly ErrorClass[], action: () => T): T | undefined {
  try {
    return action();
  } catch (error) {
    if (expected.some((type) => error instanceof type)) return undefined;
    throw error;
  }
}

/** An edit of a text: at position `at` (modulo the length), remove `remove` characters, insert `insert`. */
export interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
}

/** `text` mutated by `list`, edit after edit: how the fuzzers turn real inputs into nearly real ones. */
export function applyEdits(text: string, list: readonly Edit[]): string {
  return list.reduce((t, { at, remove, insert }) => {
    const i = at % (t.length + 1);
    return t.slice(0, i) + insert + t.slice(i + remove);
  }, text);
}
