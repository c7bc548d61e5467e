// Building a Verilator model with a C++ driver, once: the executable is kept in the cache
// directory (util/cache.ts) under a hash of every file it is built from and of
// `verilator --version`, so only the first run pays the build. Shared by the real CV32E40P's
// testbench (gen/cv32e40p/build.ts) and the project's core's (gen/core/verilator.ts).
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { cacheDir, cacheKey } from '../../util/cache.js';
import { requireTool, runTool } from '../tools.js';

export interface VerilatorModel {
  /** The driver executable. */
  readonly executable: string;
  /** False when this call built it. */
  readonly cached: boolean;
}

export interface VerilatorBuild {
  /** Folder of the cache directory the models of this kind live in. */
  readonly kind: string;
  readonly topModule: string;
  /** Files written into the build folder (generated Verilog, configuration, the driver), in the order given to Verilator. */
  readonly files: readonly { readonly name: string; readonly text: string }[];
  /** Files of the user's (e.g. an RTL checkout), read for the hash and given to Verilator by path, before `files`. */
  readonly sources?: readonly string[];
  /** Options besides the common ones (e.g. include folders, defines, warnings to waive). */
  readonly options?: readonly string[];
  /** Raised with Verilator's last lines when the build fails. */
  readonly failure: (message: string) => Error;
}

const COMMON_OPTIONS = ['--cc', '--exe', '--build', '-O3', '-Wno-fatal', '-Wno-lint', '-Wno-style'];

/** The model `build` describes, built unless the cache has it. */
export async function buildVerilatorModel(build: VerilatorBuild): Promise<VerilatorModel> {
  requireTool('verilator');
  const sources = build.sources ?? [];
  const options = build.options ?? [];
  const version = (await runTool('verilator', ['--version'], process.cwd())).stdout.trim();
  const key = cacheKey([
    version, build.topModule, ...options,
    ...build.files.map((f) => `${f.name}\n${f.text}`),
    ...sources.map((f) => `${path.basename(f)}\n${readFileSync(f, 'utf8')}`),
  ]);
  const home = path.join(cacheDir(), build.kind);
  const target = path.join(home, key);
  const executableName = `V${build.topModule}`;
  const executable = path.join(target, executableName);
  if (existsSync(executable)) return { executable, cached: true };
  await mkdir(home, { recursive: true });
  const work = await mkdtemp(path.join(home, 'build-'));
  try {
    for (const f of build.files) writeFileSync(path.join(work, f.name), f.text);
    const args = [...COMMON_OPTIONS, ...options, '--top-module', build.topModule, '-Mdir', 'obj', ...sources, ...build.files.map((f) => f.name)];
    const run = await runTool('verilator', args, work);
    const built = path.join(work, 'obj', executableName);
    if (run.code !== 0 || !existsSync(built)) throw build.failure((run.stderr || run.stdout).trim().split('\n').slice(-20).join('\n'));
    try {
      renameSync(path.join(work, 'obj'), target);
    } catch (error) {
      // Another process built the same model meanwhile: use its copy.
      if (!existsSync(executable)) throw error;
    }
    return { executable, cached: false };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
