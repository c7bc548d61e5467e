import { describe, expect, it } from 'vitest';
import { simulate } from '../../sim/simulate.js';
import { assemble } from '../../sw/asm/assembler.js';
import { writeElf } from '../../isa/elf/writer.js';
import { PERIPHERAL, PERIPHERALS_BASE, PULP_L1 } from '../../isa/platform/memory-map.js';

const asm = (source: string): Uint8Array => writeElf(assemble(source));

describe('simulate (the sim command, given an executable)', () => {
  it('runs a program and reports exit code, cycles and statistics', async () => {
    const output: string[] = [];
    const report = await simulate(asm(`
      li a0, 1
      la a1, msg
      li a2, 3
      li a7, 64
      ecall
      li a0, 300
      li a7, 93
      ecall
      .data
    msg: .ascii "ok\\n"
    `), { output: (t) => output.push(t) });
    expect(output.join('')).toBe('ok\n');
    expect(report.exitCode).toBe(300 & 0xff);
    expect(report.summary).toBe(`exit 300 after ${report.cycles} cycles, 9 instructions`);
    expect(report.stats.split('\n')[0]).toMatch(/^core\s+0$/);
    expect(report.stats).toMatch(/instructions\s+9/);
  });

  it('traces every retired instruction', async () => {
    const lines: string[] = [];
    await simulate(asm('li t0, 5\nsw t0, 0(sp)\nli a7, 93\necall\n'), { trace: (l) => lines.push(l) });
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^core 0 cycle\s+1 0x1c000000 0x00500293 addi t0, zero, 5\s+t0=0x00000005$/);
    expect(lines[1]).toMatch(/sw t0, 0\(sp\)\s+st4 0x1c07fff0=0x00000005$/);
  });

  it('runs on the cluster with --cores and reports the waits', async () => {
    const report = await simulate(asm(`
      li t0, ${PERIPHERALS_BASE + PERIPHERAL.BARRIER}
      lw zero, 0(t0)
      csrr a0, mhartid
      li a7, 93
      ecall
    `), { cores: 4 });
    expect(report.stop).toEqual({ kind: 'exit', code: 0 });
    expect(report.instret).toBe(4 * 5);
    expect(report.stats.split('\n')[0]).toMatch(/^core\s+0\s+1\s+2\s+3$/);
    expect(report.stats).toMatch(/barrier wait/);
    expect(report.stats).toMatch(/active cycles/);
  });

  it('gives the same report with interpret (the reference engine), on one core and on the cluster', async () => {
    // Uneven work per core, all loading from one TCDM bank, then the barrier: cores drift apart,
    // so the fast engine runs ahead, and the order of their accesses decides the bank waits.
    const program = asm(`
      csrr t0, mhartid
      addi t0, t0, 1
      slli t0, t0, 6
      li a0, 0
      li s0, ${PULP_L1.base}
    1:
      add a0, a0, t0
      lw a2, 0(s0)
      mul a1, a0, t0
      addi t0, t0, -1
      bnez t0, 1b
      li t1, ${PERIPHERALS_BASE + PERIPHERAL.BARRIER}
      lw zero, 0(t1)
      andi a0, a1, 0x7f
      li a7, 93
      ecall
    `);
    for (const cores of [1, 5]) {
      const fast = await simulate(program, { cores });
      const reference = await simulate(program, { cores, interpret: true });
      expect(fast.summary).toBe(reference.summary);
      expect(fast.stats).toBe(reference.stats);
      expect(fast.cycles).toBeGreaterThan(cores * 64);
      if (cores > 1) expect(fast.stats).toMatch(/tcdm contention +[1-9]/);
    }
  });

  it('picks the riscv-tests memory map for programs linked at 0x80000000', async () => {
    const elf = writeElf(assemble('li a0, 7\nli a7, 93\necall\n', { base: 0x8000_0000 }));
    expect((await simulate(elf)).exitCode).toBe(7);
  });
});
