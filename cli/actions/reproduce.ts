import path from 'node:path';
import { extensionArea, extensionAreaTable } from '../../gen/synth/extension-area.js';
import { figuresAlign, formatTable, markdownTable } from '../../gen/text-table.js';
import { checkOutputDirectory, writeFileAtomic } from '../../util/atomic-write.js';
import { runCommand } from '../errors.js';

export interface ReproduceOptions {
  out: string;
}

export function reproduce(options: ReproduceOptions): Promise<void> {
  return runCommand(async () => {
    checkOutputDirectory(options.out);
    const started = process.hrtime.bigint();
    const area = await extensionArea();
    const { title, header, rows } = extensionAreaTable(area);
    process.stdout.write(`${title}\n${formatTable(header, rows, figuresAlign(header))}\n`);
    writeFileAtomic(path.join(options.out, 'area.md'), `# ${title}\n\n${markdownTable(header, rows, figuresAlign(header))}\n`);
    writeFileAtomic(path.join(options.out, 'area.json'), JSON.stringify(area, null, 2) + '\n');
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stdout.write(`\nwrote ${path.join(options.out, 'area.md')} and area.json (${seconds.toFixed(1)} s)\n`);
  });
}
