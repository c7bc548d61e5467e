// External executables (Icarus Verilog, Verilator): finding them on PATH and running them. What a
// test does when one is missing is test policy (test/support/tools.ts).
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';

/** The Debian package that provides each tool the project runs, for the "how to install" hint. */
const debianPackage: Readonly<Record<string, string>> = {
  iverilog: 'iverilog',
  vvp: 'iverilog',
  verilator: 'verilator',
};

export class ToolMissingError extends Error {
  override name = 'ToolMissingError';

  constructor(readonly tools: readonly string[]) {
    const packages = [...new Set(tools.map((t) => debianPackage[t] ?? t))].join(' ');
    super(`${tools.join(', ')} not found on PATH (install with: apt-get install -y ${packages})`);
  }
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of `name` on PATH, or undefined when it is not installed. */
export function findTool(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  return dirs.map((dir) => join(dir, name)).find(isExecutableFile);
}

export function requireTool(name: string): string {
  const path = findTool(name);
  if (path === undefined) throw new ToolMissingError([name]);
  return path;
}

export interface ToolRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `name` with `args` in `cwd` and collects its output; a non-zero exit is returned, not thrown. */
export function runTool(name: string, args: readonly string[], cwd: string): Promise<ToolRun> {
  return runExecutable(requireTool(name), args, cwd);
}

/** Runs the executable at `path` (e.g. one the project built) like runTool. */
export function runExecutable(path: string, args: readonly string[], cwd: string): Promise<ToolRun> {
  const name = basename(path);
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (err) => reject(new Error(`could not run ${name}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === null) {
        reject(new Error(`${name} ${args.join(' ')} was killed by ${signal}`));
        return;
      }
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

/** Runs `body` in a fresh directory under the system temp dir, removed afterwards whatever happens. */
export async function withTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), `nmsparse-${prefix}-`));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
