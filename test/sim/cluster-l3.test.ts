/**
 * The cluster's external memory (L3, reached only by the DMA), the DMA's use of the TCDM banks,
 * and the barrier observer.
 */
import { describe, expect, it } from 'vitest';
import { Cluster, type ClusterOptions } from '../../sim/cluster/cluster.js';
import { PULP_CLUSTER } from '../../sim/cluster/config.js';
import { PULP_L3 } from '../../isa/platform/memory-map.js';
import { readElf } from '../../isa/elf/reader.js';
import { clusterPrelude, elfOf, REFERENCE_CLUSTER } from './support/engines.js';
import { program } from './support/single-core-programs.js';

function cluster(body: string, data: string, options: ClusterOptions = {}): Cluster {
  const cores = options.config?.cores ?? PULP_CLUSTER.cores;
  const c = new Cluster(options);
  c.load(readElf(elfOf(program(body, data, clusterPrelude(cores)))));
  return c;
}

/** Core 0 copies `bytes` from `source` to L1 + 0x100 and waits for it. */
const COPY_TO_L1 = (source: string, bytes: number) => `
  li t0, PERIPHERALS_BASE
  la t1, ${source}
  sw t1, PERIPHERAL_DMA_SRC_OFFSET(t0)
  li t2, PULP_L1_BASE + 0x100
  sw t2, PERIPHERAL_DMA_DST_OFFSET(t0)
  li t3, ${bytes}
  sw t3, PERIPHERAL_DMA_LENGTH_OFFSET(t0)
  sw zero, PERIPHERAL_DMA_START_OFFSET(t0)     # issued at cycle s
  lw zero, PERIPHERAL_DMA_WAIT_OFFSET(t0)      # issued at s + 1, done at s + 2 without the wait
  li t2, PULP_L1_BASE + 0x100
  lw a0, ${bytes - 4}(t2)
`;

const L3_DATA = `
  .section .l3.weights, "aw"
weights:
  .word 11, 22, 33, 44, 55, 66, 77, 88, 99, 110, 121, 132, 143, 154, 165, 176
`;

describe('cluster L3', () => {
  it('loads .l3 sections from the ELF file into L3, where the DMA reaches them at L3 speed', () => {
    const c = cluster(COPY_TO_L1('weights', 64), L3_DATA, { config: { cores: 1 } });
    const result = c.run();
    expect(result.stop).toEqual({ kind: 'exit', code: 176 });
    expect(c.l3.readBytes(PULP_L3.base, 4)).toEqual(new Uint8Array([11, 0, 0, 0]));
    // The transfer ends at s + l3Latency + 64 / l3Bandwidth: the core waits that minus 2 cycles.
    const { l3Latency, l3Bandwidth } = PULP_CLUSTER;
    expect(result.cores[0]!.waits.dmaWait).toBe(l3Latency + 64 / l3Bandwidth - 2);
    expect(c.dma.bytes).toBe(64);
  });

  it('takes l3Latency and l3Bandwidth from the configuration, rounding partial cycles up', () => {
    const c = cluster(COPY_TO_L1('weights', 20), L3_DATA, { config: { cores: 1, l3Latency: 40, l3Bandwidth: 3 } });
    expect(c.run().cores[0]!.waits.dmaWait).toBe(40 + 7 - 2);
  });

  it('keeps the L2 figures for a transfer that does not reach L3', () => {
    const c = cluster(COPY_TO_L1('table', 64), 'table: .space 64', { config: { cores: 1, dmaLatency: 10, dmaBandwidth: 8, l3Latency: 100 } });
    expect(c.run().cores[0]!.waits.dmaWait).toBe(10 + 64 / 8 - 2);
  });

  it('moves data from L1 to L3 and back to L2', () => {
    const c = cluster(`
      li t0, PERIPHERALS_BASE
      li t1, PULP_L1_BASE
      li t2, 0x5a5a1234
      sw t2, 12(t1)
      sw t1, PERIPHERAL_DMA_SRC_OFFSET(t0)
      la t2, parked
      sw t2, PERIPHERAL_DMA_DST_OFFSET(t0)
      li t3, 16
      sw t3, PERIPHERAL_DMA_LENGTH_OFFSET(t0)
      sw zero, PERIPHERAL_DMA_START_OFFSET(t0)
      sw t2, PERIPHERAL_DMA_SRC_OFFSET(t0)
      la t1, back
      sw t1, PERIPHERAL_DMA_DST_OFFSET(t0)
      sw zero, PERIPHERAL_DMA_START_OFFSET(t0)
      lw zero, PERIPHERAL_DMA_WAIT_OFFSET(t0)
      la t1, back
      lw a0, 12(t1)
      srli a0, a0, 24
    `, 'back: .space 16\n  .section .l3, "aw"\nparked: .space 16\n', { config: { cores: 1 } });
    expect(c.run().stop).toEqual({ kind: 'exit', code: 0x5a });
    expect(c.l3.writtenPages().map((page) => page.address)).toEqual([PULP_L3.base]);
  });

  it.each([
    ['load', 'li t1, PULP_L3_BASE\n  lw a0, 8(t1)', /load at 0x20000008 is in L3, which only the DMA reaches/],
    ['store', 'li t1, PULP_L3_BASE\n  sw t1, 4(t1)', /store at 0x20000004 is in L3, which only the DMA reaches/],
    ['fetch', 'li t1, PULP_L3_BASE + 0x40\n  jr t1', /instruction fetch at 0x20000040 is in L3, which only the DMA reaches/],
  ])('refuses a core\'s %s in L3 with an access fault naming the address', (_, body, message) => {
    const c = cluster(body, L3_DATA, { config: { cores: 2 } });
    expect(() => c.run()).toThrow(message);
  });

  it('refuses a DMA transfer beyond L3, or whose rows leave the memory of the first', () => {
    const start = (src: string, rows: number, stride: number) => cluster(`
      li t0, PERIPHERALS_BASE
      li t1, ${src}
      sw t1, PERIPHERAL_DMA_SRC_OFFSET(t0)
      li t2, PULP_L1_BASE
      sw t2, PERIPHERAL_DMA_DST_OFFSET(t0)
      li t3, 16
      sw t3, PERIPHERAL_DMA_LENGTH_OFFSET(t0)
      li t3, ${rows}
      sw t3, PERIPHERAL_DMA_ROWS_OFFSET(t0)
      li t3, ${stride}
      sw t3, PERIPHERAL_DMA_SRC_STRIDE_OFFSET(t0)
      sw zero, PERIPHERAL_DMA_START_OFFSET(t0)
    `, '', { config: { cores: 1 } });
    expect(() => start('PULP_L3_END - 8', 1, 0).run()).toThrow(/DMA source 0x23fffff8\+16 is outside memory/);
    expect(() => start('PULP_L3_END - 32', 3, 16).run()).toThrow(/DMA source 0x24000000\+16 is outside memory/);
    expect(() => start('PULP_L2_END - 32', 2, 0x4000000).run()).toThrow(/DMA source row 1 at 0x2007ffe0 leaves the memory of the first row \(0x1c07ffe0\)/);
  });

  it('rejects an L3 that overlaps another memory, and a bandwidth that is no whole number of bytes', () => {
    expect(() => new Cluster({ config: { l3Base: PULP_CLUSTER.l2Base + 0x1000 } })).toThrow(/L3 0x1c001000\.\.0x20001000 overlaps l2/);
    expect(() => new Cluster({ config: { l3Base: 0x0200_0000, l3Size: 0x1000 } })).toThrow(/L3 0x02000000\.\.0x02001000 overlaps the CLINT/);
    expect(() => new Cluster({ config: { l3Bandwidth: 1.5 } })).toThrow(/l3Bandwidth must be a positive whole number of bytes per cycle, not 1.5/);
    expect(() => new Cluster({ config: { dmaBandwidth: 0 } })).toThrow(/dmaBandwidth must be/);
  });
});

describe('the DMA in the TCDM banks', () => {
  /**
   * A 256-byte transfer into L1 + 0x100 (bank 0 up) moves 8 bytes, the words of banks 2i and
   * 2i + 1 (mod 16), in its i-th data cycle: each bank is the DMA's in 4 of its 32 cycles. The
   * core loads from one bank every cycle meanwhile.
   */
  const hammer = (bank: number, start: boolean, offset = 0) => cluster(`
    li t0, PERIPHERALS_BASE
    la t1, table
    sw t1, PERIPHERAL_DMA_SRC_OFFSET(t0)
    li t2, PULP_L1_BASE + 0x100
    sw t2, PERIPHERAL_DMA_DST_OFFSET(t0)
    li t3, 256
    sw t3, PERIPHERAL_DMA_LENGTH_OFFSET(t0)
    ${start ? 'sw zero, PERIPHERAL_DMA_START_OFFSET(t0)' : 'nop'}
    li a0, PULP_L1_BASE + ${4 * bank}
    cv.setupi 0, 22, 1f
    lw t4, ${offset}(a0)
    lw t5, ${offset}(a0)
    lw t6, ${offset}(a0)
  1:
    lw zero, PERIPHERAL_DMA_WAIT_OFFSET(t0)
  `, 'table: .space 256', { config: { cores: 1, dmaLatency: 10, dmaBandwidth: 8 } });

  it('makes a core wait for the cycles in which the DMA takes its bank, counted as dmaContention', () => {
    for (const bank of [0, 5]) {
      const result = hammer(bank, true).run();
      const waits = result.cores[0]!.waits;
      expect([waits.dmaContention, waits.tcdmContention]).toEqual([4, 0]);
      expect(result.cores[0]!.hart.stats.memoryWait).toBe(4);
    }
    expect(hammer(0, false).run().cores[0]!.waits.dmaContention).toBe(0);
  });

  it('serves an access crossing a word boundary in two banks, each waiting for the DMA', () => {
    // Bytes 2..5 of L1: bank 0, then bank 1 a cycle later. The DMA takes both in the same cycle,
    // so each of its 4 cycles there meets one of the two transactions and delays it by one cycle.
    const result = hammer(0, true, 2).run();
    expect(result.cores[0]!.waits.dmaContention).toBe(4);
    expect(result.cores[0]!.waits.tcdmContention).toBe(0);
  });
});

describe('the barrier observer', () => {
  /** Uneven work between three barriers; core i loops 10 * (i + 1) times before each. */
  const BARRIERS = `
    csrr s11, mhartid
    li t5, PERIPHERALS_BASE
    li s1, 3
  1:
    addi t0, s11, 1
    li t1, 10
    mul t0, t0, t1
  2:
    addi t0, t0, -1
    bnez t0, 2b
    lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
    addi s1, s1, -1
    bnez s1, 1b
    li a0, 0
  `;

  function observe(options: ClusterOptions) {
    const openings: { cycle: number; instret: number[]; cycles: number[] }[] = [];
    const c: Cluster = cluster(BARRIERS, '', {
      ...options,
      config: { cores: 4 },
      onBarrierRelease: (cycle) => openings.push({ cycle, instret: c.reports.map((r) => r.hart.stats.instret), cycles: c.reports.map((r) => r.hart.stats.cycles) }),
    });
    const result = c.run();
    return { openings, result };
  }

  it('reports every opening in cluster-time order, with the cores\' statistics up to it', () => {
    const { openings, result } = observe({});
    expect(openings).toHaveLength(3);
    expect(openings.map((o) => o.cycle)).toEqual([...openings.map((o) => o.cycle)].sort((a, b) => a - b));
    // Core 3 has the most work: it arrives last and opens the barrier in the cycle it arrives.
    for (const opening of openings) {
      expect(opening.cycles[3]).toBe(opening.cycle);
      expect(opening.cycles.slice(0, 3)).toEqual(Array(3).fill(opening.cycle + PULP_CLUSTER.barrierWakeup));
    }
    expect(openings[2]!.instret.every((n, core) => n < result.cores[core]!.hart.stats.instret)).toBe(true);
  });

  it('sees the same openings and statistics with run-ahead as with the reference scheduler', () => {
    expect(observe({}).openings).toEqual(observe(REFERENCE_CLUSTER).openings);
  });
});
