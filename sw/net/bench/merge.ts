/**
 * Joining the rows of the network bench's slices (--shard) into the whole sweep: every expected
 * case exactly once, in case order, the speedups computed over the joined rows. A missing,
 * repeated or unexpected case, or something that is no row, is an error naming it.
 */
import { BenchMergeError, type SliceRows } from '../../kernels/bench/merge.js';
import { type NetworkCase, networkCaseName } from './cases.js';
import { type NetworkRow, withSpeedups } from './measure.js';

const NUMBERS = ['cores', 'cycles', 'weightBytes', 'peakActivationBytes', 'dmaWaitPercent', 'dmaContentionPercent', 'layers', 'tiles', 'simulationSeconds'] as const;
const STRINGS = ['network', 'nm', 'variant'] as const;

function networkRow(value: unknown, where: string): NetworkRow {
  const record = typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  if (!record) throw new BenchMergeError(`${where}: not a network bench row (an object)`);
  const wrong = [
    ...STRINGS.filter((k) => typeof record[k] !== 'string'),
    ...NUMBERS.filter((k) => typeof record[k] !== 'number' || !Number.isFinite(record[k])),
    ...(typeof record['cyclesByKind'] === 'object' && record['cyclesByKind'] !== null ? [] : ['cyclesByKind']),
  ];
  if (wrong.length > 0) throw new BenchMergeError(`${where}: not a network bench row (missing or wrong: ${wrong.join(', ')})`);
  const { speedupVsDense: _, ...row } = record;
  return row as unknown as NetworkRow;
}

export function mergeNetworkSlices(slices: readonly SliceRows[], cases: readonly NetworkCase[]): NetworkRow[] {
  const found = new Map<string, NetworkRow>();
  for (const slice of slices) {
    if (!Array.isArray(slice.rows)) throw new BenchMergeError(`${slice.source}: not a list of network bench rows`);
    slice.rows.forEach((value, i) => {
      const row = networkRow(value, `${slice.source}, row ${i}`);
      const name = networkCaseName(row);
      if (found.has(name)) throw new BenchMergeError(`${slice.source}: case ${name} is in more than one row`);
      found.set(name, row);
    });
  }
  const expected = new Set(cases.map(networkCaseName));
  const unexpected = [...found.keys()].find((name) => !expected.has(name));
  if (unexpected) throw new BenchMergeError(`case ${unexpected} is not one of the sweep's (run the slices and the merge with the same options)`);
  const missing = cases.map(networkCaseName).filter((name) => !found.has(name));
  if (missing.length > 0) throw new BenchMergeError(`missing case${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: a slice is lost or incomplete`);
  return withSpeedups(cases.map((c) => found.get(networkCaseName(c))!));
}
