// The accuracy bench's report: one table of every model and sparsity, accuracy beside speed (text
// or Markdown), with the evaluation's sizes and speeds under it, or the rows as JSON.
import { figuresAlign, formatTable, markdownTable } from '../../gen/text-table.js';
import type { AccuracyRow } from '../../sw/net/accuracy/rows.js';
import type { ReportFormat } from './report.js';

const HEADER = ['model', 'N:M', 'float %', 'QAT %', 'int8 %', 'drop', 'weights KiB', 'cycles dense', 'cycles sparse', 'cycles Xnmsparse', 'best vs dense', 'cluster images', 'cluster = golden'];

const figure = (x: number | null | undefined, digits: number): string => (x === null || x === undefined ? '' : x.toFixed(digits));
const count = (x: number | undefined): string => (x === undefined ? '' : String(x));

function cells(row: AccuracyRow): string[] {
  const { dense, sparse, xnmsparse } = row.cycles;
  const best = Math.min(...[sparse, xnmsparse].filter((c): c is number => c !== undefined));
  return [
    row.model,
    row.nm,
    figure(row.floatTop1, 2),
    figure(row.qatTop1, 2),
    figure(row.int8Top1, 2),
    figure(row.dropVsDense, 2),
    (row.weightBytes / 1024).toFixed(1),
    count(dense),
    count(sparse),
    count(xnmsparse),
    dense !== undefined && Number.isFinite(best) ? `${(dense / best).toFixed(2)}x` : '',
    String(row.issImages),
    row.issImages === 0 ? '' : row.issAgreesWithGolden ? 'all' : `${row.issImages - row.issDisagreements.length} (differs: ${row.issDisagreements.join(', ')})`,
  ];
}

/** What the figures are and what they cost to measure, under the table. */
function notes(rows: readonly AccuracyRow[]): string[] {
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const iss = rows.flatMap((r) => (r.issSecondsPerImage === null ? [] : [r.issSecondsPerImage]));
  const testImages = [...new Set(rows.map((r) => r.testImages))].join(' or ');
  return [
    `int8: top-1 of the golden integer network over ${testImages} test images; drop: points below the same model's dense int8; float and QAT (int8 fake-quantized): from training; cycles: one inference on 8 cores`,
    `cluster = golden: of the images run on the simulated cluster (Xnmsparse kernels for N:M, dense else), those whose every output byte equals the golden network's`,
    `golden network ${mean(rows.map((r) => r.goldenImagesPerSecond)).toFixed(0)} images/s${iss.length === 0 ? '' : `, cluster simulation ${mean(iss).toFixed(2)} s/image`} (means over the rows, this machine)`,
  ];
}

export function formatAccuracyReport(rows: readonly AccuracyRow[], format: ReportFormat): string {
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n';
  const table = rows.map(cells);
  const align = figuresAlign(HEADER);
  if (format === 'markdown') return `${markdownTable(HEADER, table, align)}\n\n${notes(rows).join('\n\n')}\n`;
  return `${formatTable(HEADER, table, align)}\n${notes(rows).join('\n')}\n`;
}
