// The kernel speedups of `nmsparse reproduce`: from bench rows of the big convolutions on 8 cores,
// dense MAC/cycle and the speedups of the software sparse kernels over dense and of Xnmsparse over
// software sparse at every sparsity, best layer and range over the layers, beside the paper's.
// "Xnmsparse" is the extension's current revision (nm.mac4, variant xnmsparse); revision 1
// (nm.lg, variant xnmsparse-v1) is shown beside it over software sparse, as the step it improves on.
import type { Align } from '../../gen/text-table.js';
import type { BenchRow } from '../../sw/kernels/bench/measure.js';
import { PAPER_DENSE_MAC_PER_CYCLE, PAPER_EXTENSION_OVER_SPARSE, PAPER_SPARSE_OVER_DENSE } from './paper.js';

/** One figure: the paper's (when it gives one) and ours over the layers. */
export interface SpeedupFigure {
  readonly figure: string;
  readonly nm: string;
  readonly paper?: number;
  readonly best: number;
  readonly bestLayer: string;
  readonly worst: number;
}

/** The figure over `rows`, one value per row (rows without a value are left out). */
function over(figure: string, nm: string, rows: readonly BenchRow[], value: (r: BenchRow) => number | undefined, paper?: number): SpeedupFigure[] {
  const valued = rows.flatMap((r) => {
    const v = value(r);
    return v === undefined ? [] : [{ layer: r.layer, v }];
  });
  if (valued.length === 0) return [];
  const best = valued.reduce((a, b) => (b.v > a.v ? b : a));
  return [{ figure, nm, ...(paper === undefined ? {} : { paper }), best: best.v, bestLayer: best.layer, worst: Math.min(...valued.map((x) => x.v)) }];
}

/** The sparsities of the rows, in their order. */
export const sparsitiesOf = (rows: readonly BenchRow[]): string[] => [...new Set(rows.filter((r) => r.nm !== 'dense').map((r) => r.nm))];

/** Every figure of the table, from summarized rows (speedups filled in). */
export function speedupFigures(rows: readonly BenchRow[]): SpeedupFigure[] {
  const of = (variant: string, nm: string): BenchRow[] => rows.filter((r) => r.variant === variant && r.nm === nm);
  const sparsities = sparsitiesOf(rows);
  const extension = rows.filter((r) => r.variant === 'xnmsparse');
  return [
    ...over('dense MAC/cycle', 'dense', of('dense', 'dense'), (r) => r.macPerCycle, PAPER_DENSE_MAC_PER_CYCLE),
    ...sparsities.flatMap((nm) => over('software sparse over dense', nm, of('sparse', nm), (r) => r.speedupVsDense, PAPER_SPARSE_OVER_DENSE[nm])),
    ...sparsities.flatMap((nm) => over('Xnmsparse over software sparse', nm, of('xnmsparse', nm), (r) => r.speedupVsSparse)),
    ...sparsities.flatMap((nm) => over('Xnmsparse v1 over software sparse', nm, of('xnmsparse-v1', nm), (r) => r.speedupVsSparse)),
    ...over('Xnmsparse over software sparse', 'best of all', extension, (r) => r.speedupVsSparse, PAPER_EXTENSION_OVER_SPARSE),
    ...sparsities.flatMap((nm) => over('Xnmsparse over dense', nm, of('xnmsparse', nm), (r) => r.speedupVsDense)),
  ];
}


export const SPEEDUP_HEADER = ['figure', 'N:M', 'paper', 'ours: best', 'best layer', 'ours: worst'];
export const SPEEDUP_ALIGN: Align[] = ['left', 'left', 'right', 'right', 'left', 'right'];

export function speedupTableRows(figures: readonly SpeedupFigure[]): string[][] {
  const value = (f: SpeedupFigure, v: number): string => (f.nm === 'dense' ? v.toFixed(1) : `${v.toFixed(2)}x`);
  return figures.map((f) => [f.figure, f.nm, f.paper === undefined ? '' : value(f, f.paper), value(f, f.best), f.bestLayer, value(f, f.worst)]);
}
