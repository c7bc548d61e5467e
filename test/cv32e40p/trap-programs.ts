/**
 * Programs that install a trap handler and trap by every cause the CV32E40P takes (illegal
 * instruction, breakpoint, ecall from machine mode), for the ISS's trap tests and the differential
 * tests against the RTL (docs/iss.md#traps, docs/cv32e40p.md#timing). The handler records each
 * trap (mcause, mepc less the program's start, mtval, mstatus) in `records`, four words per trap,
 * counts traps in s1, and returns past the trapping instruction (2 or 4 bytes) unless the program
 * says otherwise; each program exits with the trap count in a0.
 */
import { HPM_EVENT } from '../../isa/csr-values.js';
import { program } from '../sim/support/single-core-programs.js';

/** mcause, mepc - _start, mtval, mstatus: the words the handler records per trap. */
export const RECORD_WORDS = 4;

/** Room in `records`: no program traps more often. */
const MAX_TRAPS = 16;

/**
 * The handler at a 256-byte boundary (mtvec keeps bits 31:8 only). It leaves s0 (the record
 * pointer) pointing past the last record and s1 counting traps; t0..t6 are its scratch registers.
 * When s2 is not zero it returns to s2 (and clears it) instead of past the trapping instruction.
 */
const HANDLER = `
  .align 8
trap_handler:
  csrr t0, mcause
  csrr t1, mepc
  csrr t2, mtval
  csrr t3, mstatus
  la t4, _start
  sub t4, t1, t4
  sw t0, 0(s0)
  sw t4, 4(s0)
  sw t2, 8(s0)
  sw t3, 12(s0)
  addi s0, s0, 16
  addi s1, s1, 1
  beqz s2, 1f
  csrw mepc, s2
  li s2, 0
  mret
1:
  lhu t5, 0(t1)
  andi t5, t5, 3
  li t6, 3
  addi t1, t1, 2
  bne t5, t6, 2f
  addi t1, t1, 2
2:
  csrw mepc, t1
  mret`;

/** Install the handler and the record pointer. */
const INSTALL = `
  la t0, trap_handler
  csrw mtvec, t0
  la s0, records
  li s1, 0
  li s2, 0`;

/**
 * A program: install, `body`, exit with the trap count; the handler, then `code`, after the exit;
 * `data` in .data before the records.
 */
export function trapProgram(body: string, code = '', data = ''): string {
  return program(`${INSTALL}\n${body}\n  mv a0, s1\n  j exit\n${HANDLER}\n${code}\nexit:`, `${data}\nrecords: .space ${MAX_TRAPS * RECORD_WORDS * 4}`);
}

/**
 * A second handler, which traps itself: it keeps mepc in mscratch, makes the recording handler
 * the trap vector and runs ebreak, then returns past its own trap.
 */
const TRAPPING_HANDLER = `
  .align 8
handler_trap:
  csrr t0, mepc
  csrw mscratch, t0
  la t1, trap_handler
  csrw mtvec, t1
  ebreak
  csrr t0, mscratch
  addi t0, t0, 4
  csrw mepc, t0
  mret`;

/** a4 at `records`, mhpmcounter3 counting load-use stalls from zero, and a loop of 3 entered, its body begun. */
const LOOP_COUNTING_LOAD_STALLS = `  la a4, records
  li a2, ${1 << HPM_EVENT.loadStall}
  csrw mhpmevent3, a2
  csrw mhpmcounter3, zero
  li a2, 3
  cv.setup 0, a2, 1f
  addi a1, a1, 1`;

/** Name, source, and the exit code: how many traps the program takes. */
export const TRAP_PROGRAMS: readonly (readonly [string, string, number])[] = [
  ['illegal instructions: a reserved opcode, the zero halfword, a write to a read-only CSR, an unknown CSR', trapProgram(`
  addi a1, a1, 1
  .word 0xffffffff
  addi a1, a1, 2
  .2byte 0x0000
  addi a1, a1, 3
  csrw mhartid, a1
  addi a1, a1, 4
  csrr a2, 0x7c0
  addi a1, a1, 5`), 4],
  ['ecall that is no environment call, ebreak and c.ebreak', trapProgram(`
  li a7, 1
  ecall
  addi a1, a1, 1
  ebreak
  addi a1, a1, 2
  .2byte 0x9002  # c.ebreak
  addi a1, a1, 3`), 3],
  ['mret elsewhere than past the trap; mstatus.MIE and MPIE through a trap and mret', trapProgram(`
  csrsi mstatus, 8
  la s2, 1f
  ebreak
  addi a1, a1, 100
1:
  csrr a2, mstatus
  csrci mstatus, 8
  ebreak
  csrr a3, mstatus
  add a1, a2, a3`), 2],
  ['traps right after a load of a register, a mulh, a divide, a taken branch and a jump', trapProgram(`
  la a4, records
  li t1, 7
  li t2, 3
  lw a5, 0(a4)
  ebreak
  lw a5, 0(a4)
  .word 0xffffffff
  mulh a6, t1, t2
  ebreak
  div a6, t1, t2
  ebreak
  beq zero, zero, 1f
  nop
1:
  ebreak
  jal ra, 2f
  nop
2:
  .word 0xffffffff
  add a1, a5, a6`), 6],
  ['trapping 32-bit instructions at addresses 2 mod 4, and mret to such an address', trapProgram(`
  .2byte 0x0001
  .word 0xffffffff
  .2byte 0x0585  # c.addi a1, 1
  la s2, 1f
  ebreak
  .2byte 0x0001  # c.nop
1:
  .word 0xffffffff
  addi a1, a1, 2`), 3],
  ['mtvec in vectored mode: exceptions go to its base; mtvec reads back base and mode', trapProgram(`
  la t0, trap_handler
  ori t0, t0, 1
  csrw mtvec, t0
  csrr a2, mtvec
  ebreak
  li a7, 2
  ecall
  csrr a3, mtvec
  sub a1, a3, a2`), 2],
  ['a trap in the middle of a hardware-loop body, and one as the last instruction of a body', trapProgram(`
  li t0, 3
  cv.setup 0, t0, 1f
  addi a1, a1, 1
  ebreak
  addi a1, a1, 2
1:
  cv.setupi 1, 2, 2f
  addi a1, a1, 3
  addi a1, a1, 5
  .word 0xffffffff
2:
  addi a1, a1, 4`), 4],
  ['illegal words at each place of loop bodies, in every iteration, in a single-iteration loop; mret to a body\'s second-last instruction', trapProgram(`
  li t0, 3
  cv.setup 0, t0, 1f
  .word 0xffffffff
  addi a1, a1, 1
  addi a1, a1, 2
1:
  li t0, 3
  cv.setup 0, t0, 2f
  addi a1, a1, 3
  .word 0xffffffff
  addi a1, a1, 4
2:
  cv.setupi 1, 1, 3f
  addi a1, a1, 5
  .word 0xffffffff
  addi a1, a1, 6
3:
  li t0, 2
  la s2, 5f
  cv.setup 0, t0, 4f
  ebreak
5:
  addi a1, a1, 7
  addi a1, a1, 8
4:
  addi a1, a1, 9`), 9],
  ['mret to a body\'s last instruction, a load whose value the body\'s first instruction uses across the back edge', trapProgram(`
  la a4, records
  li t0, 3
  cv.setup 0, t0, 1f
  add a1, a1, a5
  ebreak
  lw a5, 0(a4)
1:
  addi a1, a1, 1`), 3],
  ['mret to a body\'s second-last instruction, the last waiting in decode (a load-use stall, a divide in EX) while its back edge is taken', trapProgram(`
  la a4, records
  li t0, 3
  cv.setup 0, t0, 1f
  addi a1, a1, 1
  ebreak
  lw a5, 0(a4)
  add a1, a1, a5
1:
  li t0, 3
  li t1, 7
  cv.setup 0, t0, 2f
  addi a1, a1, 1
  ebreak
  div a2, a1, t1
  addi a1, a1, 2
2:
  addi a1, a1, 1`), 6],
  ['the illegal CSR access right after the load of its source, and a trap inside the handler', trapProgram(`
  la a4, records
  lw a5, 0(a4)
  csrw mhartid, a5
  lw a5, 0(a4)
  csrrs a6, 0x7c0, a5
  la t0, handler_trap
  csrw mtvec, t0
  ebreak
  addi a1, a1, 1`, TRAPPING_HANDLER), 3],
  ['exit and write stay the environment\'s with a handler installed; its trap CSRs see nothing of them', trapProgram(`
  li a7, 1
  ecall
  li t0, 0x5a5a
  csrw mscratch, t0
  li a0, 1
  la a1, text
  li a2, 3
  li a7, 64
  ecall
  csrr a3, mscratch
  csrr a4, mepc
  csrr a5, mcause
  csrr a6, mstatus
  ebreak`, `text: .ascii "ok\\n"
  .align 2`), 2],
  ['back-to-back traps', trapProgram(`
  ebreak
  ebreak
  .word 0xffffffff
  ebreak
  li a7, 5
  ecall
  ecall`), 6],
  ['in a loop body, an illegal word right after a divide and an illegal CSR access right after a mulh: flushed for at once, while the older instruction holds EX', trapProgram(`
  li a3, 7
  li a2, 3
  cv.setup 0, a2, 1f
  addi a1, a1, 1
  div a4, a1, a3
  .word 0xffffffff
  mulh a5, a1, a3
  csrw mhartid, a1
  addi a1, a1, 2
  addi a1, a1, 3
  addi a1, a1, 4
1:
  addi a1, a1, 1`), 6],
  ['in a loop body, the illegal CSR access right after the load of its source: no load-use stall, and no load-use event (mhpmcounter3 in a3)', trapProgram(`
${LOOP_COUNTING_LOAD_STALLS}
  lw a5, 0(a4)
  csrw mhartid, a5
  lw a5, 0(a4)
  csrrs a6, 0x7c0, a5
  addi a1, a1, 2
  addi a1, a1, 3
1:
  csrr a3, mhpmcounter3`), 6],
  ['in a loop body, an illegal word right after a split load, an illegal CSR access right after a split store, one reading what a split load loads: with grant delays the flush ends at the first half\'s grant', trapProgram(`
  la a4, scratch
  li a2, 3
  cv.setup 0, a2, 1f
  addi a1, a1, 1
  lw a5, 2(a4)
  .word 0xffffffff
  sw a1, 6(a4)
  csrw mhartid, a1
  lh a6, 3(a4)
  csrw mhartid, a6
  addi a1, a1, 2
  addi a1, a1, 3
1:
  addi a1, a1, 1`, '', 'scratch: .word 0x01020304, 0x05060708, 0x090a0b0c'), 9],
  ['mret to a body\'s second-last instruction, the last a load that reads the register it loads: after the back edge from decode its word, left in decode, stalls on itself (the load-use events in a3)', trapProgram(`
${LOOP_COUNTING_LOAD_STALLS}
  ebreak
  li a5, 0
  cv.lb a5, a5(a4)
1:
  csrr a3, mhpmcounter3`), 3],
  ['after an mret into a loop\'s final iteration the rest of the body decodes in plain DECODE: an illegal word there, then after a load an illegal CSR access reading it', trapProgram(`
  la a4, records
  li a2, 2
  cv.setup 0, a2, 1f
  addi a1, a1, 1
  ebreak
  addi a1, a1, 2
  .word 0xffffffff
  lw a5, 0(a4)
  csrw mhartid, a5
  addi a1, a1, 3
  addi a1, a1, 4
1:
  addi a1, a1, 1`), 6],
  ['an illegal word at a body\'s start after its back edge taken from decode behind a divide, the last instruction: decode waits for EX to empty, no overlap', trapProgram(`
  li a3, 7
  li a2, 3
  cv.setup 0, a2, 1f
  .word 0xffffffff
  addi a1, a1, 1
  div a4, a1, a3
1:
  addi a1, a1, 1`), 3],
];
