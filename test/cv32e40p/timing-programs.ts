/**
 * Small programs that isolate one row of the CV32E40P timing table each (docs/cv32e40p.md#timing),
 * and one each for the differences the RTL showed against the ISS (issue 12), for the
 * differential tests. Each repeats its pattern in a loop where that matters, so that the pattern
 * runs with the pipeline in every state it may meet, and exits with a checksum in a0.
 */
import { program } from '../sim/support/single-core-programs.js';

const C_NOP = '  .2byte 0x0001';

/** `count` copies of `body`, one after another. */
const repeat = (count: number, body: string): string => Array.from({ length: count }, () => body).join('\n');

export const TIMING_ROW_PROGRAMS: readonly (readonly [string, string])[] = [
  ['ALU, mul, cv.mac, SIMD: one cycle, results forwarded', program(`
  li t1, 3
  mul t0, t1, t1
  add t2, t0, t0
  cv.mac t2, t0, t0
  cv.sdotsp.b t3, t2, t2
  sub t4, t3, t2
  cv.add.b t5, t4, t3
  add a0, t5, t4
`)],
  ['load-use: source, dot-product operand, accumulator, store data', program(`
  la a1, words
  lw t0, 0(a1)
  add t1, t0, zero
  lw t2, 4(a1)
  nop
  add t3, t2, zero
  lw t4, 8(a1)
  cv.sdotsp.b t5, t1, t4
  lw t6, 0(a1)
  cv.mac t6, t1, t1
  lw s1, 4(a1)
  sw s1, 12(a1)
  lbu s2, 1(a1)
  add s3, s2, s2
  add a0, t3, t5
  add a0, a0, t6
  add a0, a0, s3
`, 'words: .word 0x01020304, 0x7f80ff01, 0x11223344, 0')],
  ['load-use through the rs2 field of immediate lane moves and shuffles (the decoder marks rs2 read; lane 2 sets bit 20: x1)', program(`
  la a1, words
${repeat(2, `  lw ra, 0(a1)
  cv.extractu.b t0, a1, 2
  lw ra, 4(a1)
  cv.extractu.b t1, a1, 1
  lw ra, 8(a1)
  cv.insert.b t2, a1, 3
  lw ra, 0(a1)
  cv.shuffle.sci.h t3, a1, 2
  lw ra, 4(a1)
  cv.shufflei0.sci.b t4, a1, 2
  lw ra, 8(a1)
  cv.extract.h t5, a1, 1
  add a0, a0, t0
  add a0, a0, t1
  add a0, a0, t2
  add a0, a0, t3
  add a0, a0, t4
  add a0, a0, t5`)}
`, 'words: .word 0x01020304, 0x7f80ff01, 0x11223344, 0')],
  ['post-increment load: the updated base does not stall, the data does', program(`
  la a1, words
  cv.lw t0, (a1), 4
  addi t1, a1, 0
  cv.lw t2, (a1), 4
  addi t3, t2, 1
  cv.lbu t4, (a1), 1
  add t5, a1, t4
  add a0, t1, t3
  add a0, a0, t5
`, 'words: .word 5, 6, 7, 8')],
  ['branches: not taken, taken, taken to an unaligned 32-bit target, to a compressed one', program(`
  li s0, 6
  li a0, 0
1:
  beq zero, zero, 2f
  nop
2:
  bne zero, zero, 9f
  beq zero, zero, 3f
${C_NOP}
3:
  addi a0, a0, 1
  beq zero, zero, 4f
4:
${C_NOP}
${C_NOP}
  addi s0, s0, -1
  bnez s0, 1b
9:
`)],
  ['jal and jalr: 2 cycles, 3 to an unaligned 32-bit target', program(`
  li s0, 5
  li a0, 0
1:
  jal ra, 2f
${C_NOP}
2:
  addi a0, a0, 1
  jal ra, 3f
  nop
3:
  la t0, 4f
  nop
  jalr ra, 0(t0)
${C_NOP}
4:
  addi s0, s0, -1
  bnez s0, 1b
`)],
  ['jalr right after the instruction writing rs1, right after a load of it', program(`
  li s0, 5
  la a1, target
1:
  la t0, 2f
  jalr ra, 0(t0)
  nop
2:
  lw t1, 0(a1)
  jalr ra, 0(t1)
  nop
back:
  addi a0, a0, 1
  addi s0, s0, -1
  bnez s0, 1b
`, 'target: .word back')],
  ['jalr after a load two instructions back (the lw; addi; ret epilogue), and after a longer instruction', program(`
  li s0, 5
  li sp, 0x10000400
1:
  jal ra, func
  jal ra, func2
  addi s0, s0, -1
  bnez s0, 1b
  j 9f
func:
  sw ra, -4(sp)
  lw ra, -4(sp)
  addi sp, sp, 0
  ret
func2:
  sw ra, -4(sp)
  lw ra, -4(sp)
  mulh t0, t1, t2
  ret
9:
  li a0, 7
`)],
  ['mulh, mulhsu, mulhu: 5 cycles', program(`
  li t1, -7
  li t2, 123456789
  mulh t3, t1, t2
  mulhsu t4, t1, t2
  mulhu t5, t1, t2
  add t6, t3, t4
  add a0, t6, t5
`)],
  ['div, divu, rem, remu: 3 + leading zeros of the divisor, 35 for zero (positive and zero divisors)', program(`
  li t1, 1000
${[1, 3, 0x10000, 0xff, 0x7fffffff, 0].map((d) => `  li t2, ${d}\n  div t3, t1, t2\n  divu t4, t1, t2\n  rem t5, t1, t2\n  remu t6, t1, t2\n  add a0, a0, t3\n  add a0, a0, t4\n  add a0, a0, t5\n  add a0, a0, t6`).join('\n')}
  li t2, 0x80000000
  divu t3, t1, t2
  add a0, a0, t3
`)],
  ['misaligned word and halfword crossing a word: 2 cycles', program(`
  la a1, words
${[0, 1, 2, 3].map((o) => `  lw t0, ${o}(a1)\n  lh t1, ${o}(a1)\n  lhu t2, ${o}(a1)\n  add a0, a0, t0\n  add a0, a0, t1\n  add a0, a0, t2`).join('\n')}
  sw a0, 17(a1)
  sh a0, 23(a1)
  sh a0, 21(a1)
  lw t0, 16(a1)
  add a0, a0, t0
`, 'words: .word 0x01020304, 0x7f80ff01, 0x11223344, 0x55667788, 0, 0, 0, 0')],
  ['status CSRs flush the pipeline: 4 cycles; others take 1', program(`
  csrr t0, mcycle
  csrr t1, mcycle
  csrr t2, mscratch
  csrr t3, mhartid
  csrr t4, minstret
  csrr t5, mstatus
  csrr t6, privlv
  csrr t6, cycle
  csrr t6, instreth
  csrr t6, uhartid
  csrw mscratch, t0
  sub a0, t1, t0
  add a0, a0, t4
`)],
  ['a status CSR in a hardware-loop body: the back edge after its flush, in plain decode, costs a jump when the flush is just before the last two instructions', program(`
  li t0, 3
  cv.setup 0, t0, 1f
  addi a0, a0, 1
  csrr t1, mcycle
  addi a0, a0, 2
  addi a0, a0, 3
1:
  li t0, 3
  cv.setup 1, t0, 2f
  csrr t2, minstret
  addi a0, a0, 4
  addi a0, a0, 5
  addi a0, a0, 6
  addi a0, a0, 7
2:
  sub a1, t2, t1
`)],
  ['hardware-loop back edges, nested loops: 0 cycles', program(`
  li a0, 0
  li t0, 4
  cv.setup 1, t0, 2f
  cv.setupi 0, 5, 1f
  addi a0, a0, 1
  xor t1, t1, a0
  add t2, t2, t1
1:
  addi a0, a0, 3
  slli t3, a0, 1
2:
  add a0, a0, t2
`)],
];

/** The differences the issue reported between the RTL and the ISS, each isolated. */
export const KNOWN_DIFFERENCE_PROGRAMS: readonly (readonly [string, string])[] = [
  ['fence and fence.i (the RTL decodes fence as fence.i)', program(`
  fence
  nop
  fence.i
  nop
  fence
  fence
  li a0, 1
`)],
  ['a load followed at once by an instruction writing the same register', program(`
  la a1, words
  lw t1, 0(a1)
  li t1, 2
  lw t2, 4(a1)
  addi t2, zero, 5
  add a0, t1, t2
`, 'words: .word 11, 12')],
  ['jalr rd, rs1 with rd == rs1 right after the instruction producing rs1', program(`
  la t0, 1f
  jalr t0, 0(t0)
1:
  la t1, 2f
  nop
  jalr t1, 0(t1)
2:
  li a0, 3
`)],
  ['a jump right after a multi-cycle instruction (found here: the RTL fetches its target meanwhile)', program(`
  li t1, 7
  li t2, 3
  mulh t0, t1, t2
  jal ra, 1f
  nop
1:
  div t0, t1, t2
  j 2f
  nop
2:
  la t4, 3f
  mulhu t0, t1, t2
  jalr ra, 0(t4)
  nop
3:
  li a0, 4
`)],
  ['div and rem with a negative divisor', program(`
  li t1, 1000
${[-1, -7, -0x10000, -0x80000000].map((d) => `  li t2, ${d}\n  div t3, t1, t2\n  rem t4, t1, t2\n  add a0, a0, t3\n  add a0, a0, t4`).join('\n')}
`)],
];

/** The start-up: the same program ending through tohost and through the ecall exit. */
export const TOHOST_PROGRAM = `
  .text
  .globl _start
_start:
${repeat(3, '  addi a0, a0, 1')}
  la t0, tohost
  li t1, 1
  sw t1, 0(t0)
1: j 1b
  .data
  .align 3
  .globl tohost
tohost: .word 0, 0
`;
