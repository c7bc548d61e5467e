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

/** What `npx tsx` runs, from another working directory: the terminal's output and the exit status. */
async function runExample(file: string): Promise<{ output: string; code: number }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join(root, file)], { cwd: scratch });
    return { output: stdout + stderr, code: 0 };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { output: failed.stdout + failed.stderr, code: failed.code };
  }
}

describe('README examples', () => {
  it.each([
    ['docs/examples/simulate-counter.ts', 0],
    ['docs/examples/width-error.ts', 1],
  ])('%s prints what the README shows and exits with %i', async (file, status) => {
    const { output, code } = await runExample(file);
    // Site paths are relative to the project root whatever the working directory.
    expect(readme).toContain(`$ npx tsx ${file}\n${output}`);
    expect(code).toBe(status);
  });

  it('the counter example writes its waveform', async () => {
    await runExample('docs/examples/simulate-counter.ts');
    expect(statSync(path.join(scratch, 'counter.vcd')).size).toBeGreaterThan(100);
  });
});
