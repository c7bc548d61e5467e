// Building the Verilator model of the user's CV32E40P checkout with the project's testbench, once:
// the executable is kept in the cache directory (gen/synth/cache.ts) under a hash of the RTL
// sources, the testbench and the Verilator version, so only the first run pays the ~10 s build.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import { cacheDir, cacheKey } from '../synth/cache.js';
import { requireTool, runTool } from '../tools.js';
import { RtlPathError, rtlSources } from './rtl-sources.js';
import { TESTBENCH_DRIVER } from './testbench-driver.js';
import { TESTBENCH_CONFIG, TESTBENCH_TOP, TESTBENCH_TOP_MODULE } from './testbench-top.js';

export interface RtlModel {
  /** The driver executable (command line in gen/cv32e40p/testbench-driver.ts). */
  readonly executable: string;
  /** False when this call built it. */
  readonly cached: boolean;
}

const EXECUTABLE = `V${TESTBENCH_TOP_MODULE}`;

/** The model of the checkout at `rtl`, built unless the cache has it. */
export async function buildRtlModel(rtl: string): Promise<RtlModel> {
  const sources = rtlSources(rtl);
  requireTool('verilator');
  const version = (await runTool('verilator', ['--version'], process.cwd())).stdout.trim();
  const key = cacheKey([version, TESTBENCH_TOP, TESTBENCH_CONFIG, TESTBENCH_DRIVER, ...sources.map((f) => `${path.basename(f)}\n${readFileSync(f, 'utf8')}`)]);
  const home = path.join(cacheDir(), 'cv32e40p');
  const target = path.join(home, key);
  const executable = path.join(target, EXECUTABLE);
  if (existsSync(executable)) return { executable, cached: true };
  await mkdir(home, { recursive: true });
  const work = await mkdtemp(path.join(home, 'build-'));
  try {
    writeFileSync(path.join(work, 'tb.sv'), TESTBENCH_TOP);
    writeFileSync(path.join(work, 'tb.vlt'), TESTBENCH_CONFIG);
    writeFileSync(path.join(work, 'driver.cpp'), TESTBENCH_DRIVER);
    const includeDir = path.dirname(sources[0]!);
    const args = [
      '--cc', '--exe', '--build', '-O3', '-Wno-fatal', '-Wno-lint', '-Wno-style', '-Wno-BLKANDNBLK', '-Wno-MULTIDRIVEN',
      '--top-module', TESTBENCH_TOP_MODULE, `-I${includeDir}`, '-Mdir', 'obj', 'tb.vlt', ...sources, 'tb.sv', 'driver.cpp',
    ];
    const run = await runTool('verilator', args, work);
    const built = path.join(work, 'obj', EXECUTABLE);
    if (run.code !== 0 || !existsSync(built)) {
      throw new RtlPathError(`verilator could not build the CV32E40P model from ${rtl}:\n${(run.stderr || run.stdout).trim().split('\n').slice(-20).join('\n')}`);
    }
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
