// How `simulate` (the sim command) ends a run that does not exit: every fault, the cycle limit and
// an interruption give the same report, whatever the number of cores: an exit status, a headline,
// then the core, pc, instruction word, disassembly and cycle of each core involved, and statistics.
import { describe, expect, it } from 'vitest';
import { simulate, type SimulateOptions, type SimulationReport } from '../../sim/simulate.js';
import { DEFAULT_MAX_CYCLES } from '../../sim/limits.js';
import { describeSite } from '../../sim/core/errors.js';
import { assemble } from '../../sw/asm/assembler.js';
import { writeElf } from '../../isa/elf/writer.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { PERIPHERAL, PERIPHERALS_BASE, PULP_L1, PULP_L2 } from '../../isa/platform/memory-map.js';

const table = CV32E40P_XNMSPARSE_TABLE;
const program = (body: string): Uint8Array => writeElf(assemble(`  .globl _start\n_start:\n${body}`, { table }));

const ENDLESS = program('1: j 1b\n');

/** An aborted signal: the run stops after its first slice. */
function interrupted(reason?: unknown): AbortSignal {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
}

interface StopCase {
  readonly program: Uint8Array;
  readonly options?: SimulateOptions;
  readonly exitCode: number;
  /** The headline with its cycle and instruction counts written as N and M. */
  readonly headline: string;
  /** The instruction each site names. */
  readonly disassembly: string;
  /** Every running core is named (a stop), or only the one that faulted. */
  readonly everyCore: boolean;
}

const CASES: Record<string, StopCase> = {
  'illegal instruction': {
    program: program('  nop\n  .word 0xffffffff\n'),
    exitCode: 2, headline: 'IllegalInstructionError after N cycles, M instructions: illegal instruction 0xffffffff',
    disassembly: '.word 0xffffffff', everyCore: false,
  },
  'memory access': {
    program: program('  li t0, 0x40000000\n  lw a0, 0(t0)\n'),
    exitCode: 2, headline: 'MemoryAccessError after N cycles, M instructions: load of 4 byte(s) at 0x40000000 is outside memory',
    disassembly: 'lw a0, 0(t0)', everyCore: false,
  },
  'misaligned access': {
    program: program(`  li t0, ${PULP_L2.base + 0x101}\n  li t1, 0\n  nm.lgc.h a0, t1(t0), 0, 1:8\n`),
    exitCode: 2, headline: 'MisalignedAccessError after N cycles, M instructions: nm.lgc.h at 0x1c000101: halfword elements must be aligned',
    disassembly: 'nm.lgc.h a0, t1(t0), 0, 1:8', everyCore: false,
  },
  'hardware-loop constraint': {
    program: program('  cv.setupi 0, 4, 1f\n  addi a0, a0, 1\n1:\n  ecall\n'),
    exitCode: 2, headline: 'HwLoopConstraintError after N cycles, M instructions: hardware loop 0: the body has 1 instruction(s), at least 3 are required',
    disassembly: 'cv.setupi 0, 4, 0x1c000008', everyCore: false,
  },
  'environment error': {
    program: program('  li a7, 1234\n  ecall\n'),
    exitCode: 2, headline: 'EnvironmentError after N cycles, M instructions: unsupported ecall a7=1234 (0x000004d2)',
    disassembly: 'ecall', everyCore: false,
  },
  'cycle limit': {
    program: ENDLESS, options: { maxCycles: 5000 },
    exitCode: 3, headline: 'stopped at the cycle limit after N cycles, M instructions: a runaway program? The limit is 5000; --max-cycles N changes it, 0 removes it',
    disassembly: 'jal zero, 0x1c000000', everyCore: true,
  },
  'interruption (SIGINT)': {
    program: ENDLESS, options: { interrupt: interrupted('SIGINT') },
    exitCode: 130, headline: 'interrupted by SIGINT after N cycles, M instructions', disassembly: 'jal zero, 0x1c000000', everyCore: true,
  },
  'interruption (SIGTERM)': {
    program: ENDLESS, options: { interrupt: interrupted('SIGTERM') },
    exitCode: 143, headline: 'interrupted by SIGTERM after N cycles, M instructions', disassembly: 'jal zero, 0x1c000000', everyCore: true,
  },
};

const SITE_LINE = /^ {2}core (\d+), pc 0x[0-9a-f]{8}, insn 0x[0-9a-f]{4,8} '[^']+', cycle \d+$/;

function expectShape(report: SimulationReport, expected: StopCase, cores: number): void {
  expect(report.exitCode).toBe(expected.exitCode);
  const [headline, ...lines] = report.summary.split('\n');
  expect(headline!.replace(/after \d+ cycles, \d+ instructions/, 'after N cycles, M instructions')).toBe(expected.headline);
  expect(report.where.length).toBe(expected.everyCore ? cores : 1);
  expect(lines).toEqual(report.where.map((site) => `  ${describeSite(site)}`));
  for (const [i, site] of report.where.entries()) {
    expect(lines[i]).toMatch(SITE_LINE);
    expect(site.disassembly).toBe(expected.disassembly);
    expect(site.word).toBeTypeOf('number');
    expect(site.core).toBeLessThan(cores);
    expect(site.cycle).toBeLessThanOrEqual(report.cycles);
  }
  if (expected.everyCore) expect(report.where.map((site) => site.core)).toEqual(Array.from({ length: cores }, (_, i) => i));
  // The statistics table has a column per core (the cluster's also its waits).
  expect(report.stats.split('\n')[0]!.trim().split(/\s+/)).toEqual(['core', ...Array.from({ length: cores }, (_, i) => String(i))]);
  expect(report.stats.includes('barrier wait')).toBe(cores > 1);
}

describe('a run that does not exit reports the same shape on 1, 2 and 8 cores', () => {
  describe.each(Object.entries(CASES))('%s', (_, expected) => {
    it.each([1, 2, 8])('%i core(s)', async (cores) => {
      expectShape(await simulate(expected.program, { table, ...expected.options, cores }), expected, cores);
    });
  });

  it('an interruption for another reason than a signal name counts as Ctrl-C', async () => {
    const report = await simulate(ENDLESS, { interrupt: interrupted() });
    expect(report.exitCode).toBe(130);
    expect(report.stop).toEqual({ kind: 'interrupted', signal: 'SIGINT' });
  });
});

describe('the cycle limit', () => {
  it(`is ${DEFAULT_MAX_CYCLES} unless given`, async () => {
    // Core 0 waits for a DMA transfer of 2^21 rows of 64 KiB: its clock jumps past 10^10 cycles.
    const rows = 2 ** 21;
    const report = await simulate(program(`
  csrr t1, mhartid
  bnez t1, 1f
  li t0, ${PERIPHERALS_BASE}
  li t2, ${PULP_L1.base}
  sw t2, ${PERIPHERAL.DMA_SRC}(t0)
  sw t2, ${PERIPHERAL.DMA_DST}(t0)
  li t2, ${PULP_L1.size}
  sw t2, ${PERIPHERAL.DMA_LENGTH}(t0)
  li t2, ${rows}
  sw t2, ${PERIPHERAL.DMA_ROWS}(t0)
  sw zero, ${PERIPHERAL.DMA_START}(t0)
  lw zero, ${PERIPHERAL.DMA_WAIT}(t0)
1:
  li a7, 93
  ecall
`), { cores: 2 });
    expect(DEFAULT_MAX_CYCLES).toBe(10 ** 10);
    expect(report.exitCode).toBe(3);
    expect(report.cycles).toBeGreaterThan((rows * PULP_L1.size) / 8);
    expect(report.summary).toContain(`The limit is ${DEFAULT_MAX_CYCLES}`);
    expect(report.where.map((site) => site.core)).toEqual([0]);
  });

  it('is none with maxCycles 0', async () => {
    const counted = program('  li t0, 3000\n1:\n  addi t0, t0, -1\n  bnez t0, 1b\n  li a7, 93\n  ecall\n');
    expect((await simulate(counted, { maxCycles: 1000 })).exitCode).toBe(3);
    const unlimited = await simulate(counted, { maxCycles: 0 });
    expect(unlimited.summary).toMatch(/^exit 0 after \d{4,} cycles/);
  });
});

describe('bad input', () => {
  it('is exit status 1 with the reason, and no run', async () => {
    const notElf = await simulate(Uint8Array.of(1, 2, 3));
    expect([notElf.exitCode, notElf.summary, notElf.where]).toEqual([1, 'not an ELF file', []]);
    expect((await simulate(ENDLESS, { cores: 17 })).summary).toBe('--cores must be 1..16, not 17');
    const empty = await simulate(writeElf(assemble('')));
    expect([empty.exitCode, empty.summary]).toEqual([1, 'the program has no code (no executable segment)']);
  });
});
