// reproduce's speedup-vs-sparsity figure, rendered by Vega from a small row set (the sweep's
// stand-in worker): a well-formed SVG document with every series and the paper's points.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { speedupFigureSvg } from '../../cli/bench/speedup-figure.js';
import { speedupFigures, speedupTableRows } from '../../cli/bench/kernel-speedups.js';
import { BENCH_LAYERS, benchCases } from '../../sw/kernels/bench/cases.js';
import { summarize } from '../../sw/kernels/bench/measure.js';
import { runSweep } from '../../sw/kernels/bench/sweep.js';

const worker = new URL('../kernels/bench/fixtures/fake-worker.mjs', import.meta.url);
const rows = summarize(await runSweep(benchCases(BENCH_LAYERS.filter((l) => l.kind === 'conv').slice(0, 2), [8]), { jobs: 1, worker }));

describe('kernel speedups of reproduce', () => {
  it('renders the figure as SVG with every series', async () => {
    const svg = await speedupFigureSvg(rows, 'a title');
    expect(XMLValidator.validate(svg)).toBe(true);
    const document = new XMLParser({ ignoreAttributes: false }) .parse(svg) as Record<string, unknown>;
    expect(Object.keys(document)).toEqual(['svg']);
    for (const text of ['dense', 'software sparse', 'Xnmsparse', 'Xnmsparse v1', 'paper', 'a title', 'N:M sparsity', 'speedup over dense (best layer)', '1:16']) expect(svg).toContain(`>${text}<`);
  });

  it('puts the paper beside the best and worst layer at each sparsity', () => {
    const figures = speedupFigures(rows);
    const at18 = figures.find((f) => f.figure === 'software sparse over dense' && f.nm === '1:8')!;
    const speedups = rows.filter((r) => r.variant === 'sparse' && r.nm === '1:8').map((r) => r.speedupVsDense!);
    expect(at18).toMatchObject({ paper: 2.1, best: Math.max(...speedups), worst: Math.min(...speedups) });
    expect(speedupTableRows([at18])[0]).toEqual(['software sparse over dense', '1:8', '2.10x', `${at18.best.toFixed(2)}x`, at18.bestLayer, `${at18.worst.toFixed(2)}x`]);
    expect(figures.find((f) => f.nm === 'best of all')?.paper).toBe(1.9);
    expect(figures.find((f) => f.figure === 'dense MAC/cycle')?.paper).toBe(15.5);
  });
});
