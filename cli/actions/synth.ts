import { coreArea, coreAreaTable } from '../../gen/synth/core-area.js';
import { synthesize } from '../../gen/synth/flow.js';
import { reportFootnote, reportMarkdown, reportRows, title } from '../../gen/synth/report.js';
import { figuresAlign, formatTable } from '../../gen/text-table.js';
import { elaborate } from '../../hw/hdl/index.js';
import { chooseDesign } from '../design-args.js';
import { runCommand } from '../errors.js';
import { libraryFrom, type LibraryOptions } from '../library-options.js';

export interface SynthOptions extends LibraryOptions {
  param: string[];
  json?: boolean;
  markdown?: boolean;
}

export function synth(name: string, options: SynthOptions): Promise<void> {
  return runCommand(async () => {
    const { entry, params } = chooseDesign(name, options.param);
    const library = libraryFrom(options);
    const { report, cached, wallSeconds } = await synthesize(entry.name, params, elaborate(entry.generator, params), library);
    // The core also gets its unit-by-unit comparison with the CV32E40P and the extension's cost.
    const units = entry.name === 'core' ? await coreArea(library) : undefined;
    if (options.json) {
      process.stdout.write(JSON.stringify(units ? { ...report, units } : report, null, 2) + '\n');
      return;
    }
    if (options.markdown) {
      process.stdout.write(reportMarkdown(report) + '\n');
    } else {
      const { header, rows } = reportRows(report);
      process.stdout.write(`${title(report)}\n\n${formatTable(header, rows, figuresAlign(header))}\n`);
    }
    process.stdout.write(`\n${reportFootnote}\n`);
    if (units) {
      const table = coreAreaTable(units);
      process.stdout.write(`\n${table.title}\n\n${formatTable(table.header, table.rows, figuresAlign(table.header))}\n${table.notes.join('\n')}\n`);
    }
    process.stdout.write(`wall time ${wallSeconds.toFixed(2)} s${cached ? ' (cached result)' : ''}\n`);
  });
}
