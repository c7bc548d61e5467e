// The package as npm ships it: packed (`npm pack`, without rebuilding: `npm test` has just built
// dist/), unpacked into another project's node_modules, and run with plain Node. It holds
// everything the command needs at run time, the C platform files and the training recipe's Python,
// nothing of the tests, and its HDL sites name the TypeScript sources exactly as the README shows.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-package-'));
const installed = path.join(scratch, 'node_modules', 'nmsparse');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let files: string[] = [];

beforeAll(() => {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const packed = JSON.parse(execFileSync(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: root, encoding: 'utf8' })) as
    { filename: string; files: { path: string }[] }[];
  files = packed[0]!.files.map((f) => f.path).sort();
  mkdirSync(installed, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(scratch, packed[0]!.filename), '-C', installed, '--strip-components=1']);
  // The dependencies npm would install (here, where Node's resolution finds them from the package).
  symlinkSync(path.join(root, 'node_modules'), path.join(installed, 'node_modules'), 'dir');
});

function nmsparse(packageRoot: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [path.join(packageRoot, 'bin', 'nmsparse.js'), ...args], { cwd: scratch, encoding: 'utf8' });
}

describe('the nmsparse package', () => {
  it('runs compiled JavaScript; tsx is for development only', () => {
    const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as
      { bin: Record<string, string>; dependencies: Record<string, string>; scripts: Record<string, string> };
    expect(manifest.bin).toEqual({ nmsparse: 'bin/nmsparse.js' });
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx');
    expect(readFileSync(path.join(root, 'bin', 'nmsparse.js'), 'utf8')).toContain("import('../dist/cli/main.js')");
    expect(manifest.scripts.prepare).toBe('npm run build');
  });

  it('holds the command, its compiled modules with their source maps, and the C platform files, nothing else', () => {
    expect(files).toEqual(expect.arrayContaining([
      'bin/nmsparse.js', 'dist/cli/main.js', 'dist/hw/examples/counter.js', 'dist/hw/examples/counter.js.map',
      'sw/platform/crt0.S', 'sw/platform/crt0-cluster.S', 'sw/platform/clear-bss.inc', 'sw/platform/link.ld', 'sw/platform/nmsparse_platform.h',
      'sw/train/python/train.py',
    ]));
    const unexpected = files.filter((f) => !/^(bin\/|dist\/|sw\/platform\/|sw\/train\/python\/[a-z_]+\.py$|package\.json$|README\.md$|LICENSE$)/.test(f));
    expect(unexpected).toEqual([]);
    expect(files.filter((f) => /^dist\/(test|bench)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')))).toEqual([]);
  });

  it('prints the README\'s Verilog for gen counter, its sites in the TypeScript sources', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const run = nmsparse(installed, 'gen', 'counter', '--param', 'width=4');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('(* src = "hw/examples/counter.ts:5.20" *) input  wire enable');
    expect(readme).toContain(`$ npx nmsparse gen counter --param width=4\n${run.stdout}`);
  });

  it('assembles and simulates a program', () => {
    const run = nmsparse(installed, 'sim', path.join(root, 'docs', 'examples', 'gather.S'), '--xnmsparse');
    expect(run.status).toBe(73);
  });

  it('says how to build it when dist/ is missing, without a stack trace', () => {
    const unbuilt = path.join(scratch, 'unbuilt');
    mkdirSync(path.join(unbuilt, 'bin'), { recursive: true });
    for (const file of ['package.json', 'bin/nmsparse.js']) copyFileSync(path.join(root, file), path.join(unbuilt, file));
    const run = nmsparse(unbuilt, '--help');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^nmsparse: the command is not built \(.*dist\/cli\/main\.js is missing\): run `npm run build` in the package folder\n$/);
  });
});
