// The cluster's cores reach the platform's CLINT (docs/iss.md#interrupts): each has its own msip
// and mtimecmp, a store to one core's msip wakes that core from wfi and interrupts it, and every
// core reads the same mtime, the cluster's cycle count.
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../sim/cluster/cluster.js';
import { readElf } from '../../isa/elf/reader.js';
import { elfOf, clusterPrelude } from './support/engines.js';

const S1 = 9;
const A1 = 11;

/** Core 0 counts down, then sets core 1's msip; core 1 sleeps in wfi until then, its handler sets s1. */
const SOURCE = `${clusterPrelude(2)}
  .text
  .globl _start
_start:
  csrr a0, mhartid
  bnez a0, sleeper
  li t0, 40
1:
  addi t0, t0, -1
  bnez t0, 1b
  li t1, CLINT_MSIP
  li t2, 1
  sw t2, 4(t1)
  li a0, 0
  li a7, 93
  ecall
sleeper:
  la t0, handler
  csrw mtvec, t0
  li t0, 8
  csrw mie, t0
  csrsi mstatus, 8
  wfi
  li t1, CLINT_MTIME
  lw a1, 0(t1)
  li a0, 0
  li a7, 93
  ecall
  .align 8
handler:
  csrr s2, mcause
  li s1, 1
  li t1, CLINT_MSIP
  sw zero, 4(t1)
  mret
`;

describe('the CLINT in the cluster', () => {
  it("wakes core 1 from wfi with core 0's store to its msip, and interrupts it", () => {
    const cluster = new Cluster({ config: { cores: 2 } });
    cluster.load(readElf(elfOf(SOURCE)));
    const result = cluster.run(100_000);
    expect(result.stop).toEqual({ kind: 'exit', code: 0 });
    const sleeper = cluster.harts[1]!;
    expect(sleeper.regs[S1]).toBe(1);
    expect(sleeper.regs[18]! >>> 0).toBe(0x80000003);
    // Core 1 woke after core 0's countdown: mtime, read after the handler, is past it.
    expect(sleeper.regs[A1]).toBeGreaterThan(80);
    expect(sleeper.regs[A1]).toBeLessThan(sleeper.stats.cycles);
  });
});
