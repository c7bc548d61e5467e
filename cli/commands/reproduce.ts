import type { Command } from 'commander';
import path from 'node:path';
import { extensionArea, extensionAreaTable } from '../../gen/synth/extension-area.js';
import { runCommand } from '../errors.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { figuresAlign, formatTable, markdownTable } from '../../gen/text-table.js';

export function registerReproduce(program: Command): void {
  program
    .command('reproduce')
    .description("regenerate the project's headline tables (today: the extension's area) as text, Markdown and JSON")
    .option('-o, --out <dir>', 'directory for the Markdown and JSON files', 'results')
    .action((options: { out: string }) =>
      runCommand(async () => {
        const started = process.hrtime.bigint();
        const area = await extensionArea();
        const { title, header, rows } = extensionAreaTable(area);
        process.stdout.write(`${title}\n${formatTable(header, rows, figuresAlign(header))}\n`);
        writeFileAtomic(path.join(options.out, 'area.md'), `# ${title}\n\n${markdownTable(header, rows, figuresAlign(header))}\n`);
        writeFileAtomic(path.join(options.out, 'area.json'), JSON.stringify(area, null, 2) + '\n');
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        process.stdout.write(`\nwrote ${path.join(options.out, 'area.md')} and area.json (${seconds.toFixed(1)} s)\n`);
      }),
    );
}
