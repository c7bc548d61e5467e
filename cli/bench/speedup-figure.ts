// The speedup-vs-sparsity figure of `nmsparse reproduce`: dense, software sparse and Xnmsparse
// (revision 2, and revision 1 as "Xnmsparse v1") over dense at every sparsity (ours: the best big convolution on 8 cores), with the paper's points,
// as SVG. Written as a Vega-Lite spec, compiled to Vega and rendered by Vega's headless view.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { parsePattern } from '../../sw/sparse/pattern.js';
import type { BenchRow } from '../../sw/kernels/bench/measure.js';
import { sparsitiesOf } from './kernel-speedups.js';
import { PAPER_SPARSE_OVER_DENSE } from './paper.js';

export const SERIES = { dense: 'dense', sparse: 'software sparse', xnmsparse: 'Xnmsparse', 'xnmsparse-v1': 'Xnmsparse v1' } as const;

interface Point {
  readonly nm: string;
  readonly series: string;
  readonly source: 'ours' | 'paper';
  readonly speedup: number;
}

/** Densest first: the speedups grow to the right. Equal densities (1:4, 2:8) in the pattern's order. */
const byDensity = (a: string, b: string): number => {
  const [p, q] = [parsePattern(a), parsePattern(b)];
  return q.n / q.m - p.n / p.m || p.n - q.n;
};

function points(rows: readonly BenchRow[]): Point[] {
  const best = (variant: 'sparse' | 'xnmsparse' | 'xnmsparse-v1', nm: string): number | undefined => {
    const values = rows.filter((r) => r.variant === variant && r.nm === nm && r.speedupVsDense !== undefined).map((r) => r.speedupVsDense!);
    return values.length === 0 ? undefined : Math.max(...values);
  };
  const ours = sparsitiesOf(rows).flatMap((nm): Point[] => [
    { nm, series: SERIES.dense, source: 'ours', speedup: 1 },
    ...(['sparse', 'xnmsparse', 'xnmsparse-v1'] as const).flatMap((v) => {
      const speedup = best(v, nm);
      return speedup === undefined ? [] : [{ nm, series: SERIES[v], source: 'ours' as const, speedup }];
    }),
  ]);
  const paper = Object.entries(PAPER_SPARSE_OVER_DENSE).map(([nm, speedup]): Point => ({ nm, series: SERIES.sparse, source: 'paper', speedup }));
  return [...ours, ...paper];
}

export function speedupFigureSpec(rows: readonly BenchRow[], title: string): TopLevelSpec {
  const values = points(rows);
  const order = [...new Set(values.map((p) => p.nm))].sort(byDensity);
  const encoding = {
    x: { field: 'nm', type: 'ordinal', sort: order, title: 'N:M sparsity', axis: { labelAngle: 0 } },
    y: { field: 'speedup', type: 'quantitative', title: 'speedup over dense (best layer)' },
    color: { field: 'series', type: 'nominal', title: null, scale: { domain: Object.values(SERIES) } },
  } as const;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    width: 420,
    height: 280,
    data: { values: values as unknown as Record<string, unknown>[] },
    layer: [
      { transform: [{ filter: "datum.source === 'ours'" }], mark: { type: 'line', point: true }, encoding: { ...encoding, detail: { field: 'series' } } },
      {
        transform: [{ filter: "datum.source === 'paper'" }],
        mark: { type: 'point', size: 120, filled: false, strokeWidth: 2 },
        encoding: { ...encoding, shape: { field: 'source', type: 'nominal', title: null, scale: { range: ['diamond'] } } },
      },
    ],
  };
}

/** The figure as an SVG document. */
export async function speedupFigureSvg(rows: readonly BenchRow[], title: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(speedupFigureSpec(rows, title)).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
