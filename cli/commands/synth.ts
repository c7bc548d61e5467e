import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { synthesize, geLibraryChoice, type LibraryChoice } from '../../gen/synth/flow.js';
import { reportFootnote, reportMarkdown, reportRows, title } from '../../gen/synth/report.js';
import { resolveDesignParams } from '../../hw/params.js';
import { elaborate } from '../../hw/hdl/index.js';
import { collect, lookupDesign } from '../design-args.js';
import { runCommand, UsageError } from '../errors.js';
import { figuresAlign, formatTable } from '../../gen/text-table.js';

interface SynthOptions {
  param: string[];
  liberty?: string;
  areaUnit: string;
  json?: boolean;
  markdown?: boolean;
}

function libraryFrom(options: SynthOptions): LibraryChoice {
  if (!options.liberty) return geLibraryChoice;
  let text: string;
  try {
    text = readFileSync(options.liberty, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read Liberty file '${options.liberty}': ${(e as Error).message}`);
  }
  return { text, origin: options.liberty, areaUnit: options.areaUnit };
}

export function registerSynth(program: Command): void {
  program
    .command('synth')
    .description('synthesize a design with Yosys and report area, cells, flip-flops and logic depth per module')
    .argument('<design>', 'design name (see `nmsparse list`)')
    .option('-p, --param <name=value>', 'set a parameter (repeatable)', collect, [])
    .option('--liberty <file>', 'map onto this Liberty library instead of the built-in gate-equivalent one')
    .option('--area-unit <unit>', "unit of the Liberty file's area attribute", 'um2')
    .option('--json', 'print the report as JSON')
    .option('--markdown', 'print the report as a Markdown table')
    .action((name: string, options: SynthOptions) =>
      runCommand(async () => {
        const entry = lookupDesign(name);
        const params = resolveDesignParams(entry, options.param);
        const library = libraryFrom(options);
        const { report, cached, wallSeconds } = await synthesize(entry.name, params, elaborate(entry.generator, params), library);
        if (options.json) {
          process.stdout.write(JSON.stringify(report, null, 2) + '\n');
          return;
        }
        if (options.markdown) {
          process.stdout.write(reportMarkdown(report) + '\n');
        } else {
          const { header, rows } = reportRows(report);
          process.stdout.write(`${title(report)}\n\n${formatTable(header, rows, figuresAlign(header))}\n`);
        }
        process.stdout.write(`\n${reportFootnote}\n`);
        process.stdout.write(`wall time ${wallSeconds.toFixed(2)} s${cached ? ' (cached result)' : ''}\n`);
      }),
    );
}
