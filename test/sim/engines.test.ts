/**
 * The fast paths of the ISS promise results identical to the reference engine:
 *  - compiled blocks (sim/core/block.ts) against interpreting every instruction (`blocks: false`);
 *  - the cluster's run-ahead scheduler with blocks against one instruction per scheduling decision,
 *    all interpreted (`{ blocks: false, runAhead: false }`).
 * Every program here runs on both and must leave the same registers, pc, hardware-loop state,
 * memory, output, stop reason or fault message, and every counter (CoreStats, and in the cluster
 * each core's PortStats), also when stopped by a cycle limit. The support code counts how often
 * blocks, in-block loop iterations and run-ahead were used, and each case checks that they were:
 * a comparison that never leaves the interpreter proves nothing.
 *
 * Programs loop well over COMPILE_AFTER_VISITS (4) times so that their code is compiled.
 */
import { describe, expect, it } from 'vitest';
import { Random } from '../../util/random.js';
import { decode } from '../../isa/decoder.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { PULP_CLUSTER } from '../../sim/cluster/config.js';
import { Block, CodeEpoch } from '../../sim/core/block.js';
import { enc } from './harness.js';
import {
  clusterPrelude, compareCluster, compareSingle, elfOf, runCluster, runSingle as runSingleOn,
  type SingleOptions, type SingleOutcome,
} from './support/engines.js';
import { compileC, crossCompilerMissing } from './support/gcc.js';
import { sparseBlockXnmsparse } from '../../sw/kernels/sparse-block-xnmsparse.js';
import { expectedOutputs, instantiate } from '../../sw/kernels/instance.js';
import { placeInputs, runKernel } from '../../sw/kernels/run.js';

const EXIT = `
  li a7, 93
  ecall
`;

/** `_start`, the body (which leaves the exit code in a0), the exit, then `data` in .data. */
function program(body: string, data = '', prelude = ''): string {
  return `${prelude}  .text\n  .globl _start\n_start:\n${body}\n${EXIT}\n  .data\n  .align 2\n${data}\n`;
}

/** `.word` lines of `count` deterministic pseudo-random words. */
function randomWords(seed: number, count: number): string {
  const random = new Random(seed);
  return Array.from({ length: count }, () => `  .word ${random.uint32() | 0}`).join('\n');
}

/** `count` one-cycle ALU instructions over s6..s8 (a straight run longer than a block when count > 64). */
function aluRun(count: number): string {
  const forms = ['addi s6, s6, 3', 'xor s7, s7, s6', 'slli s8, s7, 1', 'add s6, s6, s8', 'srai s7, s6, 2', 'or s8, s8, s7'];
  return Array.from({ length: count }, (_, i) => `  ${forms[i % forms.length]!}`).join('\n');
}

/**
 * The PULP map with a small L2 for the hand-written single-core programs: every run allocates
 * pre-decode arrays for its regions, and the cycle-limit tests run a program hundreds of times.
 */
const L1 = { name: 'l1', base: PULP_CLUSTER.l1Base, size: PULP_CLUSTER.l1Size };
const SMALL_MAP = [L1, { name: 'l2', base: PULP_CLUSTER.l2Base, size: 0x8000 }];
const L1_END = L1.base + L1.size;

const runSingle = (elf: Uint8Array, blocks: boolean, options: SingleOptions = {}): SingleOutcome => runSingleOn(elf, blocks, { memoryMap: SMALL_MAP, ...options });

// --- single-core programs ----------------------------------------------------------------------

/**
 * Hardware-loop kernels: post-increment loads and SIMD dot products (the benchmark's inner loop),
 * loop 1 around loop 0, a body longer than one block (a store in the middle, then more than
 * MAX_BLOCK_LENGTH instructions), and loop counts of 1, 2 and 3 in turn (a count of 1 never
 * iterates inside a block). A branch loop repeats everything 12 times.
 */
const HWLOOP_KERNELS = program(`
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
const HAZARDS = program(`
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
const LOOP_END_INSIDE_BLOCK = program(`
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
const DIVISORS: readonly [number, number][] = [
  [100, 7], [-100, 7], [100, -7], [12345678, 0], [-1, 0], [0x7fffffff, 1], [-0x80000000, -1], [-0x80000000, 1],
  [5, 0x7fffffff], [5, -0x80000000], [100, -3], [100, -4], [100, -0x7fffffff], [-100, -0x40000000], [0x40000000, 3], [-3, 65536], [255, 255], [1 << 20, 1 << 12], [-987654, 31],
];
const MUL_DIV = program(`
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
const MISALIGNED = program(`
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
 * Self-modifying code: a loop whose store goes to a scratch word for the first 49 iterations (so
 * its blocks are hot) and then over the loop's first instruction, `addi s0, s0, 1`, with
 * `addi s0, s0, 100`. 100 iterations: the exit code is 5050 when the new instruction takes effect
 * from iteration 51 on. Either a branch loop (with or without fence.i after the store) or a
 * hardware loop with the store in the middle or at the end of the body.
 */
function selfModifying(shape: 'branch' | 'branch+fence.i' | 'hwloop, store inside' | 'hwloop, store last'): string {
  const hwloop = shape.startsWith('hwloop');
  const after = shape === 'hwloop, store inside' ? '  addi s3, s3, 1\n  xor s4, s4, s3' : '';
  return program(`
  la a0, body
  la a1, scratch
  sub a2, a0, a1
  la t2, patch
  lw t2, 0(t2)
  li s2, 100
  ${hwloop ? 'cv.setup 0, s2, end' : ''}
body:
  addi s0, s0, 1                # the instruction that is replaced
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

// --- single core ------------------------------------------------------------------------------

/** Run interpreted and with blocks, require identical results and that blocks really ran. */
function compare(source: string, options: SingleOptions & { loopBacks?: boolean } = {}): { reference: SingleOutcome; fast: SingleOutcome } {
  const { loopBacks = false, ...runOptions } = options;
  const outcome = compareSingle(elfOf(source), { memoryMap: SMALL_MAP, ...runOptions });
  expect(outcome.fast.use.blocks, 'blocks ran').toBeGreaterThan(0);
  if (loopBacks) expect(outcome.fast.use.loopBacks, 'hardware-loop iterations inside a block').toBeGreaterThan(0);
  return outcome;
}

describe('single core: compiled blocks give the interpreter\'s results', () => {
  const programs: [string, string, { loopBacks?: boolean }][] = [
    ['hardware loops: SIMD kernel, nested loops, a body longer than a block, counts of 1', HWLOOP_KERNELS, { loopBacks: true }],
    ['load stalls (use, write after write) across block boundaries, jalr stalls, fences, sub-word loads', HAZARDS, { loopBacks: true }],
    ['a block compiled outside a hardware loop, later run with a loop ending inside it', LOOP_END_INSIDE_BLOCK, {}],
    ['mulh and div/rem with various divisors, x0 as destination', MUL_DIV, {}],
    ['misaligned loads and stores (split accesses)', MISALIGNED, { loopBacks: true }],
  ];

  it.each(programs)('%s', (_, source, expectations) => {
    const { reference } = compare(source, expectations);
    expect(reference.stop).toEqual({ kind: 'exit', code: expect.any(Number) });
  });

  it('the programs exercise the timing rules they are about', () => {
    // Guards the programs themselves: a counter that stays 0 in both engines compares nothing.
    const stats = (source: string) => runSingle(elfOf(source), false).hart.stats;
    expect(stats(HWLOOP_KERNELS).loadUseStalls).toBeGreaterThan(12 * 16);
    const hazards = stats(HAZARDS);
    expect(hazards.loadUseStalls).toBeGreaterThanOrEqual(20 * (3 + 2 + 5));
    expect(hazards.jalrStalls).toBeGreaterThanOrEqual(20 * 4);
    expect(hazards.fenceStalls).toBe(20 * 3);
    expect(stats(MUL_DIV).multiCycle).toBeGreaterThan(3 * DIVISORS.length * 6 * 2);
    expect(stats(MISALIGNED).splitAccessStalls).toBeGreaterThan(24 * 4);
  });

  it('a 1:8-sparse kernel block of gather instructions (sparse-block-xnmsparse), repeated', () => {
    const block = instantiate(sparseBlockXnmsparse, { params: { channels: 4, repeats: 6 }, seed: 23 });
    const { fast } = compareSingle(block.elf, { table: block.table, setup: (memory) => placeInputs(memory, block.inputs) });
    expect(fast.use.blocks).toBeGreaterThan(0);
    expect(runKernel(block).outputs).toEqual(expectedOutputs(block));
  });

  describe('self-modifying code: the new instruction takes effect in both engines', () => {
    it.each(['branch', 'branch+fence.i', 'hwloop, store inside'] as const)('%s', (shape) => {
      const { reference } = compare(selfModifying(shape));
      expect(reference.stop).toEqual({ kind: 'exit', code: 50 + 50 * 100 });
    });

    // The store is the last instruction of a hardware-loop body iterating inside its block: the
    // block must see that its code changed instead of looping over the old instructions.
    it('hwloop, store last', () => {
      const { reference } = compare(selfModifying('hwloop, store last'), { loopBacks: true });
      expect(reference.stop).toEqual({ kind: 'exit', code: 50 + 50 * 100 });
    });
  });

  describe('cycle limits stop both engines at the same instruction', () => {
    const elf = elfOf(HWLOOP_KERNELS);
    const total = runSingle(elf, false).hart.stats.cycles;
    // Every cycle of the first passes (inside blocks, inside hardware-loop bodies iterating in a
    // block, at block ends), then a spread over the rest of the run.
    const limits = [...Array.from({ length: 400 }, (_, i) => i + 1), ...Array.from({ length: 40 }, (_, i) => Math.floor(((i + 1) * total) / 41))];

    it('at every cycle of the first 400 and at 40 more', () => {
      const reference = limits.map((maxCycles) => runSingle(elf, false, { maxCycles }));
      const fast = limits.map((maxCycles) => runSingle(elf, true, { maxCycles }));
      const comparable = (o: SingleOutcome) => ({ stop: o.stop, hart: o.hart });
      expect(fast.map(comparable)).toEqual(reference.map(comparable));
      // The limits did land in a hardware-loop body that was iterating inside a block.
      const body = [reference[0]!.symbols.get('kernel_body')!, reference[0]!.symbols.get('kernel_end')!] as const;
      const inBody = fast.filter((o) => o.use.loopBacks > 0 && o.hart.pc > body[0] && o.hart.pc < body[1]);
      expect(inBody.length).toBeGreaterThan(3);
      expect(fast.every((o, i) => o.stop?.kind === 'cycle-limit' && o.hart.stats.cycles >= limits[i]!)).toBe(true);
    });

    it('stopping at many limits and resuming ends as one uninterrupted run', () => {
      // Limits 37 to 41 cycles apart, so that the stops fall everywhere in the blocks.
      const checkpoints = Array.from({ length: Math.floor(total / 37) - 1 }, (_, i) => 37 * (i + 1) + (i % 5));
      const { reference, fast } = compareSingle(elf, { memoryMap: SMALL_MAP, checkpoints });
      expect(reference.checkpoints.length).toBe(checkpoints.length);
      expect(fast.use.loopBacks).toBeGreaterThan(0);
      const whole = runSingle(elf, false);
      expect({ stop: reference.stop, hart: reference.hart }).toEqual({ stop: whole.stop, hart: whole.hart });
    });
  });

  describe('a fault inside a hot block: same message, registers and counters', () => {
    const faults: [string, string, SingleOptions & { loopBacks?: boolean }, RegExp][] = [
      ['a load from an unmapped address after 30 good pointers', program(`
  la a0, pointers
1:
  lw t1, 0(a0)
  lw t2, 0(t1)                  # faults at the 31st pointer
  add s1, s1, t2
  addi a0, a0, 4
  j 1b
`, `
pointers:
${Array.from({ length: 30 }, (_, i) => `  .word value + ${4 * (i % 4)}`).join('\n')}
  .word 0x40000000
value:
  .word 1, 2, 3, 4
`), {}, /load of 4 byte\(s\) at 0x40000000 is outside memory/],
      ['post-increment loads walking off the end of L1 in a hardware loop iterating inside its block', program(`
  li a0, ${L1_END - 64 * 4}
  cv.setupi 0, 100, 1f
  cv.lw t1, (a0), 4
  add s1, s1, t1
  xor s2, s2, s1
1:
`), { loopBacks: true }, /outside memory/],
      ['a store to an unmapped address, ending a block in the middle of a hardware-loop body', program(`
  la a0, pointers
  cv.setupi 0, 40, 1f
  cv.lw t1, (a0), 4
  addi s1, s1, 1
  sw s1, 0(t1)                  # faults at the 21st pointer
  addi s2, s2, 1
1:
`, `
pointers:
${Array.from({ length: 20 }, () => `  .word ${L1.base + 0x40}`).join('\n')}
  .word 0x30000000
`), {}, /store of 4 byte\(s\) at 0x30000000/],
      ['a misaligned load with misaligned: fault', program(`
  la a0, pointers
  li s0, 40
1:
  lw t1, 0(a0)
  addi a0, a0, 4
  lw t2, 0(t1)                  # the 25th pointer is misaligned
  add s1, s1, t2
  addi s0, s0, -1
  bnez s0, 1b
`, `
pointers:
${Array.from({ length: 40 }, (_, i) => `  .word value + ${i === 24 ? 2 : 0}`).join('\n')}
value: .word 7, 8
`), { misaligned: 'fault' }, /misaligned 4-byte load/],
    ];

    it.each(faults)('%s', (_, source, options, message) => {
      const { reference } = compare(source, options);
      expect(reference.error).toMatch(message);
      expect(reference.hart.stats.instret).toBeGreaterThan(20);
    });
  });

  describe.skipIf(crossCompilerMissing)('C programs from riscv64-unknown-elf-gcc (test/sim/c)', () => {
    it.each(['arith', 'sort', 'matmul'])('%s at -O0 and -O2', (name) => {
      for (const optimization of ['-O0', '-O2']) {
        const { reference, fast } = compareSingle(compileC(name, optimization));
        expect(reference.stop).toEqual({ kind: 'exit', code: expect.any(Number) });
        expect(fast.use.blocks).toBeGreaterThan(0);
      }
    });
  });
});

// --- cluster --------------------------------------------------------------------------------

/**
 * After a barrier, every core fills its own 64-byte L1 slice and runs a dot product over it 8 times. The slices are
 * 64 bytes apart, one turn of the 16 word-interleaved banks, so cores in lock-step collide on the
 * same bank; core 0 sums the results after a barrier.
 */
const BANK_CONFLICTS = `
  csrr s11, mhartid
  li t5, PERIPHERALS_BASE
  li t0, 13
  mul t0, s11, t0
  addi t0, t0, 20
  cv.setup 0, t0, 9f            # uneven private work first: the cores drift apart and run ahead
  addi s3, s3, 1
  mul s4, s3, s3
  add s5, s5, s4
9:
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)          # all but the last to arrive resume in the same cycle: lock-step
  li t0, 64
  mul t0, s11, t0
  li a0, PULP_L1_BASE + 0x1000
  add a0, a0, t0
  mv a1, a0
  addi t2, s11, 1
  cv.setupi 0, 16, 1f
  mul t3, t2, t2
  addi t2, t2, 0x111
  cv.sw t3, (a1), 4
1:
  li s0, 8
2:
  mv a1, a0
  cv.setupi 0, 16, 3f
  cv.lw t1, (a1), 4
  cv.sdotsp.b s1, t1, t1
  cv.mac s2, t1, t1
3:
  addi s0, s0, -1
  bnez s0, 2b
  li t0, PULP_L1_BASE
  slli t1, s11, 2
  add t0, t0, t1
  sw s1, 0(t0)
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  li a0, 0
  bnez s11, 5f
  li t0, PULP_L1_BASE
  li t6, CORES
4:
  lw t1, 0(t0)
  add a0, a0, t1
  addi t0, t0, 4
  addi t6, t6, -1
  bnez t6, 4b
5:
`;

/**
 * Four rounds of work whose length depends on the core id and the round (a branch loop with
 * divisor-dependent divisions, then a hardware loop of id + 2 iterations), each ending at the
 * barrier; every core reads the cluster timer before and after it and then sums the partial
 * results all cores wrote in that round.
 */
const UNEVEN_BARRIERS = `
  csrr s11, mhartid
  li a4, PULP_L1_BASE + 0x2000
  li t5, PERIPHERALS_BASE
round:
  addi t0, s11, 1
  addi t1, s10, 1
  mul t0, t0, t1
  slli t0, t0, 2                # (id + 1) * (round + 1) * 4 iterations
  mv t3, t0
  li s1, 0
1:
  addi t4, t3, 7
  divu t6, t4, t3
  mulh t4, t4, t4
  add s1, s1, t6
  xor s1, s1, t4
  addi t3, t3, -1
  bnez t3, 1b
  addi t0, s11, 2
  cv.setup 0, t0, 2f
  addi s1, s1, 3
  slli t6, s1, 1
  add s1, s1, t6
2:
  slli t0, s10, 5
  slli t1, s11, 2
  add t0, t0, t1
  add t0, t0, a4
  sw s1, 0(t0)
  lw t2, PERIPHERAL_CYCLES_LO_OFFSET(t5)
  sw t2, 0x100(t0)
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  lw t2, PERIPHERAL_CYCLES_LO_OFFSET(t5)
  sw t2, 0x200(t0)
  slli t0, s10, 5
  add t0, t0, a4
  li t6, CORES
3:
  lw t1, 0(t0)
  add s2, s2, t1
  addi t0, t0, 4
  addi t6, t6, -1
  bnez t6, 3b
  addi s10, s10, 1
  li t0, 4
  bne s10, t0, round
  mv a0, s2
`;

/**
 * Core 0 queues a 1D transfer (512 bytes) and a 2D one (16 rows of 8 bytes) from L2 to L1; after a
 * barrier every core computes for an id-dependent time (reading L2 directly: L2 wait), then core 0
 * waits with DMA_WAIT while the others poll DMA_BUSY; then each core sums its slice of the copies.
 * The last core then copies its results back to L2 and waits for that. Finally core 0, alone while
 * the others wait at the barrier, starts a transfer, computes past its end and reads the
 * destination directly: running ahead must stop at the DMA completion.
 */
const DMA = `
  csrr s11, mhartid
  li t5, PERIPHERALS_BASE
  bnez s11, 1f
  la t0, table
  sw t0, PERIPHERAL_DMA_SRC_OFFSET(t5)
  li t1, PULP_L1_BASE + 0x4000
  sw t1, PERIPHERAL_DMA_DST_OFFSET(t5)
  li t2, 512
  sw t2, PERIPHERAL_DMA_LENGTH_OFFSET(t5)
  sw zero, PERIPHERAL_DMA_START_OFFSET(t5)
  li t1, PULP_L1_BASE + 0x4400
  sw t1, PERIPHERAL_DMA_DST_OFFSET(t5)
  li t2, 8
  sw t2, PERIPHERAL_DMA_LENGTH_OFFSET(t5)
  li t2, 16
  sw t2, PERIPHERAL_DMA_ROWS_OFFSET(t5)
  li t2, 32
  sw t2, PERIPHERAL_DMA_SRC_STRIDE_OFFSET(t5)
  li t2, 8
  sw t2, PERIPHERAL_DMA_DST_STRIDE_OFFSET(t5)
  sw zero, PERIPHERAL_DMA_START_OFFSET(t5)
1:
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  la a1, table
  addi t0, s11, 3
  cv.setup 0, t0, 2f
  cv.lw t1, (a1), 4             # from L2
  add s2, s2, t1
  mul s2, s2, t1
2:
  bnez s11, 3f
  lw zero, PERIPHERAL_DMA_WAIT_OFFSET(t5)
  j 4f
3:
  lw t0, PERIPHERAL_DMA_BUSY_OFFSET(t5)
  addi s3, s3, 1
  bnez t0, 3b
4:
  li t0, PULP_L1_BASE + 0x4000
  slli t1, s11, 6
  add t0, t0, t1
  cv.setupi 0, 16, 5f
  cv.lw t1, (t0), 4
  add s1, s1, t1
  xor s4, s4, t1
5:
  li t0, PULP_L1_BASE + 0x4400
  slli t1, s11, 3
  add t0, t0, t1
  lw t1, 0(t0)
  lw t2, 4(t0)
  add s1, s1, t1
  add s1, s1, t2
  li t0, PULP_L1_BASE + 0x5000
  slli t1, s11, 2
  add t0, t0, t1
  sw s1, 0(t0)
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  li t0, CORES - 1
  bne s11, t0, 6f
  li t0, PULP_L1_BASE + 0x5000
  sw t0, PERIPHERAL_DMA_SRC_OFFSET(t5)
  la t0, copy
  sw t0, PERIPHERAL_DMA_DST_OFFSET(t5)
  li t0, CORES * 4
  sw t0, PERIPHERAL_DMA_LENGTH_OFFSET(t5)
  sw zero, PERIPHERAL_DMA_START_OFFSET(t5)
  lw s5, PERIPHERAL_DMA_START_OFFSET(t5)          # the transfer id
  lw zero, PERIPHERAL_DMA_WAIT_OFFSET(t5)
  la t0, copy
  lw s6, 0(t0)
6:
  bnez s11, 8f
  la t0, table
  sw t0, PERIPHERAL_DMA_SRC_OFFSET(t5)
  li t1, PULP_L1_BASE + 0x6000
  sw t1, PERIPHERAL_DMA_DST_OFFSET(t5)
  li t2, 64
  sw t2, PERIPHERAL_DMA_LENGTH_OFFSET(t5)
  sw zero, PERIPHERAL_DMA_START_OFFSET(t5)
  li t0, 40
  cv.setup 0, t0, 7f
  addi s7, s7, 1
  mul s8, s7, s7
  add s9, s9, s8
7:
  li t0, PULP_L1_BASE + 0x6000
  lw s7, 0(t0)                  # the transfer ended during the loop: the new data
  lw s8, 60(t0)
8:
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  mv a0, s1
`;

/** Every core spins on the timer until an id-dependent cycle, then runs a hardware loop and reads it again. */
const TIMER = `
  csrr s11, mhartid
  li t5, PERIPHERALS_BASE
  li t0, 37
  mul t0, s11, t0
  addi t0, t0, 300
1:
  lw t1, PERIPHERAL_CYCLES_LO_OFFSET(t5)
  addi s1, s1, 1
  bltu t1, t0, 1b
  cv.setupi 0, 30, 2f
  addi s2, s2, 1
  mul s3, s2, s2
  add s4, s4, s3
2:
  lw t2, PERIPHERAL_CYCLES_LO_OFFSET(t5)
  lw t3, PERIPHERAL_CYCLES_HI_OFFSET(t5)
  li t0, PULP_L1_BASE + 0x3000
  slli t4, s11, 3
  add t0, t0, t4
  sw t1, 0(t0)
  sw t2, 4(t0)
  sub a0, t2, t1
`;

/**
 * After uneven hot loops, the other cores wait at the barrier while core CORES - 1, running alone,
 * walks a hardware loop off the end of L1.
 */
const CLUSTER_FAULT = `
  csrr s11, mhartid
  li t5, PERIPHERALS_BASE
  li a0, PULP_L1_BASE
  addi t0, s11, 10
  slli t0, t0, 2
  cv.setup 0, t0, 1f
  cv.lw t1, (a0), 4
  add s1, s1, t1
  xor s2, s2, s1
1:
  li t0, CORES - 1
  beq s11, t0, 2f
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  j 3f
2:
  li a0, PULP_L1_BASE + PULP_L1_SIZE - 80 * 4
  cv.setupi 0, 100, 3f
  cv.lw t1, (a0), 4
  add s1, s1, t1
  xor s2, s2, s1
3:
  mv a0, s1
`;

const clusterElf = (body: string, cores: number, data = ''): Uint8Array =>
  elfOf(program(body, data, clusterPrelude(cores)));

const DMA_DATA = `
table:
${randomWords(5, 128)}
copy: .space 64
`;

describe.each([8, 3])('cluster of %i cores: run-ahead and blocks give the cycle-by-cycle results', (cores) => {
  /** Compare the engines, require that both fast paths ran, and return the outcomes. */
  function compare(body: string, data = '', maxCycles?: number) {
    const outcome = compareCluster(clusterElf(body, cores, data), cores, maxCycles);
    expect(outcome.fast.use.blocks, 'blocks ran').toBeGreaterThan(0);
    expect(outcome.fast.use.runAheads, 'cores ran ahead').toBeGreaterThan(0);
    return outcome;
  }
  const exits = (outcome: ReturnType<typeof compare>['reference']) => outcome.cores.map((c) => c.hart.halted?.kind);

  it('cores in lock-step on the same TCDM banks', () => {
    const { reference } = compare(BANK_CONFLICTS);
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    // The comparison covers contention only if there is some.
    expect(reference.cores.some((c) => c.waits.tcdmContention > 0)).toBe(true);
  });

  it('uneven work meeting at the barrier four times, reading the timer', () => {
    const { reference } = compare(UNEVEN_BARRIERS);
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    expect(reference.cores.filter((c) => c.waits.barrierWait > 0).length).toBeGreaterThanOrEqual(cores - 1);
  });

  it('DMA from L2 to L1 and back while cores compute, DMA_WAIT and DMA_BUSY polling', () => {
    const { reference } = compare(DMA, DMA_DATA);
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    expect(reference.dma.bytes).toBe(512 + 16 * 8 + cores * 4 + 64);
    expect(reference.cores[0]!.hart.regs[23]).not.toBe(0); // s7: the data copied by the last transfer
    expect(reference.cores[0]!.waits.dmaWait).toBeGreaterThan(0);
    expect(reference.cores.every((c) => c.waits.l2Wait > 0)).toBe(true);
    expect(reference.cores[1]!.hart.regs[19]).toBeGreaterThan(1); // s3: core 1 polled DMA_BUSY more than once
  });

  it('cores spinning on the cluster timer', () => {
    const { reference } = compare(TIMER);
    expect(reference.cores.map((c) => c.hart.regs[9]! > 1)).toEqual(Array(cores).fill(true)); // s1: polls
  });

  it('a fault in a hot hardware loop of one core: same message and state', () => {
    const { reference } = compare(CLUSTER_FAULT);
    expect(reference.error).toMatch(new RegExp(`outside memory \\(core ${cores - 1}, pc`));
  });

  it.each([
    ['uneven work and barriers', UNEVEN_BARRIERS, ''],
    ['DMA', DMA, DMA_DATA],
  ])('cycle limits in the middle of the run: %s', (_, body, data) => {
    const elf = clusterElf(body, cores, data);
    const total = runCluster(elf, cores).cores.reduce((max, c) => Math.max(max, c.hart.stats.cycles), 0);
    const limits = [1, 2, 3, 17, 64, ...Array.from({ length: 9 }, (_, i) => Math.floor(((i + 1) * total) / 10) + i)];
    for (const maxCycles of limits) {
      const { reference } = compareCluster(elf, cores, maxCycles);
      expect(reference.stop).toEqual({ kind: 'cycle-limit' });
    }
  });

  it.each([
    ['uneven work and barriers', UNEVEN_BARRIERS, ''],
    ['DMA', DMA, DMA_DATA],
  ])('stopped at many cycle limits and resumed, the fast engine ends as the reference runs uninterrupted: %s', (_, body, data) => {
    const elf = clusterElf(body, cores, data);
    const total = runCluster(elf, cores).cores.reduce((max, c) => Math.max(max, c.hart.stats.cycles), 0);
    // Limits 37 to 41 cycles apart, so that the stops fall at every kind of point of the schedule.
    const checkpoints = Array.from({ length: Math.floor(total / 37) - 1 }, (_, i) => 37 * (i + 1) + (i % 5));
    const { reference } = compareCluster(elf, cores, undefined, { checkpoints });
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
  });

  it.skipIf(crossCompilerMissing)('the parallel C program (test/sim/c/parallel.c)', () => {
    const { reference, fast } = compareCluster(compileC('parallel', '-O2', 'crt0-cluster.S', 'rv32imc_zicsr'), cores);
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    expect(fast.use.blocks).toBeGreaterThan(0);
    expect(fast.use.runAheads).toBeGreaterThan(0);
  });
});

describe('the fast paths are taken (otherwise the comparisons above prove nothing)', () => {
  it('single core: blocks are compiled and hardware loops iterate inside them only with blocks: true', () => {
    const elf = elfOf(HWLOOP_KERNELS);
    const fast = runSingle(elf, true);
    const reference = runSingle(elf, false);
    expect(fast.compiled).toBeGreaterThan(3);
    expect(fast.use.loopBacks).toBeGreaterThan(100);
    expect(reference.compiled).toBe(0);
    expect(reference.use).toEqual({ blocks: 0, loopBacks: 0, runAheads: 0, groupSteps: 0 });
  });

  it('cluster: blocks and run-ahead by default, neither in the reference configuration', () => {
    const elf = clusterElf(UNEVEN_BARRIERS, 8);
    const fast = runCluster(elf, 8);
    const reference = runCluster(elf, 8, { blocks: false, runAhead: false });
    expect(fast.compiled).toBeGreaterThan(0);
    expect(fast.use.runAheads).toBeGreaterThan(10);
    expect(fast.use.groupSteps, 'cores in lock-step issued together').toBeGreaterThan(10);
    expect(reference.compiled).toBe(0);
    expect(reference.use).toEqual({ blocks: 0, loopBacks: 0, runAheads: 0, groupSteps: 0 });
  });
});

describe('compiled blocks can be read and debugged', () => {
  it('names the function and every pc in hex, shows each instruction\'s disassembly and has a sourceURL', () => {
    // A load into x31 (the mask bit that makes an int32 negative), a use of it, a dot product, a division.
    const words = [
      enc('lw', { rd: 31, rs1: 10, imm: 8 }), enc('add', { rd: 6, rs1: 31, rs2: 7 }),
      enc('cv.sdotsp.b', { rd: 18, rs1: 6, rs2: 7 }), enc('div', { rd: 10, rs1: 11, rs2: 12 }),
    ];
    const start = 0x1c000040;
    const block = new Block(words.map((word, i) => decode(CV32E40P_TABLE, word, start + 4 * i)!), new CodeEpoch());
    const source = block.source;
    expect(source).toMatch(/^return function block_1c000040\(h\) \{$/m);
    for (const [pc, text] of [[0x40, 'lw t6, 8(a0)'], [0x44, 'add t1, t6, t2'], [0x48, 'cv.sdotsp.b s2, t1, t2'], [0x4c, 'div a0, a1, a2']] as const) {
      expect(source).toContain(`// 0x1c0000${pc.toString(16)}  ${text}`);
      expect(source).toContain(`h.pc = 0x1c0000${pc.toString(16)};`);
    }
    expect(source).not.toContain(String(start)); // no decimal pc
    expect(source).toMatch(/\/\/ h: the hart/); // the legend of the one-letter locals
    expect(source.trimEnd().endsWith('//# sourceURL=nmsparse-generated/block_1c000040.js')).toBe(true);
    expect(block.run.name).toBe('block_1c000040');
    expect(block.step.name).toBe('step_1c000040');
  });
});
