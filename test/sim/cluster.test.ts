import { describe, expect, it } from 'vitest';
import { Cluster, type ClusterOptions } from '../../sim/cluster/cluster.js';
import { PULP_CLUSTER } from '../../sim/cluster/config.js';
import { readElf } from '../../isa/elf/reader.js';
import { assemble } from '../../sw/asm/assembler.js';
import { writeElf } from '../../isa/elf/writer.js';
import { assemblerEquates } from '../../isa/platform/symbols.js';

const PRELUDE = `
${assemblerEquates()}  .text
  .globl _start
_start:
`;

function cluster(body: string, options: ClusterOptions = {}): Cluster {
  const program = assemble(PRELUDE + body, { base: PULP_CLUSTER.l2Base, file: 'cluster.S' });
  const c = new Cluster(options);
  c.load(readElf(writeElf(program)));
  return c;
}

const EXIT = `
  li a7, 93
  ecall
`;

describe('cluster', () => {
  it('runs 8 cores with their own mhartid and stack, meeting at a barrier', () => {
    const c = cluster(`
      csrr t0, mhartid
      addi t1, t0, 1
      li t2, 100
      mul t1, t1, t2          # (id + 1) * 100
      sw t1, -4(sp)           # on this core's own stack in L1
      slli t3, t0, 2
      li t4, PULP_L1_BASE
      add t4, t4, t3
      sw t1, 0(t4)            # partial result in L1
      li t5, PERIPHERALS_BASE
      lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
      li a0, 0
      bnez t0, 2f
      li t4, PULP_L1_BASE
      li t6, 8
    1:
      lw t1, 0(t4)
      add a0, a0, t1
      addi t4, t4, 4
      addi t6, t6, -1
      bnez t6, 1b
    2:
    ` + EXIT);
    const result = c.run(100_000);
    expect(result.stop).toEqual({ kind: 'exit', code: 3600 });
    expect(result.cores.map((r) => r.stop)).toEqual(Array.from({ length: 8 }, (_, i) => ({ kind: 'exit', code: i === 0 ? 3600 : 0 })));
    expect(result.cores.map((r) => r.hart.regs[2])).toEqual(Array.from({ length: 8 }, (_, i) => 0x10010000 - i * 2048));
    // Everyone waited at the barrier except the last to arrive.
    expect(result.cores.filter((r) => r.waits.barrierWait > 0).length).toBe(7);
  });

  it('arbitrates TCDM banks: one bank shared by all cores stalls them in turn, distinct banks never', () => {
    const loop = (addressing: string) => cluster(`
      csrr t0, mhartid
      li a0, PULP_L1_BASE
      ${addressing}
      cv.setupi 0, 20, 1f
      lw t1, 0(a0)
      lw t2, 0(a0)
      lw t3, 0(a0)
    1:
    ` + EXIT).run(100_000);
    const shared = loop('');
    const distinct = loop('slli t1, t0, 2\n      add a0, a0, t1');
    expect(distinct.cores.map((r) => r.waits.tcdmContention)).toEqual(Array(8).fill(0));
    const waits = shared.cores.map((r) => r.waits.tcdmContention);
    expect(waits.every((w) => w > 0)).toBe(true); // round robin: nobody always wins
    // 8 cores x 60 loads on one bank take at least 480 bank cycles.
    expect(shared.cycles).toBeGreaterThanOrEqual(480);
    expect(shared.cycles).toBeGreaterThan(distinct.cycles + 400);
    expect(shared.cores[3]!.hart.stats.memoryWait).toBe(waits[3]);
  });

  it('delays the second of two same-cycle accesses to one bank by exactly one cycle', () => {
    const c = cluster(`
      li a0, PULP_L1_BASE
      lw t1, 0(a0)
      lw t2, 4(a0)         # the next bank
    ` + EXIT, { config: { cores: 2 } });
    const cycles: number[][] = [[], []];
    c.harts.forEach((h, i) => (h.onRetire = (e) => cycles[i]!.push(e.cycles)));
    const result = c.run();
    // Both cores issue the first load in cycle 1: one is served, the other waits a cycle; their
    // second loads go to another bank and do not wait.
    expect(result.cores.map((r) => r.waits.tcdmContention).sort()).toEqual([0, 1]);
    expect(cycles.map((c) => c.slice(1, 3)).sort()).toEqual([[1, 1], [2, 1]]);
  });

  it('arbitrates the second transaction of a misaligned L1 access in its own bank, one cycle later', () => {
    // Core 0 loads a word at L1+2 (bank 0, then bank 1 a cycle later), core 1 the word at L1+4
    // (bank 1) in the same cycle: bank 1 serves core 1 first and core 0 next, so neither waits,
    // whichever core the round robin serves first (a leading nop flips the order).
    for (const lead of ['', 'nop']) {
      const c = cluster(`
        ${lead}
        csrr t0, mhartid
        slli t0, t0, 1
        li a0, PULP_L1_BASE + 2
        add a0, a0, t0
        lw t1, 0(a0)
      ` + EXIT, { config: { cores: 2 } });
      const loads: number[] = [];
      c.harts.forEach((h) => (h.onRetire = (e) => e.insn.def.mnemonic === 'lw' && loads.push(e.cycles)));
      const result = c.run();
      expect(result.cores.map((r) => r.waits.tcdmContention)).toEqual([0, 0]);
      expect(loads.sort()).toEqual([1, 2]);
    }
    // Core 1 arrives a cycle later (a taken branch costs more than a not-taken one and a nop) and
    // asks bank 1 in the cycle of core 0's second transaction: it waits one cycle.
    const later = cluster(`
      csrr t0, mhartid
      bnez t0, 1f
      nop
    1:
      slli t0, t0, 1
      li a0, PULP_L1_BASE + 2
      add a0, a0, t0
      lw t1, 0(a0)
    ` + EXIT, { config: { cores: 2 } });
    expect(later.run().cores.map((r) => r.waits.tcdmContention)).toEqual([0, 1]);
  });

  it('reports every instruction of a hooked core, also when the others run in lock-step compiled', () => {
    const c = cluster(`
      csrr t0, mhartid
      slli t0, t0, 2
      li a0, PULP_L1_BASE
      add a0, a0, t0          # a bank of its own: the cores never part
      li s0, 200
    1:
      lw t1, 0(a0)
      addi t1, t1, 1
      addi s0, s0, -1
      bnez s0, 1b
    ` + EXIT, { config: { cores: 4 } });
    let retired = 0;
    c.harts[2]!.onRetire = () => retired++;
    const result = c.run();
    expect(retired).toBe(result.cores[2]!.hart.stats.instret);
    expect(retired).toBeGreaterThan(800);
  });

  it('charges the L2 latency to data accesses outside L1', () => {
    const c = cluster(`
      la a0, value
      lw a1, 0(a0)
      li a0, PULP_L1_BASE
      lw a2, 0(a0)
      mv a0, a1
    ` + EXIT + `
      .data
    value: .word 42
    `, { config: { cores: 1 } });
    const events: number[] = [];
    c.harts[0]!.onRetire = (e) => events.push(e.cycles);
    expect(c.run().stop).toEqual({ kind: 'exit', code: 42 });
    expect(events.slice(2, 4)).toEqual([1 + PULP_CLUSTER.l2Latency, 1]);
  });

  it('charges the L2 latency to both transactions of a misaligned L2 access', () => {
    const c = cluster(`
      la a0, value
      lw a1, 1(a0)
    ` + EXIT + `
      .data
    value: .word 0, 0
    `, { config: { cores: 1 } });
    const events: number[] = [];
    c.harts[0]!.onRetire = (e) => events.push(e.cycles);
    const result = c.run();
    expect(events[2]).toBe(2 + 2 * PULP_CLUSTER.l2Latency);
    expect(result.cores[0]!.waits.l2Wait).toBe(2 * PULP_CLUSTER.l2Latency);
  });

  it('moves data with the DMA (1D and 2D), concurrently, and makes a core wait for it', () => {
    const c = cluster(`
      li t0, PERIPHERALS_BASE
      la t1, source
      sw t1, PERIPHERAL_DMA_SRC_OFFSET(t0)
      li t2, PULP_L1_BASE
      sw t2, PERIPHERAL_DMA_DST_OFFSET(t0)
      li t3, 64
      sw t3, PERIPHERAL_DMA_LENGTH_OFFSET(t0)
      sw zero, PERIPHERAL_DMA_START_OFFSET(t0)     # 1D: 64 bytes
      lw a1, 0(t2)               # too early: still the old L1 contents
      addi t2, t2, 0x100
      sw t2, PERIPHERAL_DMA_DST_OFFSET(t0)
      li t3, 4
      sw t3, PERIPHERAL_DMA_LENGTH_OFFSET(t0)
      sw t3, PERIPHERAL_DMA_ROWS_OFFSET(t0)
      li t3, 16
      sw t3, PERIPHERAL_DMA_SRC_STRIDE_OFFSET(t0)
      li t3, 4
      sw t3, PERIPHERAL_DMA_DST_STRIDE_OFFSET(t0)
      sw zero, PERIPHERAL_DMA_START_OFFSET(t0)     # 2D: the first word of each of 4 rows of 16 bytes
      lw zero, PERIPHERAL_DMA_WAIT_OFFSET(t0)
      li t2, PULP_L1_BASE
      lw a2, 60(t2)
      lw a3, 0x10c(t2)
      mv a0, a1
    ` + EXIT + `
      .data
      .align 2
    source:
      .word 0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c, 0x13121110, 0x17161514, 0x1b1a1918, 0x1f1e1d1c
      .word 0x23222120, 0x27262524, 0x2b2a2928, 0x2f2e2d2c, 0x33323130, 0x37363534, 0x3b3a3938, 0x3f3e3d3c
    `, { config: { cores: 1 } });
    const result = c.run();
    const hart = result.cores[0]!.hart;
    expect(result.stop).toEqual({ kind: 'exit', code: 0 });
    expect(hart.regs[12]! >>> 0).toBe(0x3f3e3d3c);
    expect(hart.regs[13]! >>> 0).toBe(0x33323130); // row 3 of the 2D transfer
    expect(Array.from(c.memory.readBytes(0x10000100, 16))).toEqual([0, 1, 2, 3, 16, 17, 18, 19, 32, 33, 34, 35, 48, 49, 50, 51]);
    // Transfers run back to back: 10 + 64/8 then 10 + 16/8 cycles after the first start.
    expect(result.cores[0]!.waits.dmaWait).toBeGreaterThan(0);
    expect(c.dma.bytes).toBe(80);
  });

  it('times a DMA transfer as latency + bytes / bandwidth', () => {
    const c = cluster(`
      li t0, PERIPHERALS_BASE
      li t1, 0x1c001000
      sw t1, PERIPHERAL_DMA_SRC_OFFSET(t0)
      li t2, PULP_L1_BASE
      sw t2, PERIPHERAL_DMA_DST_OFFSET(t0)
      li t3, 64
      sw t3, PERIPHERAL_DMA_LENGTH_OFFSET(t0)
      sw zero, PERIPHERAL_DMA_START_OFFSET(t0)     # issued at cycle s
      lw zero, PERIPHERAL_DMA_WAIT_OFFSET(t0)      # issued at s + 1, done at s + 2 without the wait
    ` + EXIT, { config: { cores: 1, dmaLatency: 10, dmaBandwidth: 8 } });
    const result = c.run();
    // The transfer ends at s + 10 + 64 / 8 = s + 18: the core waits 16 cycles.
    expect(result.cores[0]!.waits.dmaWait).toBe(16);
  });

  it('wakes cores waiting at the barrier after the configured latency', () => {
    for (const barrierWakeup of [2, 10]) {
      const c = cluster(`
        csrr t0, mhartid
        beqz t0, 2f
        li t1, 50
      1:
        addi t1, t1, -1
        bnez t1, 1b
      2:
        li t5, PERIPHERALS_BASE
        lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
        csrr a0, mcycle
      ` + EXIT, { config: { cores: 2, barrierWakeup } });
      const result = c.run();
      const [core0, core1] = result.cores as [(typeof result.cores)[0], (typeof result.cores)[0]];
      expect(core1.waits.barrierWait).toBe(0);
      // Core 0 resumes barrierWakeup cycles after core 1's arrival; mcycle is cluster time.
      const stop0 = core0.stop as { code: number };
      const stop1 = core1.stop as { code: number };
      expect(stop0.code - stop1.code).toBe(barrierWakeup - 1);
      expect(core0.waits.barrierWait).toBeGreaterThan(100);
    }
  });

  it('reports faults with the core that caused them', () => {
    const c = cluster(`
      csrr t0, mhartid
      li t1, 5
      bne t0, t1, 1f
      .word 0xffffffff
    1:
      li t1, 1000
    2:
      addi t1, t1, -1
      bnez t1, 2b
    ` + EXIT);
    expect(() => c.run()).toThrow(/illegal instruction 0xffffffff \(core 5, pc 0x1c0000/);
  });
});
