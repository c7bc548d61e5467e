// `nmsparse sim --engine rtl|verilator` (the project's core, in the HDL simulator and as its Verilog
// under Verilator) and `--engine compare --reference ...`, as a user runs them: the ISS's summary
// line, the program's output, the `--stats` table in the ISS's shape, and clear errors for options
// that do not go together.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCoreModel } from '../../gen/core/verilator.js';
import { selfModifying } from '../sim/support/single-core-programs.js';
import { skipUnlessTools } from '../support/tools.js';
import { nmsparse } from './run-nmsparse.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-sim-core-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function program(name: string, source: string): string {
  const file = path.join(work, name);
  writeFileSync(file, source);
  return file;
}

/** Divides 1000 by 7 (a 32-cycle divide) and exits with the quotient. */
const divide = program('divide.S', '  .globl _start\n_start:\n  li t1, 1000\n  li t2, 7\n  div a0, t1, t2\n  li a7, 93\n  ecall\n');
/** Writes "hi\n" to stdout, loads a word and uses it at once (a load-use stall), exits 0. */
const hello = program('hello.S', [
  '  .globl _start', '_start:', '  li a0, 1', '  la a1, text', '  li a2, 3', '  li a7, 64', '  ecall',
  '  lw t0, 0(a1)', '  addi t0, t0, 1', '  li a0, 0', '  li a7, 93', '  ecall', '  .data', 'text: .ascii "hi\\n"', '',
].join('\n'));

/** Loads from 0x40000000, outside the memory map, with a handler that exits with mcause (5, a load access fault). */
const outside = program('outside.S', [
  '  .globl _start', '_start:', '  la t0, handler', '  csrw mtvec, t0', '  li a1, 0x40000000', '  lw a2, 0(a1)', '  li a0, 0', '  ecall',
  '  .align 8', 'handler:', '  csrr a0, mcause', '  li a7, 93', '  ecall', '',
].join('\n'));

/** An illegal word after a0 = 4, with no handler: `--traps take` has nowhere to go and stops there, on the ISS and the core. */
const unhandled = program('unhandled.S', ['  .globl _start', '_start:', '  li a0, 3', '  addi a0, a0, 1', '  .word 0xffffffff', '  li a7, 93', '  ecall', ''].join('\n'));

/** a0 = 4, then ebreak: the run stops there, the ebreak counted as run. */
const breakpoint = program('breakpoint.S', ['  .globl _start', '_start:', '  li a0, 3', '  addi a0, a0, 1', '  ebreak', '  li a7, 93', '  ecall', ''].join('\n'));

const ISS_STATS_ROWS = ['cycles', 'active cycles', 'instructions', 'load-use stalls', 'branch penalty', 'jump penalty', 'mulh/div extra', 'misaligned', 'csr/fence flush', 'memory wait'];
const statsOf = (stderr: string): Map<string, number> =>
  new Map(stderr.split('\n').slice(1, 1 + ISS_STATS_ROWS.length).map((line) => [line.slice(0, 18).trim(), Number(line.slice(18))]));

describe('nmsparse sim with the nmsparse core: bad use', () => {
  it.each([
    [['--engine', 'rtl', '--cores', '2'], '--engine rtl runs one nmsparse core and does not take --cores'],
    [['--engine', 'verilator', '--trace', '--interpret'], '--engine verilator runs one nmsparse core and does not take --trace, --interpret'],
    [['--engine', 'compare', '--stats'], '--engine compare runs one nmsparse core and does not take --stats'],
    [['--engine', 'rtl', '--rtl', work], '--rtl is for the CV32E40P; --engine rtl runs the nmsparse core'],
    [['--engine', 'compare', '--reference', 'verilator', '--rtl', work], '--rtl is for the CV32E40P; --engine compare --reference verilator runs the nmsparse core'],
    [['--engine', 'compare', '--reference', 'cv32e40p'], '--engine compare --reference cv32e40p needs --rtl <path to a checkout of openhwgroup/cv32e40p>'],
    [['--engine', 'compare', '--reference', 'cv32e40p', '--rtl', work, '--xnmsparse'], '--engine compare --reference cv32e40p runs one plain CV32E40P core and does not take --xnmsparse'],
    [['--engine', 'compare', '--reference', 'spike'], "--reference must be one of rtl, verilator, cv32e40p, got 'spike'"],
    [['--reference', 'rtl'], '--reference is for --engine compare'],
    [['--engine', 'rtl', '--reference', 'rtl'], '--reference is for --engine compare'],
  ])('%j', async (options, message) => {
    expect(await nmsparse(['sim', divide, ...options])).toEqual({ code: 1, stdout: '', stderr: `nmsparse: ${message}\n` });
  });
});

describe('nmsparse sim --engine verilator without Verilator', () => {
  it('says how to install it', async () => {
    const result = await nmsparse(['sim', divide, '--engine', 'verilator'], { env: { PATH: work } });
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'nmsparse: verilator not found on PATH (install with: apt-get install -y verilator)\n' });
  });
});

describe('nmsparse sim --engine rtl', () => {
  it('runs a program on the HDL simulation of the core and reports like the ISS', { timeout: 60_000 }, async () => {
    const iss = await nmsparse(['sim', divide]);
    expect(iss.stderr).toBe('nmsparse: exit 142 after 36 cycles, 5 instructions\n');
    const rtl = await nmsparse(['sim', divide, '--engine', 'rtl']);
    expect(rtl).toEqual({ code: 142, stdout: '', stderr: 'nmsparse: exit 142 after 36 cycles, 5 instructions on the HDL simulation of the nmsparse core (counted from its first instruction, as the ISS counts; 2 more since reset)\n' });
  });

  it("prints the program's output and the ISS's statistics table, with the same figures", { timeout: 60_000 }, async () => {
    const iss = await nmsparse(['sim', hello, '--stats']);
    const rtl = await nmsparse(['sim', hello, '--engine', 'rtl', '--stats', '--xnmsparse']);
    expect(rtl.stdout).toBe('hi\n');
    expect(rtl.code).toBe(0);
    expect(rtl.stderr.split('\n')[0]).toBe(iss.stderr.split('\n')[0]);
    expect([...statsOf(rtl.stderr).keys()]).toEqual(ISS_STATS_ROWS);
    expect(statsOf(rtl.stderr)).toEqual(statsOf(iss.stderr));
    expect(statsOf(rtl.stderr).get('load-use stalls')).toBe(1);
    expect(rtl.stderr).toMatch(/\nnmsparse: exit 0 after \d+ cycles, \d+ instructions on the HDL simulation of the nmsparse core with Xnmsparse \(/);
  });

  it('answers a load outside the memory map with the access fault the ISS raises, taken or stopped at', { timeout: 60_000 }, async () => {
    const taken = await nmsparse(['sim', outside, '--traps', 'take', '--engine', 'compare', '--reference', 'rtl']);
    expect(taken).toEqual({ code: 5, stdout: '', stderr: expect.stringMatching(/^nmsparse: the ISS and the HDL simulation of the nmsparse core agree: exit 5 after/) });
    const iss = await nmsparse(['sim', outside, '--traps', 'stop']);
    expect(iss.stderr).toMatch(/^nmsparse: MemoryAccessError after \d+ cycles, 4 instructions: load of 4 byte\(s\) at 0x40000000 is outside memory\n {2}core 0, pc 0x1c000010,/);
    const stopped = await nmsparse(['sim', outside, '--traps', 'stop', '--engine', 'rtl']);
    expect(stopped).toEqual({ code: iss.code, stdout: '', stderr: expect.stringMatching(/^nmsparse: load access fault \(mcause 5\) at pc 0x1c000010 after \d+ cycles, 4 instructions on the HDL simulation of the nmsparse core /) });
  });

  it('stops at a trap with no handler to take it to, as the ISS does, and compares the stop', { timeout: 60_000 }, async () => {
    const iss = await nmsparse(['sim', unhandled, '--traps', 'take']);
    expect(iss.stderr).toMatch(/^nmsparse: IllegalInstructionError after 2 cycles, 2 instructions: illegal instruction 0xffffffff; no trap handler/);
    const rtl = await nmsparse(['sim', unhandled, '--traps', 'take', '--engine', 'rtl']);
    expect(rtl).toEqual({ code: iss.code, stdout: '', stderr: expect.stringMatching(/^nmsparse: illegal instruction 0xffffffff at pc 0x1c000008 after 2 cycles, 2 instructions on the HDL simulation/) });
    const compared = await nmsparse(['sim', unhandled, '--traps', 'stop', '--engine', 'compare', '--reference', 'rtl']);
    expect(compared.stderr).toMatch(/^nmsparse: the ISS and the HDL simulation of the nmsparse core agree: illegal-instruction after 2 cycles, 2 instructions/);
    const stoppedAtBreak = await nmsparse(['sim', breakpoint, '--traps', 'stop', '--engine', 'compare', '--reference', 'rtl']);
    expect(stoppedAtBreak.stderr).toMatch(/^nmsparse: the ISS and the HDL simulation of the nmsparse core agree: ebreak after 3 cycles, 3 instructions/);
  });

  it('stops at the cycle limit, counted from the first instruction', { timeout: 60_000 }, async () => {
    const rtl = await nmsparse(['sim', divide, '--engine', 'rtl', '--max-cycles', '10']);
    expect(rtl.code).toBe(3);
    expect(rtl.stderr).toMatch(/^nmsparse: stopped at the cycle limit after 10 cycles, \d instructions on the HDL simulation of the nmsparse core /);
  });

  it('compares with the ISS: agreement, or exit status 4 and the first divergence', { timeout: 60_000 }, async () => {
    const same = await nmsparse(['sim', hello, '--engine', 'compare']);
    expect(same.stdout).toBe('hi\n');
    expect(same.stderr).toMatch(/^nmsparse: the ISS and the HDL simulation of the nmsparse core agree: exit 0 after \d+ cycles, \d+ instructions \(the RTL's 2 start-up cycles aside\)\n$/);
    // Code rewritten by the last store of a hardware-loop body, without fence.i: the core has
    // already fetched the old instruction, as the CV32E40P has (docs/cv32e40p.md).
    const differ = await nmsparse(['sim', program('self-modifying.S', selfModifying('hwloop, store last')), '--engine', 'compare', '--reference', 'rtl']);
    expect(differ.code).toBe(4);
    expect(differ.stderr.split('\n').slice(0, 3)).toEqual(['nmsparse: the ISS and the HDL simulation of the nmsparse core differ:', 'stop: ISS exit 5050, RTL exit 4951', 'x8 at the end: ISS 0x000013ba, RTL 0x00001357']);
  });
});

describe.skipIf(skipUnlessTools(['verilator']))('nmsparse sim --engine verilator', () => {
  // Built here, so that no command of the tests pays the build (the command's own time limit).
  beforeAll(async () => {
    await buildCoreModel(false);
    await buildCoreModel(true);
  }, 900_000);

  it('runs the Verilog of the core and reports like the HDL simulation', { timeout: 60_000 }, async () => {
    const verilator = await nmsparse(['sim', divide, '--engine', 'verilator', '--stats']);
    const rtl = await nmsparse(['sim', divide, '--engine', 'rtl', '--stats']);
    expect(verilator.code).toBe(142);
    expect(verilator.stderr).toBe(rtl.stderr.replace('the HDL simulation of the nmsparse core', 'the Verilog of the nmsparse core under Verilator'));
    expect(statsOf(verilator.stderr).get('mulh/div extra')).toBe(31);
  });

  it('compares with the ISS, with the extension', { timeout: 60_000 }, async () => {
    const same = await nmsparse(['sim', hello, '--engine', 'compare', '--reference', 'verilator', '--xnmsparse']);
    expect(same).toEqual({ code: 0, stdout: 'hi\n', stderr: expect.stringMatching(/^nmsparse: the ISS and the Verilog of the nmsparse core with Xnmsparse under Verilator agree: exit 0 after/) });
  });
});
