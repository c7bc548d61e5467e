/**
 * Joining the rows of a sweep's slices (shard.ts), run anywhere and read back from their JSON, into
 * the report of the whole sweep: every expected case exactly once, in case order. A missing,
 * repeated or unexpected case is an error that names it, so a lost array task or a slice run with
 * other options cannot pass for a complete report.
 */
import { caseName } from './case-name.js';
import type { BenchCase } from './cases.js';
import type { BenchRow, BenchStalls } from './measure.js';

/** Rows that do not make up the expected sweep, or that are not rows of the bench. */
export class BenchMergeError extends Error {
  override name = 'BenchMergeError';
}

/** The rows of one slice, and where they came from (a file name) for messages. */
export interface SliceRows {
  readonly source: string;
  readonly rows: unknown;
}

const NUMBERS = ['cores', 'cycles', 'macs', 'macPerCycle', 'weightBytes', 'weightValueBytes', 'weightIndexBytes', 'footprintBytes', 'boundCycles', 'boundPercent', 'instructions'] as const;
const STRINGS = ['layer', 'kind', 'variant', 'nm'] as const;
const STALLS: readonly (keyof BenchStalls)[] = ['tcdmContention', 'loadUse', 'branches', 'jumps', 'multiCycle', 'barrier', 'l2Wait'];

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` as a row, without the speedups (they depend on the other rows: the merged report recomputes them). */
function benchRow(value: unknown, where: string): BenchRow {
  if (!isRecord(value)) throw new BenchMergeError(`${where}: not a bench row (an object)`);
  const wrong = [
    ...STRINGS.filter((k) => typeof value[k] !== 'string'),
    ...NUMBERS.filter((k) => typeof value[k] !== 'number' || !Number.isFinite(value[k])),
    ...(isRecord(value['stalls']) ? STALLS.filter((k) => typeof (value['stalls'] as Record<string, unknown>)[k] !== 'number').map((k) => `stalls.${k}`) : ['stalls']),
    ...(Array.isArray(value['perCore']) && value['perCore'].every(isRecord) ? [] : ['perCore']),
  ];
  if (wrong.length > 0) throw new BenchMergeError(`${where}: not a bench row (missing or wrong: ${wrong.join(', ')})`);
  const { speedupVsDense: _dense, speedupVsSparse: _sparse, ...row } = value;
  return row as unknown as BenchRow;
}

/** The rows of `expected`, in its order, from the slices; throws a BenchMergeError naming what does not fit. */
export function mergeSlices(slices: readonly SliceRows[], expected: readonly BenchCase[]): BenchRow[] {
  const wanted = new Set(expected.map(caseName));
  const found = new Map<string, { row: BenchRow; where: string }>();
  for (const { source, rows } of slices) {
    if (!Array.isArray(rows)) throw new BenchMergeError(`${source}: not a list of bench rows (a JSON array, as \`bench kernels --json\` writes)`);
    rows.forEach((value: unknown, i) => {
      const where = `${source}, row ${i + 1}`;
      const row = benchRow(value, where);
      const key = caseName(row);
      if (!wanted.has(key)) throw new BenchMergeError(`${where}: case ${key} is not one of the sweep's (other --layers or --cores?)`);
      const seen = found.get(key);
      if (seen) throw new BenchMergeError(`case ${key} appears twice: ${seen.where} and ${where}`);
      found.set(key, { row, where });
    });
  }
  const missing = expected.map(caseName).filter((key) => !found.has(key));
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).join('; ') + (missing.length > 5 ? `; and ${missing.length - 5} more` : '');
    throw new BenchMergeError(`${missing.length} of ${expected.length} cases missing: ${shown}`);
  }
  return expected.map((c) => found.get(caseName(c))!.row);
}
