/**
 * Programs in test/sim/c compiled by Debian's riscv64-unknown-elf-gcc (-mabi=ilp32, freestanding:
 * the package has no C library). Without the compiler the tests that need it are skipped, except
 * under CI=true where that is an error (.ci/run installs it).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { skipUnlessTools } from '../../support/tools.js';

/** The C test programs, their start-up files and the generated platform files (header, linker script). */
export const C_SOURCES = fileURLToPath(new URL('../c', import.meta.url));
const CROSS = 'riscv64-unknown-elf-gcc';

/** False when the cross compiler is installed; otherwise why the tests are skipped. */
export const crossCompilerMissing = skipUnlessTools([CROSS]);

let work: string | undefined;

/** Compile test/sim/c/`name`.c with its start-up file into an ELF executable. */
export function compileC(name: string, optimization: string, crt0 = 'crt0.S', march = 'rv32imc'): Uint8Array {
  work ??= mkdtempSync(join(tmpdir(), 'nmsparse-gcc-'));
  const elf = join(work, `${name}${optimization}${march}.elf`);
  execFileSync(CROSS, [
    `-march=${march}`, '-mabi=ilp32', optimization, '-nostdlib', '-ffreestanding', '-static',
    '-T', join(C_SOURCES, 'link.ld'), join(C_SOURCES, crt0), join(C_SOURCES, `${name}.c`), '-o', elf,
  ]);
  return readFileSync(elf);
}
