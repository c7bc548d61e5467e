// mhpmcounter3 and mhpmevent3 on the ISS (docs/iss.md#csrs-environment-errors): the programs of the
// differential tests make every event fire (so their comparison with the RTL compares something),
// compiled blocks and the interpreter agree on them and on a hot loop that changes the selection
// while it runs, and the registers around the counter keep what the CV32E40P keeps.
import { describe, expect, it } from 'vitest';
import { CSR } from '../../isa/csr-names.js';
import { HPM_EVENT } from '../../isa/csr-values.js';
import { loadProgram } from '../../sim/program.js';
import { HPM_PROGRAMS, WORKLOAD_READING } from '../cv32e40p/hpm-programs.js';
import { clusterPrelude, compareCluster, compareSingle, elfOf } from './support/engines.js';
import { program } from './support/single-core-programs.js';

/** The values the program wrote to a5 (the counter's readings), in order. */
function readings(source: string): number[] {
  const { hart } = loadProgram(elfOf(source));
  const values: number[] = [];
  hart.onRetire = (e) => values.push(...e.regWrites.filter((w) => w.reg === 15).map((w) => w.value));
  hart.run(1_000_000);
  return values;
}

const INACTIVE = [HPM_EVENT.fetchMiss, 11, 12, 13, 14, 15];

describe('mhpmcounter3 on the ISS', () => {
  it('every event of the configuration fires in the workload; the fetch miss and bits 11 to 15 never do', () => {
    for (let bit = 0; bit < 16; bit++) {
      const count = readings(HPM_PROGRAMS[bit]![1])[WORKLOAD_READING]!;
      if (INACTIVE.includes(bit)) expect(count, `event ${bit}`).toBe(0);
      else expect(count, `event ${bit}`).toBeGreaterThan(2);
    }
  });

  it.each(HPM_PROGRAMS)('compiled blocks agree with the interpreter: %s', (_, source) => {
    compareSingle(elfOf(source));
  });

  it('compiled blocks agree in a hot loop whose selection changes: cycles, loads, nothing', () => {
    const loop = (label: string): string => `
  li t0, 40
${label}:
  lw t1, 0(a4)
  add t2, t1, t1
  sw t2, 4(a4)
  addi t0, t0, -1
  bnez t0, ${label}
  csrr a5, mhpmcounter3`;
    const source = program(`
  la a4, words
  li t3, 1
  csrw mhpmevent3, t3
${loop('cycles')}
  li t3, ${(1 << HPM_EVENT.load) | (1 << HPM_EVENT.loadStall)}
  csrw mhpmevent3, t3
${loop('loads')}
  csrw mhpmevent3, zero
${loop('none')}
  csrr a0, mhpmcounter3
  andi a0, a0, 0xff
`, 'words: .word 5, 0');
    const { fast, reference } = compareSingle(elfOf(source));
    expect(fast.use.blocks, 'blocks ran while no event or only the cycle was selected').toBeGreaterThan(0);
    // Counted cycles from the reading to the selecting write's EX cycle (csrr 4, li 1, csrw 1),
    // then 40 loads, each followed by its load-use stall: 80 cycles with an event.
    const values = readings(source);
    expect(values[1]! - values[0]!).toBe(4 + 1 + 1 + 80);
    expect(values[2]).toBe(values[1]);
    expect(reference.stop).toEqual({ kind: 'exit', code: values[2]! & 0xff });
  });

  it('cluster: run-ahead and blocks agree with the cycle-by-cycle engine while cores count different events', () => {
    // Core 0 counts cycles (it may run ahead in blocks), the others events per instruction (they
    // interpret), through a hot loop of loads and stores contending for TCDM banks, then a barrier.
    const selections = [
      1 << HPM_EVENT.cycle,
      (1 << HPM_EVENT.loadStall) | (1 << HPM_EVENT.store),
      (1 << HPM_EVENT.load) | (1 << HPM_EVENT.branchTaken),
      (1 << HPM_EVENT.instret) | (1 << HPM_EVENT.fetchMiss),
    ];
    const source = program(`
  csrr s11, mhartid
  li t5, PERIPHERALS_BASE
  li a4, PULP_L1_BASE
  la t0, selections
  slli t1, s11, 2
  add t0, t0, t1
  lw t1, 0(t0)
  csrw mhpmevent3, t1
  addi t0, s11, 20
1:
  lw t3, 0(a4)
  add t4, t3, t3
  sw t4, 4(a4)
  addi t0, t0, -1
  bnez t0, 1b
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  csrr a0, mhpmcounter3
  andi a0, a0, 0xff
`, `selections: .word ${selections.join(', ')}`, clusterPrelude(selections.length));
    const { reference, fast } = compareCluster(elfOf(source), selections.length);
    expect(fast.use.blocks, 'blocks ran').toBeGreaterThan(0);
    expect(fast.use.runAheads, 'cores ran ahead').toBeGreaterThan(0);
    expect(reference.cores.every((c) => c.hart.regs[10]! > 0)).toBe(true);
  });

  it('mhpmevent3 keeps 16 bits; mhpmcounter4..31 and mhpmevent4..31 read 0; hpmcounter3 mirrors the counter', () => {
    const { hart } = loadProgram(elfOf(program(`
  li t0, -1
  csrw mhpmevent3, t0
  csrr s2, mhpmevent3
  csrw 0x324, t0
  csrr s3, 0x324
  csrw 0xb1f, t0
  csrr s4, 0xb1f
  csrr s5, 0xc9f
  csrw mhpmevent3, zero
  csrw mhpmcounter3, t0
  csrw mhpmcounter3h, t0
  csrr s6, hpmcounter3
  csrr s7, hpmcounter3h
  li a0, 0
`)));
    hart.run();
    expect([18, 19, 20, 21, 22, 23].map((r) => hart.regs[r])).toEqual([0xffff, 0, 0, 0, -1, -1]);
    expect(hart.csrs.read(CSR.mhpmcounter3)).toBe(-1);
  });

  it('an ecall the environment serves counts in minstret, as on the RTL testbench, but is no event: the core traps on it', () => {
    const { hart } = loadProgram(elfOf(program(`
  li t0, ${1 << HPM_EVENT.instret}
  csrw mhpmevent3, t0
  csrr s2, minstret
  li a0, 1
  la a1, hpm_text
  li a2, 1
  li a7, 64
  ecall
  csrr s3, minstret
  csrr s4, mhpmcounter3
  li a0, 0
`, 'hpm_text: .ascii "!"')), { output: () => {} });
    hart.run();
    // Between the minstret reads: the first read, li, la (two instructions), li, li and the ecall;
    // as events, from the selecting write on: the same but the ecall, and the second read of minstret.
    expect([hart.regs[19]! - hart.regs[18]!, hart.regs[20]]).toEqual([7, 7 - 1 + 1]);
  });

  it('hpmcounter3 is read-only: writing it is an illegal instruction', () => {
    const { hart } = loadProgram(elfOf(program('  csrw hpmcounter3, zero')), { traps: 'stop' });
    expect(() => hart.run()).toThrow(/read-only/);
  });
});
