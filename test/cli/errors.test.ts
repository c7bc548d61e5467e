// What nmsparse prints when something fails that is not the user's mistake, and the options every
// command shares: --version, --help.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { internalErrorText } from '../../cli/internal-error.js';
import { nmsparse } from './run-nmsparse.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-errors-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('an internal error', () => {
  const bug = new TypeError("Cannot read properties of undefined (reading 'x')\nsecond line");

  it('is one line that says it is a bug and how to report it', () => {
    expect(internalErrorText(bug, false)).toBe(
      "nmsparse: internal error (a bug in nmsparse): TypeError: Cannot read properties of undefined (reading 'x') second line; " +
        'please report it on the nmsparse issue tracker with the command line and its input files (NMSPARSE_DEBUG=1 prints the stack trace)\n',
    );
  });

  it('is followed by the stack trace with NMSPARSE_DEBUG=1', () => {
    const text = internalErrorText(bug, true);
    expect(text.split('\n')[0]).toMatch(/^nmsparse: internal error .*input files$/);
    expect(text).toContain(`\n${bug.stack}\n`);
  });

  // A real failure inside a command: the process's stdout is broken by a preloaded module.
  const preload = path.join(scratch, 'broken-stdout.mjs');
  writeFileSync(preload, 'process.stdout.write = () => { throw new TypeError("stdout is broken"); };\n');
  const nodeOptions = `--import=${pathToFileURL(preload).href}`;

  it('exits with status 70 and no stack trace', async () => {
    const result = await nmsparse(['list'], { env: { NODE_OPTIONS: nodeOptions } });
    expect(result.code).toBe(70);
    expect(result.stderr).toMatch(/^nmsparse: internal error \(a bug in nmsparse\): TypeError: stdout is broken; please report it [^\n]*\n$/);
  });

  it('shows where it happened with NMSPARSE_DEBUG=1', async () => {
    const result = await nmsparse(['list'], { env: { NODE_OPTIONS: nodeOptions, NMSPARSE_DEBUG: '1' } });
    expect(result.code).toBe(70);
    expect(result.stderr).toMatch(/\n {4}at .*cli\/actions\/list\.[jt]s/);
  });
});

describe('the options of the program', () => {
  it('--version prints the version of the package', async () => {
    const { version } = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) expect(await nmsparse([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('--help lists every command', async () => {
    const help = await nmsparse(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['list', 'gen', 'synth', 'sim', 'reproduce']) expect(help.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });
});
