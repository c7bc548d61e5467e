/**
 * C programs compiled by Debian's riscv64-unknown-elf-gcc (-march=rv32imc -mabi=ilp32, freestanding:
 * the package has no C library) run on the ISS; their output and exit code must match the same
 * source compiled for the host. Skipped where the cross compiler is not installed (.ci/run installs it).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runElf } from '../../sim/program';

const SOURCES = join(__dirname, 'c');
const CROSS = 'riscv64-unknown-elf-gcc';
const available = (command: string): boolean => spawnSync(command, ['--version']).status === 0;

describe.skipIf(!available(CROSS))('C programs from riscv64-unknown-elf-gcc', () => {
  const work = mkdtempSync(join(tmpdir(), 'nmsparse-gcc-'));

  function onIss(name: string, optimization: string): { code: number; stdout: string; instret: number } {
    const elf = join(work, `${name}${optimization}.elf`);
    execFileSync(CROSS, [
      '-march=rv32imc', '-mabi=ilp32', optimization, '-nostdlib', '-ffreestanding', '-static',
      '-T', join(SOURCES, 'link.ld'), join(SOURCES, 'crt0.S'), join(SOURCES, `${name}.c`), '-o', elf,
    ]);
    const output: string[] = [];
    const result = runElf(readFileSync(elf), { output: (text) => output.push(text), maxCycles: 50_000_000 });
    if (result.stop.kind !== 'exit') throw new Error(`${name} stopped with ${result.stop.kind}`);
    return { code: result.stop.code, stdout: output.join(''), instret: result.instret };
  }

  function native(name: string): { code: number; stdout: string } | undefined {
    if (!available('cc')) return undefined;
    const exe = join(work, `${name}.native`);
    execFileSync('cc', ['-O2', join(SOURCES, `${name}.c`), '-o', exe]);
    const run = spawnSync(exe, { encoding: 'utf8' });
    return { code: run.status ?? -1, stdout: run.stdout };
  }

  it.each(['arith', 'sort', 'matmul'])('%s gives the native output at -O0, -O2 and -Os', (name) => {
    const expected = native(name);
    for (const optimization of ['-O0', '-O2', '-Os']) {
      const iss = onIss(name, optimization);
      expect(iss.instret).toBeGreaterThan(100);
      if (expected) expect({ code: iss.code, stdout: iss.stdout }, `${name} ${optimization}`).toEqual(expected);
      else expect(iss.stdout).not.toBe('');
    }
  });
});
