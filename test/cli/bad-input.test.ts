// Every subcommand fed the bad input a new user produces: paths missing, a directory, unreadable
// or unwritable; files empty, truncated, random or of the wrong kind; parameters unknown, out of
// range or malformed; options that conflict. Each case checks the exit status, that stderr is one
// line `nmsparse: ...` naming the offending thing (so no stack trace), and that nothing was
// written: neither in the working directory (where `reproduce` writes by default and `--out`
// cases point) nor among the input files.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeElf } from '../../isa/elf/writer.js';
import { geLibrary } from '../../gen/synth/liberty.js';
import { assemble } from '../../sw/asm/assembler.js';
import { Random } from '../../util/random.js';
import { nmsparse } from './run-nmsparse.js';

const scratch = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-bad-input-'));
const inputs = path.join(scratch, 'inputs');
const input = (name: string): string => path.join(inputs, name);
const cacheDir = path.join(scratch, 'cache');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Root reads a chmod-000 file anyway; /proc/self/mem refuses everyone (EIO at address 0).
const runsAsRoot = process.getuid?.() === 0;
const unreadable = runsAsRoot ? '/proc/self/mem' : input('unreadable');

beforeAll(() => {
  mkdirSync(inputs);
  const riscvElf = writeElf(assemble('    .globl _start\n_start:\n    li a0, 0\n    li a7, 93\n    ecall\n', { file: 'exit.S' }));
  const liberty = geLibrary();
  const files: Record<string, string | Uint8Array> = {
    'empty': '',
    'empty.S': '',
    'empty.lib': '',
    'notes.txt': 'not a program\n',
    'random.bin': new Random(11).fill(new Uint8Array(4096)),
    'truncated.elf': riscvElf.subarray(0, 60), // the ELF header, without the program headers it promises
    'elf-named.S': riscvElf,
    'truncated.lib': liberty.slice(0, Math.floor(liberty.length / 2)),
    'no-cells.lib': 'library (empty) {\n  area_unit : "1um2";\n}\n',
    'illegal.S': '    .globl _start\n_start:\n    .word 0\n',
    'outside.S': '    .globl _start\n_start:\n    li t0, 0x7ffffff0\n    lw a0, 0(t0)\n',
    'runaway.S': '    .globl _start\n_start:\n    j _start\n',
    'a-file': 'an existing file where a directory is expected\n',
    'unreadable': 'secret\n',
  };
  for (const [name, data] of Object.entries(files)) writeFileSync(input(name), data);
  chmodSync(input('unreadable'), 0);
  mkdirSync(input('a-directory'));
  symlinkSync(input('missing-target'), input('dangling'));
});

interface BadInput {
  readonly args: readonly string[];
  readonly status: number;
  /** What the message must name (the path, option, parameter or value at fault). */
  readonly names: readonly string[];
}

const USER_ERROR = 1;
const SIMULATION_FAULT = 2;
const CYCLE_LIMIT = 3;

function user(args: readonly string[], ...names: string[]): BadInput {
  return { args, status: USER_ERROR, names };
}

/** The cases, built after the inputs' paths are known. */
function cases(): BadInput[] {
  const unwritable = (command: readonly string[]): BadInput[] => [
    user([...command, '--out', '/proc/forbidden'], '/proc/forbidden', "'/proc' does not accept new entries"),
    user([...command, '--out', '/dev/null/x'], '/dev/null/x', "'/dev/null' is a device"),
    user([...command, '--out', '/etc/passwd'], '/etc/passwd', 'is a file'),
    user([...command, '--out', input('a-file')], input('a-file'), 'is a file'),
    user([...command, '--out', path.join(input('dangling'), 'sub')], input('dangling'), 'symbolic link to nothing'),
    user([...command, '--out', ''], "''", 'no directory'),
  ];
  const count = (option: string, value: string): BadInput => user(['sim', input('illegal.S'), option, value], option, value === '' ? "''" : value);
  const param = (design: string, assignment: string, ...names: string[]): BadInput => user(['gen', design, '-p', assignment], ...names);
  return [
    // The program itself.
    user(['frobnicate'], "unknown command 'frobnicate'"),
    user(['--bogus'], "'--bogus'"),
    user(['list', '--bogus'], "'--bogus'"),
    user(['list', 'extra'], "'list'", 'extra'),
    user(['list', '--json=yes'], "'--json=yes'"),

    // gen: the design and its parameters, the output directory.
    user(['gen'], "'design'"),
    user(['gen', 'nosuch'], "'nosuch'"),
    user(['gen', 'counter', 'extra'], "'gen'", 'extra'),
    user(['gen', 'counter', '--out'], "'-o, --out <dir>'"),
    param('counter', 'depth=3', "'depth'", "'counter'"),
    param('counter', 'width=0', "'width'", 'between 1 and 64'),
    param('counter', 'width=65', "'width'", 'between 1 and 64'),
    param('counter', 'width=99999999999999999999', "'width'"),
    param('counter', 'width=1e1', "'width'", "'1e1'"),
    param('counter', 'width=2e0', "'width'", "'2e0'"),
    param('counter', 'width=0x8', "'width'", "'0x8'"),
    param('counter', 'width=-1', "'width'", '-1'),
    param('counter', 'width=2.5', "'width'", "'2.5'"),
    param('counter', 'width= 8', "'width'", "' 8'"),
    param('counter', 'width=', "'width'", "''"),
    param('counter', 'width', "'width'", "''"),
    param('nm-gather', 'm=12', "'m'", 'power of two'),
    ...unwritable(['gen', 'counter']),

    // synth: the same design arguments, the Liberty file, the report format.
    user(['synth'], "'design'"),
    user(['synth', 'nosuch'], "'nosuch'"),
    user(['synth', 'counter', '-p', 'width=1e1'], "'width'", "'1e1'"),
    user(['synth', 'counter', '-p', 'bogus=1'], "'bogus'"),
    user(['synth', 'counter', '--bogus'], "'--bogus'"),
    user(['synth', 'counter', '--json', '--markdown'], "'--json'", "'--markdown'"),
    user(['synth', 'counter', '--area-unit', 'nm'], "'--area-unit <unit>'", "'--liberty <file>'"),
    user(['synth', 'counter', '--liberty', input('missing.lib')], input('missing.lib')),
    user(['synth', 'counter', '--liberty', input('a-directory')], input('a-directory')),
    user(['synth', 'counter', '--liberty', unreadable], unreadable),
    user(['synth', 'counter', '--liberty', input('empty.lib')], input('empty.lib')),
    user(['synth', 'counter', '--liberty', input('truncated.lib')], input('truncated.lib')),
    user(['synth', 'counter', '--liberty', input('random.bin')], input('random.bin')),
    user(['synth', 'counter', '--liberty', '/bin/true'], '/bin/true'),
    user(['synth', 'counter', '--liberty', input('no-cells.lib')], input('no-cells.lib'), 'no cells'),

    // sim: the program file, the core count and cycle limit, programs that fail on 1, 2 and 8 cores.
    user(['sim'], "'program'"),
    user(['sim', input('missing.elf')], input('missing.elf')),
    user(['sim', input('a-directory')], input('a-directory')),
    user(['sim', unreadable], unreadable),
    user(['sim', input('empty')], input('empty')),
    user(['sim', input('truncated.elf')], input('truncated.elf')),
    user(['sim', input('random.bin')], input('random.bin')),
    user(['sim', '/bin/true'], '/bin/true'), // x86-64, not RISC-V
    user(['sim', input('notes.txt')], input('notes.txt')),
    user(['sim', input('elf-named.S')], input('elf-named.S')),
    user(['sim', input('empty.S')], input('empty.S'), 'no code'),
    count('--cores', '0'),
    count('--cores', '17'),
    count('--cores', '1e1'),
    count('--cores', '0x8'),
    count('--cores', '-1'),
    count('--cores', '2.5'),
    count('--cores', ''),
    count('--max-cycles', '1e1'),
    count('--max-cycles', 'abc'),
    { args: ['sim', input('illegal.S')], status: SIMULATION_FAULT, names: ['illegal instruction', 'pc 0x1c000000'] },
    { args: ['sim', input('illegal.S'), '--cores', '2'], status: SIMULATION_FAULT, names: ['illegal instruction', 'pc 0x1c000000'] },
    { args: ['sim', input('outside.S'), '--cores', '8'], status: SIMULATION_FAULT, names: ['0x7ffffff0'] },
    { args: ['sim', input('runaway.S'), '--max-cycles', '1000'], status: CYCLE_LIMIT, names: ['cycle limit', 'pc 0x1c000000'] },

    // reproduce: the output directory, checked before the minutes of synthesis.
    user(['reproduce', 'extra'], "'reproduce'", 'extra'),
    user(['reproduce', '--bogus'], "'--bogus'"),
    user(['reproduce', '--area-unit', 'nm'], "'--area-unit <unit>'", "'--liberty <file>'"),
    user(['reproduce', '--liberty', input('missing.lib')], input('missing.lib')),
    ...unwritable(['reproduce']),
  ];
}

/** Every path below `root`, relative to it, sorted. */
function contents(root: string): string[] {
  return (readdirSync(root, { recursive: true }) as string[]).sort();
}

describe.concurrent('nmsparse refuses bad input with one clear line, and reports a faulting program', () => {
  // Listed before the inputs exist: only their paths are needed here.
  const table = cases();

  it('covers every subcommand with at least 50 cases', () => {
    expect(table.length).toBeGreaterThanOrEqual(50);
    for (const command of ['list', 'gen', 'synth', 'sim', 'reproduce']) expect(table.some((c) => c.args[0] === command)).toBe(true);
  });

  it.each(table.map((c) => [c.args.map((a) => a.replace(`${inputs}/`, '')).join(' '), c] as const))('nmsparse %s', async (_name, { args, status, names }) => {
    const cwd = mkdtempSync(path.join(scratch, 'run-'));
    const inputsBefore = contents(inputs);
    const result = await nmsparse(args, { cwd, env: { NMSPARSE_CACHE_DIR: cacheDir } });
    // One line, no stack trace; a program's fault or runaway is reported with each core concerned.
    const report = status === SIMULATION_FAULT || status === CYCLE_LIMIT;
    expect(result.stderr).toMatch(report ? /^nmsparse: [^\n]*\n(  core \d+, pc 0x[0-9a-f]{8}, insn [^\n]*\n)+$/ : /^nmsparse: [^\n]*\n$/);
    for (const name of names) expect(result.stderr).toContain(name);
    expect(result.code).toBe(status);
    expect(contents(cwd)).toEqual([]);
    expect(contents(inputs)).toEqual(inputsBefore);
  });
});
