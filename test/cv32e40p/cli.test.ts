// `nmsparse sim --engine cv32e40p|compare --rtl <checkout>`: the user-facing check against the RTL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nmsparse } from '../cli/run-nmsparse.js';
import { selfModifying } from '../sim/support/single-core-programs.js';
import { RTL_PATH, skipUnlessRtl } from './rtl.js';
import { INTERRUPT_PROGRAMS } from './interrupt-programs.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-rtl-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A program dividing 1000 by `divisor` and exiting with the quotient. */
function divideBy(divisor: number): string {
  const file = path.join(work, `divide-${divisor}.S`);
  writeFileSync(file, `  .globl _start\n_start:\n  li t1, 1000\n  li t2, ${divisor}\n  div a0, t1, t2\n  li a7, 93\n  ecall\n`);
  return file;
}

describe('nmsparse sim with the RTL engines: bad use', () => {
  it.each([
    [['--engine', 'cv32e40p'], '--engine cv32e40p needs --rtl <path to a checkout of openhwgroup/cv32e40p>'],
    [['--engine', 'spike'], "--engine must be one of iss, rtl, verilator, cv32e40p, compare, got 'spike'"],
    [['--rtl', work], '--rtl is for --engine cv32e40p or compare'],
    [['--engine', 'compare', '--rtl', work, '--cores', '2', '--trace'], '--engine compare runs one plain CV32E40P core and does not take --cores, --trace'],
    [['--engine', 'cv32e40p', '--rtl', work], `--rtl ${work}: include/cv32e40p_apu_core_pkg.sv is missing (expected a checkout of openhwgroup/cv32e40p v2)`],
  ])('%j', async (options, message) => {
    const result = await nmsparse(['sim', divideBy(7), ...options]);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `nmsparse: ${message}\n` });
  });
});

describe.skipIf(skipUnlessRtl())('nmsparse sim with the RTL engines', () => {
  it('runs a program on the RTL and reports like the ISS', { timeout: 120_000 }, async () => {
    const result = await nmsparse(['sim', divideBy(7), '--engine', 'cv32e40p', '--rtl', RTL_PATH]);
    expect(result.stderr).toBe('nmsparse: exit 142 after 36 cycles, 5 instructions on the CV32E40P RTL (counted from its first instruction, as the ISS counts; 4 more since reset)\n');
    expect(result.code).toBe(142);
  });

  it('compares: agreement gives the program\'s exit code, a divergence exit status 4 and the first instruction where they part', { timeout: 120_000 }, async () => {
    const same = await nmsparse(['sim', divideBy(7), '--engine', 'compare', '--rtl', RTL_PATH]);
    expect(same).toEqual({ code: 142, stdout: '', stderr: 'nmsparse: the ISS and the CV32E40P RTL agree: exit 142 after 36 cycles, 5 instructions (the RTL\'s 4 start-up cycles aside)\n' });
    // Code rewritten by the last store of a hardware-loop body, without fence.i: the RTL has
    // already fetched the old instruction (docs/cv32e40p.md, "Checking against the RTL").
    const program = path.join(work, 'self-modifying.S');
    writeFileSync(program, selfModifying('hwloop, store last'));
    const differ = await nmsparse(['sim', program, '--engine', 'compare', '--rtl', RTL_PATH]);
    expect(differ.code).toBe(4);
    expect(differ.stderr.split('\n').slice(0, 3)).toEqual(['nmsparse: the ISS and the CV32E40P RTL differ:', 'stop: ISS exit 5050, RTL exit 4951', 'x8 at the end: ISS 0x000013ba, RTL 0x00001357']);
  });

  it('runs a program taking interrupts from the CLINT on every engine, with the same result', { timeout: 300_000 }, async () => {
    const program = path.join(work, 'wfi-timer.S');
    writeFileSync(program, INTERRUPT_PROGRAMS.find(([name]) => name.startsWith('wfi sleeps'))![1]);
    const summaries = [];
    for (const engine of ['iss', 'rtl', 'verilator', 'cv32e40p']) {
      const result = await nmsparse(['sim', program, '--engine', engine, ...(engine === 'cv32e40p' ? ['--rtl', RTL_PATH] : [])]);
      expect(result.code, `${engine}: ${result.stderr}`).toBe(1);
      summaries.push(result.stderr.replace(/ on the .*/, '').trim());
    }
    expect(new Set(summaries).size, summaries.join('\n')).toBe(1);
    const compared = await nmsparse(['sim', program, '--engine', 'compare', '--rtl', RTL_PATH]);
    expect(compared.code).toBe(1);
    expect(compared.stderr).toMatch(/^nmsparse: the ISS and the CV32E40P RTL agree: exit 1 /);
  });
});
