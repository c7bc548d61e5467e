// The kernel bench's report: one table per layer (text for terminals, Markdown for documents) or
// the rows as JSON. Stalls are shown as a share of the cores' cycles, so that 1- and 8-core rows
// read alike; the JSON keeps the counts.
import { BENCH_LAYERS } from '../../sw/kernels/bench/cases.js';
import type { BenchRow } from '../../sw/kernels/bench/measure.js';
import { figuresAlign, formatTable, markdownTable } from '../../gen/text-table.js';

export type ReportFormat = 'text' | 'markdown' | 'json';

const HEADER = ['variant', 'N:M', 'cores', 'cycles', 'MAC/cycle', 'vs dense', 'vs sparse', 'weight B', 'dense B', 'L1 B', '% bound', 'TCDM %', 'load-use %', 'br+jump %', 'barrier %'];

const times = (x: number | undefined): string => (x === undefined ? '' : `${x.toFixed(2)}x`);

function cells(row: BenchRow, denseWeightBytes: number | undefined): string[] {
  const coreCycles = row.cycles * row.cores;
  const share = (cycles: number): string => ((100 * cycles) / coreCycles).toFixed(1);
  const s = row.stalls;
  return [
    row.variant,
    row.nm,
    String(row.cores),
    String(row.cycles),
    row.macPerCycle.toFixed(2),
    times(row.speedupVsDense),
    times(row.speedupVsSparse),
    String(row.weightBytes),
    denseWeightBytes === undefined ? '' : String(denseWeightBytes),
    String(row.footprintBytes),
    row.boundPercent.toFixed(1),
    share(s.tcdmContention),
    share(s.loadUse),
    share(s.branches + s.jumps),
    share(s.barrier),
  ];
}

interface LayerTable {
  readonly title: string;
  readonly rows: string[][];
}

/** One table per layer, in the rows' order. */
function layerTables(rows: readonly BenchRow[]): LayerTable[] {
  const layers = [...new Set(rows.map((r) => r.layer))];
  return layers.map((name) => {
    const own = rows.filter((r) => r.layer === name);
    const dense = own.find((r) => r.variant === 'dense')?.weightBytes;
    const spec = BENCH_LAYERS.find((l) => l.name === name);
    const shape = spec ? `: ${spec.inH}x${spec.inW}x${spec.inC} -> ${spec.outC}, ${spec.kH}x${spec.kW}` : '';
    return { title: `${name} (${own[0]!.kind}${shape})`, rows: own.map((r) => cells(r, dense)) };
  });
}

export function formatBenchReport(rows: readonly BenchRow[], format: ReportFormat): string {
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  const align = figuresAlign(HEADER);
  const tables = layerTables(rows);
  if (format === 'markdown') return tables.map((t) => `### ${t.title}\n\n${markdownTable(HEADER, t.rows, align)}\n`).join('\n');
  return tables.map((t) => `${t.title}\n${formatTable(HEADER, t.rows, align)}\n`).join('\n');
}
