/**
 * The hand-written single-core programs of the engine-equivalence tests (test/sim/engines.test.ts),
 * shared with the differential tests against the CV32E40P RTL (test/cv32e40p/): hardware-loop
 * kernels, hazards across block boundaries, divides, misaligned accesses, self-modifying code. Each
 * defines `_start` and ends with the exit ecall, its exit code in a0.
 */
import { Random } from '../../../util/random.js';
import { PULP_CLUSTER } from '../../../sim/cluster/config.js';
export const EXIT = `
  li a7, 93
  ecall
`;

/** `_start`, the body (which leaves the exit code in a0), the exit, then `data` in .data. */
export function program(body: string, data = '', prelude = ''): string {
  return `${prelude}  .text\n  .globl _start\n_start:\n${body}\n${EXIT}\n  .data\n  .align 2\n${data}\n`;
}

/** `.word` lines of `count` deterministic pseudo-random words. */
export function randomWords(seed: number, count: number): string {
  const random = new Random(seed);
  return Array.from({ length: count }, () => `  .word ${random.uint32() | 0}`).join('\n');
}

/** `count` one-cycle ALU instructions over s6..s8 (a straight run longer than a block when count > 64). */
export function aluRun(count: number): string {
  const forms = ['addi s6, s6, 3', 'xor s7, s7, s6', 'slli s8, s7, 1', 'add s6, s6, s8', 'srai s7, s6, 2', 'or s8, s8, s7'];
  return Array.from({ length: count }, (_, i) => `  ${forms[i % forms.length]!}`).join('\n');
}

/** The cluster's L1 (TCDM), where the programs keep scratch data. */
export const L1 = { name: 'l1', base: PULP_CLUSTER.l1Base, size: PULP_CLUSTER.l1Size };

// --- single-core programs ----------------------------------------------------------------------

/**
 * Hardware-loop kernels: post-increment loads and SIMD dot products (the benchmark's inner loop),
 * loop 1 around loop 0, a body longer than one block (a store in the middle, then more than
 * MAX_BLOCK_LENGTH instructions), and loop counts of 1, 2 and 3 in turn (a count of 1 never
 * iterates inside a block). A branch loop repeats everything 12 times.
 */
export const HWLOOP_KERNELS = program(`
  la a0, vec_a
  la a1, vec_b
  la a5, results
  la a6, scratch
  li s0, 12
pass:
  mv a2, a0
  mv a3, a1
  cv.setupi 0, 16, kernel_end
kernel_body:
  cv.lw t1, (a2), 4
  cv.lw t2, (a3), 4
  cv.sdotsp.b s1, t1, t2        # t2 loaded just before: a load-use stall in every iteration
kernel_end:
  mv a2, a0
  li t0, 3
  cv.setup 1, t0, 3f            # loop 1: three rows ...
  cv.setupi 0, 8, 2f            # ... of loop 0: eight halfword dot products
  cv.lw t1, (a2), 4
  cv.sdotsp.h s2, t1, t1
  cv.sdotup.b s3, t1, t2
2:
  addi s4, s4, 1
  cv.sw s2, (a5), 4             # a store at the end of loop 1's body
3:
  li t0, 5
  cv.setup 0, t0, 4f
  lw t1, 0(a2)
  add s5, s5, t1                # load-use inside the block
${aluRun(20)}
  sw s6, 0(a6)                  # ends the block in the middle of the body
${aluRun(70)}
4:
  li t6, 3
  remu t0, s0, t6
  addi t0, t0, 1                # counts 1, 2, 3, 1, ...
  cv.setup 0, t0, 5f
  addi s9, s9, 1
  xor s10, s10, s9
  slli s11, s10, 3
5:
  cv.setupi 0, 1, 6f            # a count of 1
  lw t3, 4(a1)
  add s9, s9, t3
  xor s10, s10, t3
6:
  addi s0, s0, -1
  bnez s0, pass
  add a0, s1, s2
  add a0, a0, s3
  add a0, a0, s5
  add a0, a0, s6
  add a0, a0, s10
`, `
vec_a:
${randomWords(1, 16)}
vec_b:
${randomWords(2, 16)}
results: .space 160
scratch: .word 0
`);

/**
 * Load-use hazards across block boundaries: a load as the 64th instruction (the last of a block of
 * MAX_BLOCK_LENGTH) used by the first of the next block; a load ending a block before the branch
 * that uses it; a use after a jump (no stall); jalr after a load two back, right after a load, and
 * right after the instruction writing its base; sub-word loads; post-increment base use; a
 * hardware-loop body ending with a load that its first instruction uses (across the back edge
 * taken inside the block).
 */
export const HAZARDS = program(`
  la a0, table
  la a1, vec
  li s0, 20
loop:
${Array.from({ length: 63 }, () => '  addi t3, t3, 3').join('\n')}
  lw t4, 0(a0)                  # the 64th instruction: last of the block
  add s1, s1, t4                # first of the next block, stalls
  sw s1, 16(a0)                 # the store ends this block
  lw t5, 4(a0)                  # last before the branch ...
  bnez t5, 1f                   # ... that uses it
  addi s2, s2, 100
1:
  lw t6, 8(a0)
  j 2f
2:
  add s2, s2, t6                # after the jump: no stall
  lw t0, 12(a0)                 # function pointer
  addi s3, s3, 1
  jalr ra, 0(t0)                # loaded two back with a one-cycle instruction between: stall
  lw t0, 12(a0)
  jalr ra, 0(t0)                # right after the load
  addi t1, t0, 0
  jalr ra, 0(t1)                # base written by the instruction before
  la ra, func
  jalr ra, 0(ra)                # the link register is the base: stall
  lw t1, 20(a0)
  li t1, 3                      # overwrites what the load just loaded: stall (write after write)
  lw zero, 0(a0)
  nop                           # writes x0, which the load just "loaded": stall too
  fence                         # flushes the pipeline
  mulh s9, t2, t2               # holds EX: the jump right after it hides its redirect
  j 5f
5:
  la ra, func
  lh t1, 23(a0)                 # a split access holds EX too
  jalr ra, 0(ra)                # ... which also hides the link-equals-base stall
  lb t1, 20(a0)
  lbu t2, 21(a0)
  lh t3, 22(a0)
  lhu t4, 22(a0)
  add s5, s5, t1
  add s5, s5, t2
  sub s5, s5, t3
  add s5, s5, t4
  cv.lw t1, (a1), 4
  add s6, s6, a1                # the post-incremented base is no load result: no stall
  add s6, s6, t1
  la a2, vec
  cv.setupi 0, 6, 3f
  add s7, s7, t2                # uses the load that ended the previous iteration (or lbu above)
  xor s8, s8, s7
  cv.lw t2, (a2), 4             # the body's last instruction is a load
3:
  cv.setupi 0, 6, 4f
  li t2, 1                      # overwrites what the body's last load loaded, from the 2nd iteration
  xor s8, s8, t2
  lw t2, 0(a2)
4:
  addi s0, s0, -1
  bnez s0, loop
  add a0, s1, s2
  add a0, a0, s4
  add a0, a0, s5
  add a0, a0, s6
  add a0, a0, s8
  j done
func:
  addi s4, s4, 1
  ret
done:
`, `
table:
  .word 17, 1, 5, func, 0, 0x8081f2f3
vec:
${randomWords(3, 20)}
`);

/**
 * `work` is first called plainly, so a block covering all of it is compiled; then it is called as
 * a hardware loop whose body is its first half: that block must not run (Block.fitsLoops).
 */
export const LOOP_END_INSIDE_BLOCK = program(`
  li s0, 10
  li s1, 6
1:
  jal ra, work
  addi s0, s0, -1
  bnez s0, 1b
2:
  cv.starti 0, work
  cv.endi 0, work_mid
  cv.counti 0, 5
  jal ra, work                  # the first four instructions five times, then the rest once
  addi s1, s1, -1
  bnez s1, 2b
  add a0, t3, t5
  j done
work:
  addi t0, t0, 1
  xor t1, t1, t0
  slli t2, t1, 1
  add t3, t3, t2
work_mid:
  addi t4, t4, 3
  add t5, t5, t4
  ret
done:
`);

/** Divisor-dependent division latency, mulh*, rd = rs2, and x0 as a destination of everything. */
export const DIVISORS: readonly [number, number][] = [
  [100, 7], [-100, 7], [100, -7], [12345678, 0], [-1, 0], [0x7fffffff, 1], [-0x80000000, -1], [-0x80000000, 1],
  [5, 0x7fffffff], [5, -0x80000000], [100, -3], [100, -4], [100, -0x7fffffff], [-100, -0x40000000], [0x40000000, 3], [-3, 65536], [255, 255], [1 << 20, 1 << 12], [-987654, 31],
];
export const MUL_DIV = program(`
  li s0, 3
outer:
  la a0, pairs
  li s1, ${DIVISORS.length}
1:
  lw t1, 0(a0)
  lw t2, 4(a0)
  div t3, t1, t2                # uses the load just before; latency from the divisor
  rem t4, t1, t2
  divu t5, t1, t2
  remu t6, t1, t2
  mulh a1, t1, t2
  mulhsu a2, t1, t2
  mulhu a3, t1, t2
  mul a4, t1, t2
  add s2, s2, t3
  xor s2, s2, t4
  add s3, s3, t5
  xor s3, s3, t6
  add s4, s4, a1
  xor s4, s4, a2
  add s5, s5, a3
  xor s5, s5, a4
  mv a5, t2
  div a5, t1, a5                # rd = rs2: the divisor is read before it is overwritten
  add s2, s2, a5
  add zero, t1, t2              # x0 destinations: results dropped
  mul zero, t1, t2
  divu zero, t1, t2
  mulh zero, t1, t2
  lw zero, 0(a0)
  add s6, s6, zero              # a load into x0 loads nothing to wait for
  addi zero, zero, 5
  cv.lw zero, (a0), 8           # the base still advances
  add s6, s6, a0
  addi s1, s1, -1
  bnez s1, 1b
  addi s0, s0, -1
  bnez s0, outer
  add a0, s2, s3
  add a0, a0, s4
  add a0, a0, s5
`, `
pairs:
${DIVISORS.map(([a, b]) => `  .word ${a}, ${b}`).join('\n')}
`);

/** Misaligned loads and stores (split accesses), walking so that the alignment keeps changing. */
export const MISALIGNED = program(`
  la a0, bytes
  li a1, ${L1.base + 0x101}
  li s0, 24
1:
  lw t1, 1(a0)
  lw t2, 2(a0)
  lh t3, 3(a0)
  lhu t4, 1(a0)
  lh t5, 0(a0)
  add s1, s1, t1
  xor s1, s1, t2
  add s1, s1, t3
  xor s1, s1, t4
  add s1, s1, t5
  sw t1, 0(a1)
  sh t3, 2(a1)
  sb t4, 5(a1)
  sw t2, 6(a1)
  addi a0, a0, 1
  addi a1, a1, 3
  addi s0, s0, -1
  bnez s0, 1b
  la a2, bytes
  cv.setupi 0, 20, 2f
  cv.lw t1, (a2), 3             # stride 3: every alignment in turn
  lh t2, 1(a2)
  add s2, s2, t1
  xor s2, s2, t2
2:
  add a0, s1, s2
`, `
bytes:
${randomWords(4, 32)}
`);

/**
 * Loads and stores a block makes directly (DataAccess): every size and sign, offset, indexed and
 * post-increment forms (by an immediate and by a register), a post-increment load into its own
 * base register, one into its step register and one stepping by its base, a store of its own base,
 * L2 and L1 in turn; the last iteration's extra load lies outside memory and faults inside the hot
 * block, after a store into L1.
 */
export const DIRECT_ACCESSES = program(`
  la a0, bytes
  li a1, ${L1.base + 0x200}
  li s0, 16
1:
  lb t0, 0(a0)
  lbu t1, 1(a0)
  lh t2, 2(a0)
  lhu t3, 2(a0)
  lw t4, 4(a0)
  sb t0, 0(a1)
  sh t2, 2(a1)
  sw t4, 4(a1)
  mv a3, a1
  cv.lbu t5, (a3), 4
  cv.lw a3, (a3), 3
  mv a4, a1
  cv.sw a4, (a4), 4
  cv.sh t1, (a4), 2
  li s2, 4
  mv s3, a1
  cv.lw s4, (s3), s2
  cv.lh s5, s2(a0)
  cv.sw s4, (s3), s2
  cv.sb s5, s2(s3)
  mv s6, a1
  cv.lw s2, (s6), s2
  mv s7, a1
  cv.lbu s8, (s7), s7
  li s10, 6
  cv.lhu s9, s10(a0)
  add s1, s1, s2
  xor s1, s1, s3
  add s1, s1, s4
  xor s1, s1, s5
  add s1, s1, s6
  xor s1, s1, s7
  add s1, s1, s8
  xor s1, s1, s9
  lw t6, 4(a1)
  add s1, s1, t0
  xor s1, s1, t1
  add s1, s1, t2
  xor s1, s1, t3
  add s1, s1, t4
  xor s1, s1, t5
  add s1, s1, a3
  xor s1, s1, a4
  add s1, s1, t6
  addi a6, s0, -1
  seqz a6, a6
  slli a6, a6, 30
  add a5, a0, a6
  lw t6, 0(a5)
  addi a0, a0, 8
  addi a1, a1, 12
  addi s0, s0, -1
  bnez s0, 1b
  mv a0, s1
`, `
bytes:
${randomWords(5, 40)}
`);

/**
 * Self-modifying code: a loop whose store goes to a scratch word for the first 49 iterations (so
 * its blocks are hot) and then over the loop's first instruction, `addi s0, s0, 1`, with
 * `addi s0, s0, 100`. 100 iterations: the exit code is 5050 when the new instruction takes effect
 * from iteration 51 on. Either a branch loop (with or without fence.i after the store) or a
 * hardware loop with the store in the middle or at the end of the body. In the shape 'branch,
 * store ahead' the replaced instruction is the one right after the store instead, in the same
 * compiled block, and takes effect in the iteration that stores it (5149): a block must not run
 * the instruction it was compiled with. (The CV32E40P may already have fetched it: that shape is
 * for the ISS's engines only.)
 */
export function selfModifying(shape: 'branch' | 'branch+fence.i' | 'branch, store ahead' | 'hwloop, store inside' | 'hwloop, store last'): string {
  const hwloop = shape.startsWith('hwloop');
  const ahead = shape === 'branch, store ahead';
  const after = shape === 'hwloop, store inside' ? '  addi s3, s3, 1\n  xor s4, s4, s3' : ahead ? 'ahead:\n  addi s0, s0, 1' : '';
  return program(`
  la a0, ${ahead ? 'ahead' : 'body'}
  la a1, scratch
  sub a2, a0, a1
  la t2, patch
  lw t2, 0(t2)
  li s2, 100
  ${hwloop ? 'cv.setup 0, s2, end' : ''}
body:
  ${ahead ? 'addi s5, s5, 1' : 'addi s0, s0, 1                # the instruction that is replaced'}
  addi s1, s1, 1
  sltiu t0, s1, 50
  addi t0, t0, -1               # 0 before iteration 50, then -1
  and t1, a2, t0
  add t1, t1, a1                # scratch, then body
  sw t2, 0(t1)
${shape === 'branch+fence.i' ? '  fence.i' : ''}
${after}
${hwloop ? '' : '  bne s1, s2, body'}
end:
  mv a0, s0
  j exit
patch:
  addi s0, s0, 100
exit:
`, 'scratch: .word 0');
}

/**
 * The programs above that behave alike on every CV32E40P whatever its fetch timing, named: the
 * self-modifying ones rewrite code only where the core has not fetched it yet, or after fence.i.
 * (A store inside or at the end of a hardware-loop body, without fence.i, may take effect one
 * iteration later on the RTL, which RISC-V allows: the lists that compare with it add those
 * shapes where they hold.)
 */
export const TIMING_INDEPENDENT_PROGRAMS: readonly (readonly [string, string])[] = [
  ['hardware-loop kernels', HWLOOP_KERNELS],
  ['hazards across block boundaries', HAZARDS],
  ['a hardware loop ending inside straight-line code', LOOP_END_INSIDE_BLOCK],
  ['mulh and div/rem with various divisors', MUL_DIV],
  ['misaligned loads and stores', MISALIGNED],
  ['self-modifying code, branch loop', selfModifying('branch')],
  ['self-modifying code, branch loop with fence.i', selfModifying('branch+fence.i')],
];
