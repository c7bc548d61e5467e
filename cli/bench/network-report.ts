// The network bench's report: one table per network (text or Markdown), with the paper's
// whole-network speedup beside ours at 1:16, or the rows as JSON.
import { figuresAlign, formatTable, markdownTable } from '../../gen/text-table.js';
import { BENCH_NETWORKS } from '../../sw/net/bench/cases.js';
import type { NetworkRow } from '../../sw/net/bench/measure.js';
import type { ReportFormat } from './report.js';
import { PAPER_NETWORK_SPEEDUPS, PAPER_NETWORK_SPARSITY } from './paper.js';

const HEADER = ['kernels', 'N:M', 'cores', 'cycles', 'vs dense', 'paper', 'weights KiB', 'peak act. KiB', 'DMA wait %', 'DMA bank %', 'conv %', 'fc/matmul %', 'other %', 'sim s'];

const paperFor = (row: NetworkRow): string => {
  const family = Object.keys(PAPER_NETWORK_SPEEDUPS).find((f) => row.network.startsWith(f));
  return family && row.nm === PAPER_NETWORK_SPARSITY && row.variant === 'sparse' ? `${PAPER_NETWORK_SPEEDUPS[family]!.toFixed(2)}x` : '';
};

function cells(row: NetworkRow): string[] {
  const kinds = row.cyclesByKind;
  const share = (cycles: number): string => ((100 * cycles) / row.cycles).toFixed(1);
  const conv = (kinds['conv'] ?? 0) + (kinds['pointwise'] ?? 0) + (kinds['dw'] ?? 0);
  const dense = (kinds['fc'] ?? 0) + (kinds['matmul'] ?? 0);
  const counted = Object.values(kinds).reduce((a, b) => a + b, 0);
  return [
    row.variant,
    row.nm,
    String(row.cores),
    String(row.cycles),
    row.speedupVsDense === undefined ? '' : `${row.speedupVsDense.toFixed(2)}x`,
    paperFor(row),
    (row.weightBytes / 1024).toFixed(0),
    (row.peakActivationBytes / 1024).toFixed(0),
    row.dmaWaitPercent.toFixed(1),
    row.dmaContentionPercent.toFixed(1),
    share(conv),
    share(dense),
    share(counted - conv - dense),
    row.simulationSeconds.toFixed(1),
  ];
}

export function formatNetworkReport(rows: readonly NetworkRow[], format: ReportFormat): string {
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  const align = figuresAlign(HEADER);
  const tables = [...new Set(rows.map((r) => r.network))].map((name) => {
    const description = BENCH_NETWORKS.find((n) => n.name === name)?.description;
    return { title: `${name}${description ? ` (${description})` : ''}`, rows: rows.filter((r) => r.network === name).map(cells) };
  });
  const note = `paper: its whole-network speedup over dense (abstract; the sparsity it is reached at is not stated, shown at ${PAPER_NETWORK_SPARSITY} software)`;
  if (format === 'markdown') return `${tables.map((t) => `### ${t.title}\n\n${markdownTable(HEADER, t.rows, align)}\n`).join('\n')}\n${note}\n`;
  return `${tables.map((t) => `${t.title}\n${formatTable(HEADER, t.rows, align)}\n`).join('\n')}${note}\n`;
}
