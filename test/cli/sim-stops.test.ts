// `nmsparse sim` as a user runs it, on programs that do not simply exit: faults on the cluster, the
// cycle limit, Ctrl-C and SIGTERM, programs without code or without `_start`, and ELF files that do
// not fit the memory map. Each ends with one report on stderr and its own exit status, never a
// stack trace.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { assemble } from '../../sw/asm/assembler.js';
import { writeElf } from '../../isa/elf/writer.js';

const bin = path.resolve(__dirname, '../../bin/nmsparse.js');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-sim-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Start `nmsparse sim ...args`; `ended` resolves when the process has exited. */
function start(...args: string[]): { child: ChildProcess; ended: Promise<Ended> } {
  const child = spawn(process.execPath, [bin, 'sim', ...args]);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<Ended>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { child, ended };
}

const sim = (...args: string[]): Promise<Ended> => start(...args).ended;

/** Write `source` to a file of the scratch folder; its path. */
function file(name: string, source: string | Uint8Array): string {
  const where = path.join(scratch, name);
  writeFileSync(where, source);
  return where;
}

const SITE = /^ {2}core \d+, pc 0x[0-9a-f]{8}, insn 0x[0-9a-f]{4,8} '[^']+', cycle \d+$/;

function expectNoStackTrace(stderr: string): void {
  expect(stderr).not.toMatch(/\n\s+at |TypeError|node:internal/);
}

describe('nmsparse sim: faults and the cycle limit', () => {
  const illegal = file('illegal.S', '  .globl _start\n_start:\n  nop\n  .word 0xffffffff\n');

  it.each(['1', '2', '8'])('a fault on %s core(s): the fault report, the statistics, status 2', async (cores) => {
    const result = await sim(illegal, '--cores', cores, '--stats');
    expect(result.code).toBe(2);
    expectNoStackTrace(result.stderr);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^core( +\\d+){${cores}}$`));
    expect(lines.at(-2)).toMatch(/^nmsparse: IllegalInstructionError after \d+ cycles, \d+ instructions: illegal instruction 0xffffffff$/);
    expect(lines.at(-1)).toMatch(SITE);
  });

  it('a runaway program stops at --max-cycles with status 3 and says how to change the limit; 0 is none', async () => {
    const loop = file('loop.S', '  .globl _start\n_start:\n  li t0, 2000\n1:\n  addi t0, t0, -1\n  bnez t0, 1b\n  li a7, 93\n  ecall\n');
    const limited = await sim(loop, '--max-cycles', '1000', '--cores', '2');
    expect(limited.code).toBe(3);
    expect(limited.stderr).toMatch(/^nmsparse: stopped at the cycle limit after \d+ cycles, \d+ instructions: .*The limit is 1000; --max-cycles N changes it, 0 removes it\n( {2}core .*\n){2}$/);
    const unlimited = await sim(loop, '--max-cycles', '0');
    expect(unlimited.code).toBe(0);
  });
});

describe('nmsparse sim --traps (docs/iss.md#traps)', () => {
  // Installs a handler that returns past the trapping instruction, then runs an illegal word.
  const handled = file('handled.S', `  .globl _start
_start:
  la t0, handler
  csrw mtvec, t0
  .word 0xffffffff
  li a0, 5
  li a7, 93
  ecall
  .align 8
handler:
  csrr t0, mepc
  addi t0, t0, 4
  csrw mepc, t0
  mret
`);

  it('auto (the default): a program that installs a handler gets its trap', async () => {
    const result = await sim(handled);
    expect(result.stderr).toMatch(/^nmsparse: exit 5 after \d+ cycles, 10 instructions\n$/);
    expect(result.code).toBe(5);
  });

  it('stop: the fault ends the run with its report and status 2, handler or not', async () => {
    const result = await sim(handled, '--traps', 'stop');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/IllegalInstructionError .*: illegal instruction 0xffffffff\n {2}core 0, pc 0x1c00000c, insn 0xffffffff/);
  });

  it.each([
    [['--traps', 'always'], "--traps must be one of stop, take, auto, got 'always'"],
    [['--traps', 'take', '--cores', '2'], "--traps take needs --cores 1: the cluster's cores stop at every fault"],
  ])('%j is refused', async (options, message) => {
    const result = await sim(handled, ...options);
    expect(result).toEqual({ code: 1, stdout: '', stderr: `nmsparse: ${message}\n` });
  });
});

describe('nmsparse sim: Ctrl-C and SIGTERM', () => {
  /** Prints "running" and then loops forever. */
  const endless = file('endless.S', `  .globl _start
_start:
  li a0, 1
  la a1, message
  li a2, 8
  li a7, 64
  ecall
1:
  j 1b
  .data
message: .ascii "running\\n"
`);

  it.each([
    ['SIGINT', 130, '1'],
    ['SIGTERM', 143, '8'],
  ] as const)('%s stops the run with the pc, the cycle count and --stats, status %i (%s core(s))', async (signal, status, cores) => {
    const { child, ended } = start(endless, '--stats', '--cores', cores);
    await new Promise<void>((resolve) => child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('running') && resolve()));
    child.kill(signal);
    const result = await ended;
    expect(result.code).toBe(status);
    expectNoStackTrace(result.stderr);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^core( +\d+)+$/);
    expect(lines[1]).toMatch(/^cycles( +[1-9]\d*)+$/);
    const headline = lines.findIndex((line) => line.startsWith('nmsparse: '));
    expect(lines[headline]).toMatch(new RegExp(`^nmsparse: interrupted by ${signal} after [1-9]\\d* cycles, [1-9]\\d* instructions$`));
    const sites = lines.slice(headline + 1);
    expect(sites).toHaveLength(Number(cores));
    for (const site of sites) expect(site).toMatch(/^ {2}core \d+, pc 0x1c00001[0-9a-f], insn 0x[0-9a-f]+ 'jal zero, 0x1c00001[0-9a-f]', cycle [1-9]\d*$/);
  });
});

describe('nmsparse sim: programs it cannot start', () => {
  it('an empty program has no code', async () => {
    const result = await sim(file('empty.S', ''));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`nmsparse: ${path.join(scratch, 'empty.S')}: the program has no code (no executable segment)\n`);
  });

  it('a program without _start runs from the start of its code, and says so', async () => {
    const where = file('no-start.S', '  li a0, 4\n  li a7, 93\n  ecall\n');
    const result = await sim(where);
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(`nmsparse: warning: ${where} defines no _start: running from the start of .text at 0x1c000000\nnmsparse: exit 4 after 3 cycles, 3 instructions\n`);
  });

  it('an ELF file linked outside the memory map, or whose entry is outside its code', async () => {
    const exit = '  .globl _start\n_start:\n  li a7, 93\n  ecall\n';
    const elsewhere = file('linked-at-0x10000.elf', writeElf(assemble(exit, { base: 0x1_0000 })));
    const outside = await sim(elsewhere);
    expect(outside.code).toBe(1);
    expect(outside.stderr).toBe(`nmsparse: ${elsewhere}: segment 0x00010000..0x00010008 is outside the memory map (l1 0x10000000..0x10010000, l2 0x1c000000..0x1c080000): link the program for it\n`);
    const elf = writeElf(assemble(exit));
    new DataView(elf.buffer).setUint32(24, 0x1c00_1000, true); // e_entry
    const wrongEntry = file('wrong-entry.elf', elf);
    const started = await sim(wrongEntry, '--cores', '4');
    expect(started.code).toBe(1);
    expect(started.stderr).toBe(`nmsparse: ${wrongEntry}: entry point 0x1c001000 is outside the program's code (0x1c000000..0x1c000008)\n`);
  });
});
