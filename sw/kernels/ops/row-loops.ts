/**
 * Assembly helpers the row-wise operator kernels share (softmax.ts, layernorm.ts, gelu.ts): the
 * per-core entry points over a split of the rows, and a loop of a count known when the code is
 * generated, as a hardware loop over an unrolled body with the leftover iterations written out
 * after it (no special case inside the hot loop).
 */
import type { Range } from '../layers/split.js';

/** A token matrix of `rows` tokens by `cols` features (T x 1 x D in sw/net/graph.ts), row-major. */
export interface TokenMatrix {
  readonly rows: number;
  readonly cols: number;
}

/**
 * `core_<i>` for every core: a core with work runs `setup(range)` (its registers) and jumps to
 * `body`; a core without work goes straight to `kernel_end`.
 */
export function coreEntryLines(ranges: readonly Range[], body: string, setup: (range: Range, core: number) => string[]): string[] {
  return ranges.flatMap((range, core) => [`core_${core}:`, ...(range.count === 0 ? ['  j kernel_end'] : [...setup(range, core), `  j ${body}`])]);
}

/**
 * `count` iterations of one element's work: floor(count / unroll) passes of `unrolled` (the
 * unroll elements' lines, interleaved by the caller to hide load latencies) in hardware loop 0,
 * then `single` once per leftover element. `counter` is a scratch register. A hardware loop's body
 * needs 3 or more instructions.
 */
export function countedLoopLines(label: string, count: number, unroll: number, unrolled: readonly string[], single: readonly string[], counter: string): string[] {
  if (unrolled.length < 3) throw new RangeError(`${label}: a hardware loop body of ${unrolled.length} instructions (3 at least)`);
  const passes = Math.floor(count / unroll);
  const loop = passes === 0 ? [] : [`  li ${counter}, ${passes}`, `  cv.setup 0, ${counter}, ${label}`, ...unrolled, `${label}:`];
  return [...loop, ...Array.from({ length: count % unroll }, () => single).flat()];
}


/**
 * Several elements' code, step by step: each element is a list of steps (a step is one or more
 * lines), and step k of every element comes before step k + 1 of any, so that with two or more
 * elements an instruction is never followed by one that uses its result.
 */
export function interleave(elements: readonly (readonly (readonly string[])[])[]): string[] {
  return elements[0]!.flatMap((_, step) => elements.flatMap((steps) => steps[step]!));
}
