import path from 'node:path';
import { coreArea, coreAreaTable } from '../../gen/synth/core-area.js';
import { extensionArea, extensionAreaTable } from '../../gen/synth/extension-area.js';
import { macArea, macAreaTable } from '../../gen/synth/mac-area.js';
import { figuresAlign, formatTable, markdownTable } from '../../gen/text-table.js';
import { BENCH_LAYERS, benchCases } from '../../sw/kernels/bench/cases.js';
import { type BenchRow, summarize } from '../../sw/kernels/bench/measure.js';
import { runSweep } from '../../sw/kernels/bench/sweep.js';
import { checkOutputDirectory, writeFileAtomic } from '../../util/atomic-write.js';
import { SPEEDUP_ALIGN, SPEEDUP_HEADER, speedupFigures, speedupTableRows } from '../bench/kernel-speedups.js';
import { parseJobs } from '../bench/options.js';
import { PAPER_CORES, PAPER_DENSE_MAC_PER_CYCLE, PAPER_EXTENSION_OVER_SPARSE, PAPER_SPARSE_OVER_DENSE } from '../bench/paper.js';
import { progressLine } from '../bench/progress.js';
import { speedupFigureSvg } from '../bench/speedup-figure.js';
import { runCommand } from '../errors.js';
import { BENCH_NETWORKS, networkCases } from '../../sw/net/bench/cases.js';
import { withSpeedups } from '../../sw/net/bench/measure.js';
import { runNetworkSweep } from './bench-networks.js';
import { formatNetworkReport } from '../bench/network-report.js';
import { libraryFrom, type LibraryOptions } from '../library-options.js';
import { accuracySection } from './reproduce-accuracy.js';

export interface ReproduceOptions extends LibraryOptions {
  out: string;
  jobs?: string;
  manifest?: string;
  issImages?: string;
}

/** The paper's speedups are for convolutions on its 8-core cluster: ours are the bench's big 3x3 convolutions there, at every sparsity. */
async function kernelRows(jobs: number): Promise<BenchRow[]> {
  const cases = benchCases(
    BENCH_LAYERS.filter((l) => l.kind === 'conv'),
    [PAPER_CORES],
  );
  return summarize(await runSweep(cases, { jobs, onProgress: progressLine }));
}

export function reproduce(options: ReproduceOptions): Promise<void> {
  return runCommand(async () => {
    checkOutputDirectory(options.out);
    const jobs = parseJobs(options.jobs);
    const library = libraryFrom(options);
    const started = process.hrtime.bigint();
    const written: string[] = [];
    const write = (file: string, data: string): void => {
      writeFileAtomic(path.join(options.out, file), data);
      written.push(file);
    };

    const area = await extensionArea();
    const mac = await macArea();
    const macReal = options.liberty ? await macArea(library) : undefined;
    const core = await coreArea(library);
    const tables: { title: string; header: string[]; rows: string[][]; notes?: readonly string[] }[] = [extensionAreaTable(area), macAreaTable(mac, macReal), coreAreaTable(core)];
    const notes = (t: (typeof tables)[number]): string => (t.notes ? `${t.notes.join('\n')}\n` : '');
    process.stdout.write(tables.map((t) => `${t.title}\n${formatTable(t.header, t.rows, figuresAlign(t.header))}\n${notes(t)}`).join('\n'));
    write('area.md', tables.map((t) => `# ${t.title}\n\n${markdownTable(t.header, t.rows, figuresAlign(t.header))}\n\n${notes(t)}`).join('\n'));
    write('area.json', JSON.stringify({ revision1: area, revision2: { builtIn: mac, liberty: macReal }, core }, null, 2) + '\n');

    const benchRows = await kernelRows(jobs);
    const figures = speedupFigures(benchRows);
    const speedupTitle = `Kernel speedups: the big 3x3 convolutions on ${PAPER_CORES} cores, beside the paper's`;
    const table = speedupTableRows(figures);
    process.stdout.write(`\n${speedupTitle}\n${formatTable(SPEEDUP_HEADER, table, SPEEDUP_ALIGN)}\n`);
    write('kernels.md', `# ${speedupTitle}\n\n${markdownTable(SPEEDUP_HEADER, table, SPEEDUP_ALIGN)}\n\n![speedup over dense at each sparsity](speedup.svg)\n`);
    const paper = { cores: PAPER_CORES, denseMacPerCycle: PAPER_DENSE_MAC_PER_CYCLE, sparseOverDense: PAPER_SPARSE_OVER_DENSE, extensionOverSparse: PAPER_EXTENSION_OVER_SPARSE };
    write('kernels.json', JSON.stringify({ paper, figures, rows: benchRows }, null, 2) + '\n');
    write('speedup.svg', await speedupFigureSvg(benchRows, `Speedup over dense: big 3x3 convolutions, ${PAPER_CORES} cores`));

    const networkRows = withSpeedups(await runNetworkSweep(networkCases(BENCH_NETWORKS, [PAPER_CORES]), jobs));
    const networksTitle = `Whole networks on ${PAPER_CORES} cores: dense, and N:M sparse with the software and the Xnmsparse kernels`;
    process.stdout.write(`\n${networksTitle}\n${formatNetworkReport(networkRows, 'text')}`);
    write('networks.md', `# ${networksTitle}\n\n${formatNetworkReport(networkRows, 'markdown')}`);
    write('networks.json', formatNetworkReport(networkRows, 'json'));

    await accuracySection({ jobs, write, out: options.out, ...(options.manifest === undefined ? {} : { manifest: options.manifest }), ...(options.issImages === undefined ? {} : { issImages: options.issImages }) });

    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`\nwrote ${written.map((f) => path.join(options.out, f)).join(', ')} (${seconds.toFixed(1)} s)\n`);
  });
}
