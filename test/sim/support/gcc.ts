/**
 * C programs compiled by Debian's riscv64-unknown-elf-gcc as the README's recipe does: freestanding
 * (the cross compiler has no C library), linked with the platform files the package ships
 * (`sw/platform/`: linker script, start-up file, header). Without the compiler the tests that need
 * it are skipped, except under CI=true where that is an error (.ci/run installs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PLATFORM_FILES_DIR } from '../../../isa/platform/c-files.js';
import { skipUnlessTools } from '../../support/tools.js';

/** The repository root: the recipe's paths are relative to it. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** The C test programs. */
export const C_SOURCES = fileURLToPath(new URL('../c', import.meta.url));
/** The shipped platform files, as the recipe names them. */
export const PLATFORM_FILES = join(REPOSITORY_ROOT, PLATFORM_FILES_DIR);
export const CROSS_COMPILER = 'riscv64-unknown-elf-gcc';

/** False when the cross compiler is installed; otherwise why the tests are skipped. */
export const crossCompilerMissing = skipUnlessTools([CROSS_COMPILER]);

export interface RecipeBuild {
  /** `rv32imc`, or `rv32imc_zicsr` for the cluster start-up file (it reads mhartid). */
  readonly march: string;
  readonly optimization: string;
  /** `crt0.S` (one core) or `crt0-cluster.S`. */
  readonly crt0: string;
  readonly source: string;
  readonly output: string;
}

/** The README recipe's gcc arguments, run from the repository root. */
export function recipeArguments(build: RecipeBuild): string[] {
  return [
    `-march=${build.march}`, '-mabi=ilp32', build.optimization, '-nostdlib', '-ffreestanding', '-static',
    '-I', PLATFORM_FILES_DIR, '-T', `${PLATFORM_FILES_DIR}/link.ld`, `${PLATFORM_FILES_DIR}/${build.crt0}`,
    build.source, '-lgcc', '-o', build.output,
  ];
}

/** Runs the cross compiler from the repository root. */
export function crossCompile(args: readonly string[]): void {
  execFileSync(CROSS_COMPILER, args, { cwd: REPOSITORY_ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
}

let work: string | undefined;

/** Compile test/sim/c/`name`.c with a start-up file into an ELF executable, by the recipe. */
export function compileC(name: string, optimization: string, crt0 = 'crt0.S', march = 'rv32imc'): Uint8Array {
  work ??= mkdtempSync(join(tmpdir(), 'nmsparse-gcc-'));
  const output = join(work, `${name}${optimization}${march}.elf`);
  crossCompile(recipeArguments({ march, optimization, crt0, source: join(C_SOURCES, `${name}.c`), output }));
  return readFileSync(output);
}
