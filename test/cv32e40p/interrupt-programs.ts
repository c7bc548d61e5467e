/**
 * Programs taking machine-mode interrupts from the platform's CLINT (docs/iss.md#interrupts), for
 * the ISS's, the project core's and the CV32E40P RTL's differential tests. The timer is armed
 * relative to the mtime a load reads (`mtimecmp = mtime + k`), so sweeping k makes the line rise
 * in every cycle of the code after the arming, hence at every phase of its pipeline. The handler
 * records each interrupt (mcause, mepc less the program's start) in `records`, two words per
 * interrupt, counts them in s1, disarms the timer and the software bit, and returns to mepc; an
 * exception it records and counts too, and returns past its instruction, the timer left armed; every
 * program exits with the interrupt count in a0. The bodies use s and a registers only (the
 * handler's scratch registers are t0..t6).
 */
import { assemblerEquates } from '../../isa/platform/symbols.js';
import { HPM_EVENT, IRQ_LINE } from '../../isa/csr-values.js';
import { program } from '../sim/support/single-core-programs.js';

const RECORD_WORDS = 2;
const MAX_INTERRUPTS = 16;
const MIE_TIMER = 1 << IRQ_LINE.timer;
const MIE_SOFTWARE = 1 << IRQ_LINE.software;
const MSTATUS_MIE = 8;

/** Three loads, each used by the next instruction (a1 points at `words`). */
const LOAD_USE_CHAIN = `  lw a2, 0(a1)
  addi a2, a2, 1
  lw a3, 4(a1)
  add a3, a3, a2
  lw a6, 8(a1)
  sub a6, a6, a3`;

/** The handler (direct mode, at a 256-byte boundary), and the vector table of vectored mode. */
const HANDLERS = `
  .align 8
irq_handler:
  csrr t0, mcause
  csrr t1, mepc
  la t4, _start
  sub t4, t1, t4
  sw t0, 0(s0)
  sw t4, 4(s0)
  addi s0, s0, ${RECORD_WORDS * 4}
  addi s1, s1, 1
  bgez t0, 1f
  li t2, CLINT_MTIMECMP
  li t3, -1
  sw t3, 4(t2)
  li t2, CLINT_MSIP
  sw zero, 0(t2)
  mret
1:
  addi t1, t1, 4
  csrw mepc, t1
  mret
  .align 8
irq_vectors:
  jal zero, vector_exception
  jal zero, vector_exception
  jal zero, vector_exception
  jal zero, irq_handler
  jal zero, vector_exception
  jal zero, vector_exception
  jal zero, vector_exception
  jal zero, vector_timer
vector_exception:
  li a0, 99
  j exit
vector_timer:
  addi s3, s3, 1
  j irq_handler`;

export interface InterruptSetup {
  /** Vectored mtvec (the handler through the vector table) instead of direct. */
  readonly vectored?: boolean;
  /** The lines mie enables; the timer's unless given. */
  readonly mie?: number;
  /** Set mstatus.MIE (the default). */
  readonly globalEnable?: boolean;
}

/** Install the handler, enable the lines; s0 = records, s1 = count, s3 = timer vector entries. */
function install(setup: InterruptSetup): string {
  const enable = setup.globalEnable ?? true;
  return `
  la t0, ${setup.vectored ? 'irq_vectors + 1' : 'irq_handler'}
  csrw mtvec, t0
  la s0, records
  li s1, 0
  li s3, 0
  li t0, ${setup.mie ?? MIE_TIMER}
  csrw mie, t0
${enable ? `  csrsi mstatus, ${MSTATUS_MIE}` : ''}`;
}

/** Arm the timer to fire k cycles after the mtime the load reads (uses a4, a5). */
export function armTimer(k: number): string {
  return `
  li a4, CLINT_MTIME
  lw a5, 0(a4)
  addi a5, a5, ${k}
  li a4, CLINT_MTIMECMP
  sw a5, 0(a4)
  sw zero, 4(a4)`;
}

/** A program: install, `body`, exit with the interrupt count; the handlers after the exit; `data` in .data. */
export function interruptProgram(body: string, setup: InterruptSetup = {}, data = ''): string {
  return program(
    `${install(setup)}\n${body}\n  mv a0, s1\n  j exit\n${HANDLERS}\nexit:`,
    `${data}\nrecords: .space ${MAX_INTERRUPTS * RECORD_WORDS * 4}`,
    assemblerEquates(),
  );
}

/** Bodies in which the timer fires k cycles after it is armed, for each kind of code. */
export const INTERRUPTED_CODE: readonly (readonly [name: string, body: (k: number) => string])[] = [
  ['a straight-line block', (k) => `${armTimer(k)}
  addi s4, s4, 1
  addi s5, s5, 2
  xor s6, s4, s5
  slli s7, s6, 3
  add s8, s7, s4
  or s9, s8, s5
  sub s10, s9, s6
  and s11, s10, s7
  addi s4, s4, 5
  addi s5, s5, 6`],
  ['a hardware-loop body and its last instruction', (k) => `${armTimer(k)}
  li a1, 0
  cv.setupi 0, 6, 1f
  addi a1, a1, 1
  addi a2, a2, 3
  xor a3, a1, a2
1:
  addi a6, a1, 7`],
  ['a load-use stall', (k) => `  la a1, words\n${armTimer(k)}
${LOAD_USE_CHAIN}
  lw a7, 12(a1)
  xor a7, a7, a6`],
  ['load-use stalls counted by mhpmcounter3', (k) => `  la a1, words
  li a2, ${1 << HPM_EVENT.loadStall}
  csrw mhpmevent3, a2
  csrw mhpmcounter3, zero
${armTimer(k)}
${LOAD_USE_CHAIN}
  csrr a7, mhpmcounter3`],
  ['a divide', (k) => `  li a1, 1000000\n  li a2, 7\n${armTimer(k)}
  div a3, a1, a2
  addi a6, a3, 1
  divu a7, a1, a6
  addi a7, a7, 1
  rem a6, a7, a2
  addi a6, a6, 2`],
  ['a taken branch', (k) => `  li a1, 0\n  li a2, 5\n${armTimer(k)}
1:
  addi a1, a1, 1
  bne a1, a2, 1b
  addi a3, a1, 2
  addi a6, a3, 3`],
  ['a jump and a jalr', (k) => `  la a1, 2f\n${armTimer(k)}
  j 1f
  addi a3, a3, 100
1:
  addi a3, a3, 1
  jalr a2, 0(a1)
  addi a3, a3, 200
2:
  addi a3, a3, 2
  addi a6, a3, 3`],
  ['a status CSR write and mret-free flushes', (k) => `${armTimer(k)}
  csrw mscratch, a1
  csrs mstatus, zero
  addi a3, a3, 1
  fence
  addi a3, a3, 2
  addi a6, a3, 3`],
  // In the CV32E40P's loop decode state a rejected word or CSR access leaves decode for FLUSH_EX in
  // its first cycle there, behind a divide holding EX too: an interrupt coming later waits for the
  // trap's handler and its mret.
  ['a rejected CSR access and word in a hardware-loop body behind divides', (k) => `  li a1, 1000000\n  li a2, 0x1000\n${armTimer(k)}
  cv.setupi 0, 2, 1f
  div a3, a1, a2
  csrr a7, 0x7ff
  addi a6, a6, 1
  div a3, a1, a2
  .word 0xffffffff
  addi a6, a6, 2
1:
  addi a6, a6, 3`],
  ['a wfi, with mcycle read around the sleep', (k) => `${armTimer(k)}
  csrr a1, mcycle
  wfi
  csrr a2, mcycle
  sub a3, a2, a1
  addi a6, a3, 1`],
];

export const INTERRUPT_DATA = `words: .word 10, 20, 30, 40`;

/** Directed programs, each with the interrupt count it exits with. */
export const INTERRUPT_PROGRAMS: readonly (readonly [name: string, source: string, interrupts: number])[] = [
  ['vectored mtvec: the timer through its vector entry', interruptProgram(`${armTimer(3)}\n  nop\n  nop\n  nop\n  nop\n  nop\n  add s1, s1, s3`, { vectored: true }), 2],
  ['software interrupt through msip', interruptProgram(`
  li a4, CLINT_MSIP
  li a5, 1
  sw a5, 0(a4)
  nop
  nop
  nop
  nop`, { mie: MIE_SOFTWARE }), 1],
  ['nested disable: no interrupt while mstatus.MIE is clear, taken once it is set again', interruptProgram(`
  csrci mstatus, ${MSTATUS_MIE}
${armTimer(2)}
  nop
  nop
  nop
  nop
  csrr a1, mip
  csrsi mstatus, ${MSTATUS_MIE}
  nop
  nop`), 1],
  ['mip reads the registered lines, mie masks them', interruptProgram(`
${armTimer(1)}
  nop
  nop
  csrr a1, mip
  li a4, CLINT_MSIP
  li a5, 1
  sw a5, 0(a4)
  nop
  csrr a2, mip
  sw zero, 0(a4)
  nop
  nop
  csrr a3, mip`, { mie: 0 }), 0],
  ['wfi sleeps until the timer, then takes it', interruptProgram(`${armTimer(20)}\n  wfi\n  addi a1, a1, 1\n  addi a2, a2, 2`), 1],
  ['wfi wakes without mstatus.MIE and goes on', interruptProgram(`${armTimer(15)}\n  wfi\n  addi a1, a1, 1\n  csrr a2, mip\n  csrsi mstatus, ${MSTATUS_MIE}\n  nop`, { globalEnable: false }), 1],
  ['wfi with the line already high', interruptProgram(`${armTimer(1)}\n  csrci mstatus, ${MSTATUS_MIE}\n  nop\n  nop\n  wfi\n  addi a1, a1, 1\n  csrsi mstatus, ${MSTATUS_MIE}\n  nop`), 1],
];

/**
 * The arrival offsets k swept: from the last instructions of the arming (the line rises before the
 * code starts) to past the end of the code (no interrupt), every cycle between. INTERRUPT_SWEEP=long
 * sweeps further (the arming itself, and long after).
 */
export function sweptOffsets(env: NodeJS.ProcessEnv = process.env): readonly number[] {
  const [first, last] = env.INTERRUPT_SWEEP === 'long' ? [0, 90] : [6, 44];
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}

/** Every interrupted code with the timer firing k cycles after arming, for each k of `offsets`. */
export function sweepPrograms(offsets: readonly number[]): readonly (readonly [name: string, source: string])[] {
  return INTERRUPTED_CODE.flatMap(([name, body]) => offsets.map((k) => [`${name}, k = ${k}`, interruptProgram(body(k), {}, INTERRUPT_DATA)] as const));
}
