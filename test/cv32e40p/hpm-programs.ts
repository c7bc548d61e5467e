/**
 * Programs for the programmable performance counter mhpmcounter3 (docs/cv32e40p.md#performance-counter):
 * each selects events in mhpmevent3, runs a workload that makes every event fire in its corner
 * cases (post-increment, misaligned and indexed accesses, load-use stalls of every kind, jal and
 * jalr with each of their stalls, compressed jumps and branches, cv.beqimm, hardware-loop back
 * edges, multi-cycle instructions, fence.i, traps and mret), and reads the counter into a5 after
 * each part, so that the differential tests compare every reading. One read (into a6) comes right
 * after a load of its destination (the read's own load-use stall), and the workload also writes
 * the counter, inhibits it and changes the selection midway.
 */
import { HPM_EVENT } from '../../isa/csr-values.js';
import { program } from '../sim/support/single-core-programs.js';
import { trapProgram } from './trap-programs.js';

const READ = '  csrr a5, mhpmcounter3';

/** Parts of the workload, each ending with a read of the counter; a4 points at `hpm_data`. */
const PARTS: readonly string[] = [
  // Loads and stores: plain, post-increment, indexed, byte and halfword, misaligned (split).
  `  lw a0, 0(a4)
  lbu a1, 5(a4)
  sw a0, 16(a4)
  cv.lw a2, (a3), 4
  cv.sw a2, (a3), 4
  cv.lw a0, a1(a4)
  lw a1, 1(a4)
  sh a1, 19(a4)
  lhu a2, 3(a4)
  sb a2, 21(a4)
${READ}`,
  // Load-use stalls: a source, the store data, the WAW overwrite (none after a split load), a
  // source after a split load, a post-increment pointer (none), and the counter read waiting for
  // its own destination.
  `  lw a0, 0(a4)
  add a1, a0, a0
  lw a2, 4(a4)
  sw a2, 24(a4)
  lw a1, 8(a4)
  li a1, 7
  lw a1, 1(a4)
  li a1, 8
  lhu a1, 3(a4)
  add a1, a1, a1
  cv.lw a0, (a3), 4
  lw a0, 0(a3)
  lw a6, 0(a4)
  csrr a6, mhpmcounter3
${READ}`,
  // jal, jalr: plain, after the producer of the base, after a load of it, two back after a load
  // (a one-cycle and a multi-cycle instruction between), link = base.
  `  jal ra, 1f
1:
  la a0, 2f
  jalr zero, 0(a0)
2:
  la a1, hpm_targets
  lw a0, 0(a1)
  jalr zero, 0(a0)
hpm_jump_1:
  lw a0, 4(a1)
  addi a2, a2, 1
  jalr zero, 0(a0)
hpm_jump_2:
  lw a0, 8(a1)
  mulh a2, a2, a2
  jalr zero, 0(a0)
hpm_jump_3:
  la a0, 6f
  jalr a0, 0(a0)
6:
${READ}`,
  // Branches taken and not, to a misaligned 32-bit target, cv.beqimm/cv.bneimm.
  `  li a0, 3
  beq a0, zero, 1f
  bne a0, zero, 1f
  nop
1:
  blt zero, a0, 2f
  .2byte 0x0001
2:
  lui a1, 1
  cv.beqimm a0, 3, 3f
  nop
3:
  cv.bneimm a0, 3, 4f
  addi a0, a0, -1
  bnez a0, 3b
4:
${READ}`,
  // Compressed instructions: ALU, loads and stores, jumps and branches.
  `  .option rvc
  addi a0, a0, 1
  mv a1, a0
  lw a2, 0(a4)
  sw a2, 28(a4)
  beqz a0, 1f
  bnez a0, 1f
  nop
1:
  j 2f
  nop
2:
  la a0, 3f
  jr a0
3:
  la a0, 4f
  jalr a0
4:
  .option norvc
  .balign 4
${READ}`,
  // A hardware loop: back edges, a load-use stall across them, mulh, div.
  `  li a0, 5
  cv.setupi 0, 4, 1f
  lw a1, 0(a4)
  mulh a2, a1, a0
  div a2, a1, a0
  add a2, a2, a1
1:
  cv.setup 0, a0, 2f
  addi a1, a1, 1
  lw a2, 4(a4)
  add a2, a2, a1
2:
${READ}`,
  // A jalr right after a taken branch, fetched but never run, whose base the load before the
  // branch writes back: the jalr stall is active on it (not when the branch waited for that load).
  `  la a0, 1f
  sw a0, 0(a4)
  lw a0, 0(a4)
  bnez a4, 1f
  jalr zero, 0(a0)
1:
  lw a0, 0(a4)
  bnez a0, 2f
  jalr zero, 0(a0)
2:
  lw a1, 0(a4)
  bnez a4, 3f
  .option rvc
  jr a1
  .option norvc
  .balign 4
3:
${READ}`,
  // fence.i, traps (ebreak, c.ebreak, an illegal word, an ecall to the handler, an illegal CSR
  // access right after a load of its source) and the handler's mret.
  `  fence.i
  ebreak
  .option rvc
  ebreak
  .option norvc
  .word 0xffffffff
  li a7, 9
  ecall
  lw a0, 0(a4)
  csrw mhartid, a0
${READ}`,
  // Counter writes, both halves, while events count; inhibit and release it.
  `  li a0, -3
  csrw mhpmcounter3, a0
  addi a1, a1, 1
${READ}
  csrr a5, mhpmcounter3h
  csrw mhpmcounter3h, a1
  lw a0, 0(a4)
${READ}
  csrsi mcountinhibit, 8
  lw a0, 0(a4)
  add a1, a0, a0
${READ}
  csrci mcountinhibit, 8
  lw a0, 0(a4)
  add a1, a0, a0
${READ}
  csrr a5, hpmcounter3
  csrr a5, hpmcounter3h`,
];

/**
 * The index, among the values written to a5, of the last reading under the workload's first
 * selection: mhpmevent3's read-back comes first, then one reading per part before the switch.
 */
export const WORKLOAD_READING = PARTS.length - 2;

const DATA = 'hpm_data: .word 0x01020304, 0x05060708, 0x090a0b0c, 0x0d0e0f10, 0, 0, 0, 0, 0, 0, 0, 0';
const TARGETS = 'hpm_targets: .word hpm_jump_1, hpm_jump_2, hpm_jump_3';

/** The workload under the selection `events`, which it switches to `then` before its last parts. */
function hpmProgram(events: number, then: number): string {
  const select = (value: number): string => `  li a0, ${value}\n  csrw mhpmevent3, a0\n  csrr a5, mhpmevent3`;
  const body = [
    '  la a4, hpm_data\n  addi a3, a4, 32\n  csrw mhpmcounter3, zero',
    select(events),
    ...PARTS.slice(0, -2),
    select(then),
    ...PARTS.slice(-2),
  ].join('\n');
  return trapProgram(body, '', `${DATA}\n${TARGETS}`);
}

const EVENT_NAMES = Object.fromEntries(Object.entries(HPM_EVENT).map(([name, bit]) => [bit, name]));

/** Name, source, and the exit code (the number of traps the workload takes). */
export const HPM_PROGRAMS: readonly (readonly [string, string, number])[] = [
  ...Array.from({ length: 16 }, (_, bit) => [`event ${bit} (${EVENT_NAMES[bit] ?? 'none in this configuration'})`, hpmProgram(1 << bit, 1 << bit), 5] as const),
  ['every event but the cycle, then loads and stores only', hpmProgram(0xfffe, (1 << HPM_EVENT.load) | (1 << HPM_EVENT.store)), 5],
  ['stalls and taken branches, then the cycle', hpmProgram((1 << HPM_EVENT.loadStall) | (1 << HPM_EVENT.jumpRegisterStall) | (1 << HPM_EVENT.branchTaken), 1), 5],
  ['the cycle, then retirements and compressed instructions', hpmProgram(1, (1 << HPM_EVENT.instret) | (1 << HPM_EVENT.compressed)), 5],
  ['nothing, then every bit written (the upper half reads back 0)', hpmProgram(0, -1), 5],
  // The same rules for the fixed counters: a write replaces the increment of its own EX cycle (or
  // its own retirement), an inhibit bit changes from the cycle after the write, and a read waiting
  // for its destination register sees the cycle of that load-use stall. The testbench's core starts
  // with mcountinhibit 0.
  ['mcycle and minstret: writes, both halves, inhibit and release, a read after its own stall', program(`
  csrr a5, mcountinhibit
  la a4, hpm_data
  li t0, 100
  csrw mcycle, t0
  csrr a5, mcycle
  csrw minstret, t0
  nop
  csrr a5, minstret
  li t1, 5
  csrw mcountinhibit, t1
  csrr a5, mcycle
  csrr a5, minstret
  csrw mcountinhibit, zero
  csrr a5, mcycle
  csrr a5, minstret
  lw a5, 0(a4)
  csrr a5, mcycle
  lw a5, 0(a4)
  csrr a5, minstret
  li t1, -1
  csrw mcycleh, t1
  csrr a5, mcycle
  csrr a5, mcycleh
  csrw minstreth, t1
  csrr a5, minstret
  csrr a5, instreth
  csrr a5, 0xc04
  csrr a5, 0xc9f
  csrw 0xb04, t1
  csrr a5, 0xb04
  li a0, 0
`, DATA), 0],
];

/** `ecall` write of one byte to stdout (served by the environment on the ISS, by the testbenches' handlers on the cores). */
const WRITE_ECALL = '  li a0, 1\n  la a1, hpm_data\n  li a2, 1\n  li a7, 64\n  ecall';

/**
 * Programs that count across write ecalls: the ISS serves them in one cycle without an event, the
 * testbenches run a handler of their own, which they leave out of the counters. No trap handler of
 * the program's (the core's testbench serves write ecalls only without one).
 */
export const HPM_ECALL_PROGRAMS: readonly (readonly [string, string])[] = [
  ['cycle', 1 << HPM_EVENT.cycle],
  ['retired instructions', 1 << HPM_EVENT.instret],
  ['loads, stores and load-use stalls', (1 << HPM_EVENT.load) | (1 << HPM_EVENT.store) | (1 << HPM_EVENT.loadStall)],
  ['jumps, branches and taken branches', (1 << HPM_EVENT.jump) | (1 << HPM_EVENT.branch) | (1 << HPM_EVENT.branchTaken)],
].map(([name, events]) => [`across write ecalls: ${name}`, program(`
  la a4, hpm_data
  li t0, ${events}
  csrw mhpmevent3, t0
  lw t1, 0(a4)
  add t2, t1, t1
  sw t2, 16(a4)
${WRITE_ECALL}
  csrr a5, mhpmcounter3
  lw t1, 4(a4)
  add t2, t1, t1
  beqz t2, 1f
  j 2f
1:
  nop
2:
${WRITE_ECALL}
  lw a5, 0(a4)
  csrr a5, mhpmcounter3
  csrr a6, mcycle
  li a0, 0
`, DATA)] as const);

