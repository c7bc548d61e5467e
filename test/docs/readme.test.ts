// The README quotes the output of its runnable examples; this keeps the quotes true.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-readme-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function runExample(file: string): Promise<string> {
  // What `npx tsx` runs, from another working directory.
  const { stdout } = await promisify(execFile)(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, file)], { cwd: scratch });
  return stdout;
}

describe('README examples', () => {
  it.each(['docs/examples/simulate-counter.ts', 'docs/examples/width-error.ts'])('%s prints what the README shows', async (file) => {
    const output = await runExample(file);
    // Site paths are relative to the project root whatever the working directory.
    expect(readme).toContain(`$ npx tsx ${file}\n${output}`);
  });

  it('the counter example writes its waveform', async () => {
    await runExample('docs/examples/simulate-counter.ts');
    expect(statSync(path.join(scratch, 'counter.vcd')).size).toBeGreaterThan(100);
  });
});
