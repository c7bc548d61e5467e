/**
 * C programs compiled by Debian's riscv64-unknown-elf-gcc (-march=rv32imc -mabi=ilp32) run on the
 * ISS; their output and exit code must match the same source compiled for the host.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../sim/cluster/cluster.js';
import { readElf } from '../../isa/elf/reader.js';
import { runElf } from '../../sim/program.js';
import { C_SOURCES, compileC, crossCompilerMissing, PLATFORM_FILES } from './support/gcc.js';

const available = (command: string): boolean => spawnSync(command, ['--version']).status === 0;

describe.skipIf(crossCompilerMissing)('C programs from riscv64-unknown-elf-gcc', () => {
  const work = mkdtempSync(join(tmpdir(), 'nmsparse-native-'));

  function onIss(name: string, optimization: string): { code: number; stdout: string; instret: number } {
    const output: string[] = [];
    const result = runElf(compileC(name, optimization), { output: (text) => output.push(text), maxCycles: 50_000_000 });
    if (result.stop.kind !== 'exit') throw new Error(`${name} stopped with ${result.stop.kind}`);
    return { code: result.stop.code, stdout: output.join(''), instret: result.instret };
  }

  function native(name: string): { code: number; stdout: string } | undefined {
    if (!available('cc')) return undefined;
    const exe = join(work, `${name}.native`);
    execFileSync('cc', ['-O2', '-I', PLATFORM_FILES, join(C_SOURCES, `${name}.c`), '-o', exe]);
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

  it('runs a parallel C program on the 8-core cluster (barriers, per-core stacks, L1 partial sums)', () => {
    const output: string[] = [];
    const cluster = new Cluster({ output: (text) => output.push(text) });
    cluster.load(readElf(compileC('parallel', '-O2', 'crt0-cluster.S', 'rv32imc_zicsr')));
    const result = cluster.run(10_000_000);
    expect(result.cores.map((c) => c.stop)).toEqual(Array(8).fill({ kind: 'exit', code: 0 }));
    const expected = native('parallel');
    if (expected) expect(output.join('')).toBe(expected.stdout);
    // Work was shared: every core executed a comparable number of instructions in the slice loop.
    const instructions = result.cores.map((c) => c.hart.stats.instret);
    expect(Math.min(...instructions.slice(1))).toBeGreaterThan(500);
    expect(result.cores.some((c) => c.waits.barrierWait > 0)).toBe(true);
  });
});
