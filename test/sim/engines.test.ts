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
 * Programs loop well over COMPILE_AFTER_VISITS (4) times per core so that their code is compiled.
 */
import { describe, expect, it } from 'vitest';
import { decode } from '../../isa/decoder.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { PULP_CLUSTER } from '../../sim/cluster/config.js';
import { Block, CodeEpoch, runsAhead, Templates } from '../../sim/core/block.js';
import { enc } from './harness.js';
import {
  clusterPrelude, compareCluster, compareSingle, elfOf, REFERENCE_CLUSTER, runCluster, runSingle as runSingleOn,
  type SingleOptions, type SingleOutcome,
} from './support/engines.js';
import { compileC, crossCompilerMissing } from './support/gcc.js';
import {
  DIRECT_ACCESSES, DIVISORS, HAZARDS, HWLOOP_KERNELS, L1, LOOP_END_INSIDE_BLOCK, MISALIGNED, MUL_DIV, program, randomWords, selfModifying,
} from './support/single-core-programs.js';
import { sparseBlockXnmsparse } from '../../sw/kernels/sparse-block-xnmsparse.js';
import { expectedOutputs, instantiate } from '../../sw/kernels/instance.js';
import { placeInputs, runKernel } from '../../sw/kernels/run.js';

/**
 * The PULP map with a small L2 for the hand-written single-core programs: every run allocates
 * pre-decode arrays for its regions, and the cycle-limit tests run a program hundreds of times.
 */
const SMALL_MAP = [L1, { name: 'l2', base: PULP_CLUSTER.l2Base, size: 0x8000 }];
const L1_END = L1.base + L1.size;

const runSingle = (elf: Uint8Array, blocks: boolean, options: SingleOptions = {}): SingleOutcome => runSingleOn(elf, blocks, { memoryMap: SMALL_MAP, ...options });

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

  it('direct loads and stores of every size, post-increment forms, L1 and L2, a fault outside memory inside the block', () => {
    const { reference, fast } = compare(DIRECT_ACCESSES);
    expect(reference.error, 'the last iteration\'s load outside memory').toMatch(/outside memory/);
    expect(fast.hart.stats.instret, 'fifteen iterations retired before it').toBeGreaterThan(15 * 30);
  });

  it('a store to tohost halts the hart in the middle of a compiled block', () => {
    // The loop's block holds the store and instructions after it; the 20th store writes 1 (exit 0).
    const source = program(`
  li s1, 0
  li s2, 20
loop:
  addi s1, s1, 1
  sltu t0, s1, s2
  xori t0, t0, 1
  la t1, tohost
  sw t0, 0(t1)
  addi s3, s3, 7
  xor s4, s4, s3
  bne s1, s2, loop
  li a0, 3
`, 'tohost: .word 0');
    const { reference, fast } = compare(source);
    expect(reference.stop).toEqual({ kind: 'exit', code: 0 });
    expect(fast.hart.regs[19], 's3: the instructions after the store did not run').toBe(19 * 7);
  });

  describe('self-modifying code: the new instruction takes effect in both engines', () => {
    it.each(['branch', 'branch+fence.i', 'hwloop, store inside'] as const)('%s', (shape) => {
      const { reference } = compare(selfModifying(shape));
      expect(reference.stop).toEqual({ kind: 'exit', code: 50 + 50 * 100 });
    });

    // The store rewrites the next instruction of its own block (stores no longer end a block).
    it('branch, store ahead', () => {
      const { reference } = compare(selfModifying('branch, store ahead'));
      expect(reference.stop).toEqual({ kind: 'exit', code: 49 + 51 * 100 });
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

/** Core 0 queues a DMA transfer of 512 bytes of `table` (in L2) to L1 + 0x6000 (t5: the peripherals). */
const TABLE_TO_L1 = `  la t0, table
  sw t0, PERIPHERAL_DMA_SRC_OFFSET(t5)
  li t1, PULP_L1_BASE + 0x6000
  sw t1, PERIPHERAL_DMA_DST_OFFSET(t5)
  li t2, 512
  sw t2, PERIPHERAL_DMA_LENGTH_OFFSET(t5)
  sw zero, PERIPHERAL_DMA_START_OFFSET(t5)`;

/**
 * Every core in one hot hardware-loop body (LoopRegion), a different number of times, so that they
 * leave it one by one and take their turns outside while the others go on inside: loads whose
 * banks other cores use, a load-use, mulh, a misaligned halfword (through its semantic), a store.
 * A DMA transfer that core 0 queued completes meanwhile. Then a body that reads the cluster timer
 * (a peripheral: the core pauses inside the region), and the DMA's data read back.
 */
const LOOP_REGIONS = `
  csrr s11, mhartid
  li t5, PERIPHERALS_BASE
  bnez s11, 1f
${TABLE_TO_L1}
1:
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  li a0, PULP_L1_BASE + 0x1000
  slli t0, s11, 3
  add a0, a0, t0
  li a1, PULP_L1_BASE + 0x3000
  slli t0, s11, 2
  add a1, a1, t0
  li t0, 7
  mul t0, s11, t0
  addi t0, t0, 60
  cv.setup 0, t0, 2f
  cv.lw t1, (a0), 4
  add s1, s1, t1
  mulh s2, s1, t1
  lh t3, 1(a0)
  xor s3, s3, t3
  sw s3, 0(a1)
  add s4, s4, s2
2:
  cv.setupi 0, 24, 3f
  lw t1, PERIPHERAL_CYCLES_LO_OFFSET(t5)
  add s5, s5, t1
  cv.lw t2, (a0), 4
  add s6, s6, t2
3:
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  li t0, PULP_L1_BASE + 0x6000
  lw s7, 0(t0)
  lw s8, 508(t0)
  add a0, s1, s4
`;

/**
 * Every core enters a hot hardware-loop body (a LoopRegion: it stores) 40 times, each time right
 * after a load of the register that the body's first instruction stores: a load-use stall on
 * entering, none in the later iterations (the body's last instruction loads nothing). The region
 * expects the stall of the body's steady state and must ask the timing model for a core just come in.
 */
const LOOP_REGION_ENTRY = `
  csrr s11, mhartid
  li a0, PULP_L1_BASE + 0x1000
  slli t0, s11, 2
  add a0, a0, t0
  li s2, 40
1:
  li a1, PULP_L1_BASE + 0x2000
  slli t0, s11, 6
  add a1, a1, t0
  cv.starti 0, 3f
  cv.endi 0, 2f
  cv.counti 0, 12
  lw t1, 0(a0)
3:
  sw t1, 0(a1)
  cv.lw t2, (a1), 4
  add t1, t1, t2
2:
  sw t1, 0(a0)
  addi s2, s2, -1
  bnez s2, 1b
  mv a0, zero
`;

/**
 * A barrier inside a hot hardware-loop body (a LoopRegion: it stores): each iteration every core
 * loads the barrier register, a peripheral, so its load goes through its semantic and parks the
 * core until the last one arrives. A member that went on in the region after that load would not wait.
 */
const LOOP_REGION_BARRIER = `
  csrr s11, mhartid
  li t5, PERIPHERALS_BASE
  li a0, PULP_L1_BASE + 0x1000
  slli t0, s11, 7
  add a0, a0, t0
  li a1, PULP_L1_BASE + 0x3000
  slli t0, s11, 2
  add a1, a1, t0
  li t0, 30
  cv.setup 0, t0, 2f
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  cv.lw t2, (a0), 4
  add s1, s1, t2
  sw s1, 0(a1)
2:
  mv a0, zero
`;

const LOOP_REGIONS_DATA = `
table:
${randomWords(9, 128)}
`;

/**
 * Every core in one hot hardware-loop body of loads and local instructions (a LoopBatch), a
 * different number of times, each core's words in the same banks as the others': the cores that leave first store to a word the others still load
 * (their passes ran ahead of that store), core 1 loads misaligned words (its pass stops there),
 * one load is in L2, and a DMA transfer core 0 queued moves words of L1 meanwhile.
 */
const LOOP_BATCH = `
  csrr s11, mhartid
  li t5, PERIPHERALS_BASE
  bnez s11, 1f
  li t1, PULP_L1_BASE + 0x1000
  li t2, 0x9e3779b9
  li t3, 768
4:
  sw t2, 0(t1)
  addi t1, t1, 4
  slli t4, t2, 2
  add t2, t2, t4
  addi t2, t2, 7
  addi t3, t3, -1
  bnez t3, 4b
${TABLE_TO_L1}
1:
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  li a0, PULP_L1_BASE + 0x1000
  slli t0, s11, 6
  add a0, a0, t0
  li a1, PULP_L1_BASE + 0x1800
  la a3, table
  addi a2, a0, 0x400
  li t0, 1
  bne s11, t0, 2f
  addi a2, a2, 1
2:
  li t0, 5
  mul t0, s11, t0
  addi t0, t0, 30
  cv.setup 0, t0, 3f
  cv.lw t1, (a0), 4
  add s1, s1, t1
  lw t2, 0(a1)
  xor s2, s2, t2
  lw t3, 12(a0)
  slli t4, t3, 3
  add s3, s3, t4
  lw t4, 0(a2)
  add s4, s4, t4
  lw t6, 0(a3)
  sub s5, s5, t6
3:
  add t1, s1, s2
  sw t1, 0(a1)
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  li t0, PULP_L1_BASE + 0x6000
  lw s7, 0(t0)
  lw s8, 508(t0)
  add a0, s1, s4
`;

/**
 * Cores in one hot hardware-loop body with stores (a LoopBatch, whose stores reach memory as the
 * replay reaches them): each core stores to words of its own, to a byte of a word that it and the
 * core before it load later, and to a word all of them load and store; core 1 loads in its sixth
 * iteration the word it has just stored (its pass stops there); core 0 rewrites, with the same
 * word, an instruction of the loop core 7 (of 8) spins in meanwhile (each store drops the decoded code).
 */
const LOOP_BATCH_STORES = `
  csrr s11, mhartid
  li t5, PERIPHERALS_BASE
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  li t0, 7
  bne s11, t0, 5f
  li t1, 600
6:
patch:
  addi s6, s6, 1
  addi t1, t1, -1
  bnez t1, 6b
  j 3f
5:
  li a0, PULP_L1_BASE + 0x1000
  slli t0, s11, 4
  add a0, a0, t0
  li a1, PULP_L1_BASE + 0x1800
  li a4, PULP_L1_BASE + 0x2000
  slli t0, s11, 8
  add a4, a4, t0
  addi a5, a4, 0xf0
  addi a6, a4, 0x80
  li t0, 1
  bne s11, t0, 1f
  addi a5, a4, 5 * 4
1:
  bnez s11, 2f
  la a6, patch
2:
  lw s9, 0(a6)
  li t0, 3
  mul t0, s11, t0
  addi t0, t0, 60
  addi s1, s11, 11
  cv.setup 0, t0, 3f
  cv.lw t1, (a0), 4
  add s1, s1, t1
  lw t2, 0(a1)
  xor s2, s2, t2
  cv.sw s1, (a4), 4
  lw t3, 0(a5)
  add s3, s3, t3
  add t4, s2, s1
  sw t4, 0(a1)
  sb s1, 3(a0)
  sw s9, 0(a6)
3:
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  add a0, s1, s2
`;

/**
 * Cores in hot hardware-loop bodies long enough for the batch's windows (sim/core/loop-batch-window.ts),
 * each a different number of times: first loads and a store in two banks of their own, which cores
 * c and c + 4 share (they meet until they drift apart), and a DMA transfer of 4 KiB (from L2, past the
 * table) taking banks meanwhile; then, on the data the DMA brought, a body that each core runs 8
 * times fewer than the one before it, in which core 2 stores to the words that core 3 loads in the
 * same iteration (no window can hold while both run it); then a body of loads that core 7 runs on
 * L2 (no window can hold while it is there).
 */
const LOOP_WINDOWS = `
  csrr s11, mhartid
  li t5, PERIPHERALS_BASE
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  bnez s11, 1f
  la t0, table
  sw t0, PERIPHERAL_DMA_SRC_OFFSET(t5)
  li t1, PULP_L1_BASE + 0x6000
  sw t1, PERIPHERAL_DMA_DST_OFFSET(t5)
  li t2, 4096
  sw t2, PERIPHERAL_DMA_LENGTH_OFFSET(t5)
  sw zero, PERIPHERAL_DMA_START_OFFSET(t5)
1:
  andi t0, s11, 3
  slli t0, t0, 3
  srli t1, s11, 2
  slli t1, t1, 10
  add t0, t0, t1
  li a0, PULP_L1_BASE + 0x1000
  add a0, a0, t0
  li a4, PULP_L1_BASE + 0x8000
  add a4, a4, t0
  li t0, 7
  mul t0, s11, t0
  addi t0, t0, 120
  cv.setup 0, t0, 2f
  cv.lw t1, (a0), 64
  add s1, s1, t1
  lw t2, 4(a0)
  xor s2, s2, t2
  slli t3, t1, 3
  add s3, s3, t3
  sw s1, 0(a4)
  sub s4, s4, s2
2:
  bnez s11, 5f
  lw zero, PERIPHERAL_DMA_WAIT_OFFSET(t5)
5:
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  li a0, PULP_L1_BASE + 0x6000
  slli t0, s11, 6
  add a0, a0, t0
  addi a4, a0, 0x40 + 8
  li t0, 2
  beq s11, t0, 3f
  li a4, PULP_L1_BASE + 0xb000
  slli t0, s11, 9
  add a4, a4, t0
3:
  slli t0, s11, 3
  li t1, 100
  sub t0, t1, t0
  cv.setup 0, t0, 4f
  cv.lw t1, (a0), 4
  add s5, s5, t1
  lw t2, 4(a0)
  xor s6, s6, t2
  add t3, s5, s6
  cv.sw t3, (a4), 4
  addi s7, s7, 1
  xor s8, s8, t3
4:
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  li a0, PULP_L1_BASE + 0x6000
  li t0, 7
  bne s11, t0, 5f
  la a0, table
5:
  li t0, 60
  cv.setup 0, t0, 6f
  cv.lw t1, (a0), 4
  add s9, s9, t1
  slli t2, t1, 1
  xor s10, s10, t2
  lw t3, 0(a0)
  add s9, s9, t3
  addi s7, s7, 1
  sub s10, s10, s9
6:
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  add a0, s1, s5
  add a0, a0, s9
`;

/**
 * Cores 1.. sweep L1 a word per load in lock-step, core j from bank j (in each cycle their loads
 * take distinct banks, so batch windows hold), while core 0 loads a word of bank 0 between long
 * stretches of local work: each window ends at core 0's next load, which meets a sweeping core's
 * load in bank 0 every few polls. An iteration run past a window's end would miss that meeting.
 */
const WINDOW_ENDS = `
  csrr s11, mhartid
  li a1, PULP_L1_BASE + 0x4000
  bnez s11, 3f
  li s3, 40
1:
  lw t0, 0(a1)
  add s1, s1, t0
  li t1, 9
2:
  addi t1, t1, -1
  xor s2, s2, t1
  bnez t1, 2b
  addi s3, s3, -1
  bnez s3, 1b
  j 4f
3:
  slli t0, s11, 2
  add a1, a1, t0
  cv.setupi 0, 900, 4f
  cv.lw t1, (a1), 4
  add s1, s1, t1
  xor s2, s2, t1
4:
  mv a0, s1
`;

/** Every core in one hot hardware-loop body; core CORES - 1 walks off the end of L1 while the others go on. */
const REGION_FAULT = `
  csrr s11, mhartid
  li a0, PULP_L1_BASE + 0x100
  li t0, CORES - 1
  bne s11, t0, 1f
  li a0, PULP_L1_BASE + PULP_L1_SIZE - 200 * 4
1:
  cv.setupi 0, 400, 2f
  cv.lw t1, (a0), 4
  add s1, s1, t1
  xor s2, s2, s1
2:
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

/**
 * Core 0 queues four transfers that reach L1 (L2 to L1; a 2D one from L3, whose rows land on the
 * same banks; L1 to L3; a 2D copy inside L1) while every core loads and stores L1 words in all
 * banks: the cores wait for each other and for the DMA. Then the data comes back from L3 to L2.
 */
const DMA_CONTENTION = `
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
  la t0, weights
  sw t0, PERIPHERAL_DMA_SRC_OFFSET(t5)
  li t1, PULP_L1_BASE + 0x4800
  sw t1, PERIPHERAL_DMA_DST_OFFSET(t5)
  li t2, 12
  sw t2, PERIPHERAL_DMA_LENGTH_OFFSET(t5)
  li t2, 16
  sw t2, PERIPHERAL_DMA_ROWS_OFFSET(t5)
  sw t2, PERIPHERAL_DMA_SRC_STRIDE_OFFSET(t5)
  li t2, 64
  sw t2, PERIPHERAL_DMA_DST_STRIDE_OFFSET(t5)
  sw zero, PERIPHERAL_DMA_START_OFFSET(t5)
  li t1, PULP_L1_BASE + 0x4000
  sw t1, PERIPHERAL_DMA_SRC_OFFSET(t5)
  la t0, outbound
  sw t0, PERIPHERAL_DMA_DST_OFFSET(t5)
  li t2, 64
  sw t2, PERIPHERAL_DMA_LENGTH_OFFSET(t5)
  sw zero, PERIPHERAL_DMA_START_OFFSET(t5)
  sw t1, PERIPHERAL_DMA_SRC_OFFSET(t5)
  li t1, PULP_L1_BASE + 0x5000
  sw t1, PERIPHERAL_DMA_DST_OFFSET(t5)
  li t2, 8
  sw t2, PERIPHERAL_DMA_LENGTH_OFFSET(t5)
  sw t2, PERIPHERAL_DMA_ROWS_OFFSET(t5)
  sw t2, PERIPHERAL_DMA_DST_STRIDE_OFFSET(t5)
  li t2, 32
  sw t2, PERIPHERAL_DMA_SRC_STRIDE_OFFSET(t5)
  sw zero, PERIPHERAL_DMA_START_OFFSET(t5)
1:
  li a1, PULP_L1_BASE + 0x6000
  slli t0, s11, 6
  add a1, a1, t0
  cv.setupi 0, 200, 2f
  cv.lw t1, (a1), 4
  add s1, s1, t1
  sw s1, 0x7fc(a1)
2:
  bnez s11, 3f
  lw zero, PERIPHERAL_DMA_WAIT_OFFSET(t5)
3:
  lw zero, PERIPHERAL_BARRIER_OFFSET(t5)
  li a1, PULP_L1_BASE + 0x4800
  slli t0, s11, 6
  add a1, a1, t0
  lw t1, 0(a1)
  lw t2, 8(a1)
  add s2, t1, t2
  bnez s11, 4f
  la t0, outbound
  sw t0, PERIPHERAL_DMA_SRC_OFFSET(t5)
  la t1, inbound
  sw t1, PERIPHERAL_DMA_DST_OFFSET(t5)
  li t2, 64
  sw t2, PERIPHERAL_DMA_LENGTH_OFFSET(t5)
  sw zero, PERIPHERAL_DMA_START_OFFSET(t5)
  lw zero, PERIPHERAL_DMA_WAIT_OFFSET(t5)
  la t0, inbound
  lw s6, 60(t0)
4:
  add a0, s1, s2
`;

const DMA_CONTENTION_DATA = `
table:
${randomWords(7, 128)}
inbound: .space 64
  .section .l3, "aw"
weights:
${randomWords(8, 64)}
outbound: .space 64
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

  it('DMA transfers to, from and inside L1 and L3 competing with every core for the TCDM banks', () => {
    const { reference } = compare(DMA_CONTENTION, DMA_CONTENTION_DATA);
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    expect(reference.dma.bytes).toBe(512 + 12 * 16 + 64 + 8 * 8 + 64);
    // The comparison covers both kinds of bank wait only if there are some.
    expect(reference.cores.some((c) => c.waits.dmaContention > 0), 'cores waited for the DMA').toBe(true);
    expect(reference.cores.some((c) => c.waits.tcdmContention > 0), 'cores waited for each other').toBe(true);
    // s6: the last word of the table, through L1, L3 and back to L2.
    const table = DMA_CONTENTION_DATA.split('\n').filter((line) => line.includes('.word'));
    expect(reference.cores[0]!.hart.regs[22]).toBe(Number(table[15]!.replace('.word', '').trim()));
  });

  it('cores spinning on the cluster timer', () => {
    const { reference } = compare(TIMER);
    expect(reference.cores.map((c) => c.hart.regs[9]! > 1)).toEqual(Array(cores).fill(true)); // s1: polls
  });

  it('cores taking turns inside a hot hardware-loop body, leaving it one by one, a DMA completing, a peripheral read inside', () => {
    const { reference, fast } = compare(LOOP_REGIONS, LOOP_REGIONS_DATA);
    expect(fast.use.regionRuns, 'the body ran as a region').toBeGreaterThan(0);
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    expect(reference.cores.some((c) => c.waits.tcdmContention > 0)).toBe(true);
    expect(reference.cores[0]!.hart.regs[24]).not.toBe(0); // s8: the DMA's last word
  });

  it('cores entering a hot hardware-loop body right after a load its first instruction uses: the stall on entering, none after', () => {
    const { reference, fast } = compare(LOOP_REGION_ENTRY);
    expect(fast.use.regionRuns, 'the body ran as a region').toBeGreaterThan(0);
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    // At least the stall of every entry into the body, on every core.
    for (const core of reference.cores) expect(core.hart.stats.loadUseStalls).toBeGreaterThanOrEqual(40);
  });

  it('a barrier inside a hot hardware-loop body: every core parks at it each iteration', () => {
    const { reference, fast } = compare(LOOP_REGION_BARRIER);
    expect(fast.use.regionRuns, 'the body ran as a region').toBeGreaterThan(0);
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    expect(reference.cores.every((c) => c.waits.barrierWait > 0)).toBe(true);
  });

  it('cores in a hot body of loads run as a batch: leaving one by one, stores the others loaded ahead, a misaligned load, L2, a DMA completing', () => {
    const { reference, fast } = compare(LOOP_BATCH, LOOP_REGIONS_DATA);
    expect(fast.use.batchRuns, 'the body ran as a batch').toBeGreaterThan(0);
    expect(fast.use.regionRuns, 'the misaligned load took the region').toBeGreaterThan(0);
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    expect(reference.cores.some((c) => c.waits.tcdmContention > 0)).toBe(true);
    expect(reference.cores.some((c) => c.waits.dmaContention > 0)).toBe(true);
    expect(reference.cores[0]!.hart.regs[24]).not.toBe(0); // s8: the DMA's last word
  });

  it('cores in a hot body with stores run as a batch: a word all of them load and store, a load of a word just stored, code rewritten', () => {
    const { reference, fast } = compare(LOOP_BATCH_STORES);
    expect(fast.use.batchRuns, 'the body ran as a batch').toBeGreaterThan(0);
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    expect(reference.cores.some((c) => c.waits.tcdmContention > 0)).toBe(true);
  });

  it('cores in long hot bodies run through batch windows: accesses meeting in a bank, the DMA taking banks, stores of their own, stores another core loads', () => {
    const { reference, fast } = compare(LOOP_WINDOWS, LOOP_REGIONS_DATA);
    expect(fast.use.windows, 'windows held').toBeGreaterThan(3);
    expect(fast.use.windowsFailed, 'windows failed').toBeGreaterThan(0);
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    expect(reference.cores.some((c) => c.waits.tcdmContention > 0)).toBe(true);
    expect(reference.cores.some((c) => c.waits.dmaContention > 0)).toBe(true);
  });

  it('batch windows end before the next access of a core outside the body, and no iteration runs past a window', () => {
    const { reference, fast } = compare(WINDOW_ENDS);
    expect(fast.use.windows, 'windows held').toBeGreaterThan(3);
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    expect(reference.cores[0]!.waits.tcdmContention + reference.cores.slice(1).reduce((sum, c) => sum + c.waits.tcdmContention, 0)).toBeGreaterThan(0);
  });

  it.each([12, 64])('cores in long hot bodies with %i TCDM banks: windows find banks by a remainder, and take none past 32 banks', (banks) => {
    const { reference, fast } = compareCluster(clusterElf(LOOP_WINDOWS, cores, LOOP_REGIONS_DATA), cores, undefined, { config: { l1Banks: banks } });
    expect(exits(reference)).toEqual(Array(cores).fill('exit'));
    if (banks <= 32) expect(fast.use.windows, 'windows held').toBeGreaterThan(3);
    else expect(fast.use.windows + fast.use.windowsFailed, 'no window tried').toBe(0);
  });

  it('a fault in a hot hardware-loop body that the other cores run on: same message, and the same state of the core that faulted', () => {
    // The other cores stop between turns, where the reference, one instruction per decision, need not be: only the faulting core is compared.
    const elf = clusterElf(REGION_FAULT, cores);
    const reference = runCluster(elf, cores, REFERENCE_CLUSTER);
    const fast = runCluster(elf, cores);
    expect(fast.use.regionRuns, 'the body ran as a region').toBeGreaterThan(0);
    expect(reference.error).toMatch(new RegExp(`outside memory \\(core ${cores - 1}, pc`));
    expect(fast.error).toBe(reference.error);
    expect(fast.cores[cores - 1]).toEqual(reference.cores[cores - 1]);
  });

  it('a fault in a hot hardware loop of one core: same message and state', () => {
    const { reference } = compare(CLUSTER_FAULT);
    expect(reference.error).toMatch(new RegExp(`outside memory \\(core ${cores - 1}, pc`));
  });

  it.each([
    ['uneven work and barriers', UNEVEN_BARRIERS, ''],
    ['DMA', DMA, DMA_DATA],
    ['DMA competing for the banks', DMA_CONTENTION, DMA_CONTENTION_DATA],
    ['hardware-loop regions', LOOP_REGIONS, LOOP_REGIONS_DATA],
    ['hardware-loop batches', LOOP_BATCH, LOOP_REGIONS_DATA],
    ['hardware-loop batches with stores', LOOP_BATCH_STORES, ''],
    ['hardware-loop batch windows', LOOP_WINDOWS, LOOP_REGIONS_DATA],
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
    ['DMA competing for the banks', DMA_CONTENTION, DMA_CONTENTION_DATA],
    ['hardware-loop regions', LOOP_REGIONS, LOOP_REGIONS_DATA],
    ['hardware-loop batches', LOOP_BATCH, LOOP_REGIONS_DATA],
    ['hardware-loop batches with stores', LOOP_BATCH_STORES, ''],
    ['hardware-loop batch windows', LOOP_WINDOWS, LOOP_REGIONS_DATA],
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
    expect(reference.use).toEqual({ blocks: 0, loopBacks: 0, runAheads: 0, groupSteps: 0, regionRuns: 0, batchRuns: 0, windows: 0, windowsFailed: 0 });
  });

  it('cluster: blocks and run-ahead by default, neither in the reference configuration', () => {
    const elf = clusterElf(UNEVEN_BARRIERS, 8);
    const fast = runCluster(elf, 8);
    const reference = runCluster(elf, 8, { blocks: false, runAhead: false });
    expect(fast.compiled).toBeGreaterThan(0);
    expect(fast.use.runAheads).toBeGreaterThan(10);
    expect(reference.compiled).toBe(0);
    expect(reference.use).toEqual({ blocks: 0, loopBacks: 0, runAheads: 0, groupSteps: 0, regionRuns: 0, batchRuns: 0, windows: 0, windowsFailed: 0 });
  });

  it('a core past its shared limit runs local instructions, branches and jumps, nothing that reaches memory, CSRs or its loops', () => {
    const ahead = (mnemonic: string, fields: Record<string, number>): boolean => runsAhead(decode(CV32E40P_TABLE, enc(mnemonic, fields), 0x1c000000)!);
    for (const [mnemonic, fields] of [['add', { rd: 5, rs1: 6, rs2: 7 }], ['beq', { rs1: 5, rs2: 6, imm: 8 }], ['jal', { rd: 1, imm: 16 }], ['jalr', { rd: 0, rs1: 1, imm: 0 }]] as const) {
      expect(ahead(mnemonic, fields), mnemonic).toBe(true);
    }
    for (const [mnemonic, fields] of [['lw', { rd: 5, rs1: 6, imm: 0 }], ['sw', { rs1: 6, rs2: 5, imm: 0 }], ['csrrs', { rd: 5, rs1: 0, imm: 0xb00 }], ['cv.setup', { loop: 0, rs1: 5, imm: 8 }], ['ecall', {}]] as const) {
      expect(ahead(mnemonic, fields), mnemonic).toBe(false);
    }
  });

  it('cluster: cores in lock-step in a hardware-loop body that allows a batch run it as one (windows), not as group steps', () => {
    // Each core sweeps its own banks (a stride of 8 words from bank mhartid), so the cores never part; the loop runs 60 times.
    const LOCK_STEP_SWEEP = `
  csrr s11, mhartid
  li a2, PULP_L1_BASE + 0x4000
  slli t0, s11, 2
  add a2, a2, t0
  li s3, 60
2:
  mv a1, a2
  cv.setupi 0, 32, 1f
  cv.lw t1, (a1), 32
  add s1, s1, t1
  xor s2, s2, t1
1:
  addi s3, s3, -1
  bnez s3, 2b
  mv a0, s1
`;
    const { use } = runCluster(clusterElf(LOCK_STEP_SWEEP, 8), 8);
    // A window each time they run the body (60); group steps only for the outer loop's instructions (3,684 with group steps first).
    expect(use.windows, 'windows held').toBeGreaterThanOrEqual(60);
    expect(use.groupSteps, 'group steps').toBeLessThan(500);
  });

  it('cluster: cores polling the timer in step issue together (group steps)', () => {
    // Cores run branches ahead of the others, so only cores that meet at loads stay in lock-step.
    expect(runCluster(clusterElf(TIMER, 8), 8).use.groupSteps).toBeGreaterThan(10);
  });
});

describe('compiled blocks can be read and debugged', () => {
  // A load into x31 (the mask bit that makes an int32 negative), a use of it, a dot product, a division.
  const words = (offset: number): number[] => [
    enc('lw', { rd: 31, rs1: 10, imm: offset }), enc('add', { rd: 6, rs1: 31, rs2: 7 }),
    enc('cv.sdotsp.b', { rd: 18, rs1: 6, rs2: 7 }), enc('div', { rd: 10, rs1: 11, rs2: 12 }),
  ];
  const blockAt = (start: number, offset = 8, templates = new Templates()): Block =>
    new Block(words(offset).map((word, i) => decode(CV32E40P_TABLE, word, start + 4 * i)!), new CodeEpoch(), [], templates);

  it('names the template, shows each bound instruction\'s pc in hex and disassembly and has a sourceURL', () => {
    const block = blockAt(0x1c000040);
    const source = block.source;
    const name = /^return function (block_[0-9a-f]{12})\(h\) \{$/m.exec(source)?.[1];
    expect(name).toBeDefined();
    expect(source).toMatch(/^\/\/ The block at 0x1c000040\.\.0x1c000050 runs this template with$/m);
    for (const [i, pc, text] of [[0, 0x40, 'lw t6, 8(a0)'], [1, 0x44, 'add t1, t6, t2'], [2, 0x48, 'cv.sdotsp.b s2, t1, t2'], [3, 0x4c, 'div a0, a1, a2']] as const) {
      expect(source).toContain(`// d${i} = 0x1c0000${pc.toString(16)}  ${text}`);
    }
    // pc is set where a semantic may read it or fault (the load's, on its way through memory), from the bound instruction.
    const template = source.slice(source.indexOf('return function'));
    expect(template).toContain('h.pc = d0.pc;');
    // No address, and the load's offset is read from d0 (a0 is x10), not written in.
    expect(template).not.toMatch(/1c0000|469762112|r\[10\] \+ 8\b/);
    expect(template).toContain('(r[10] + d0.imm)');
    // The dot product is written out (RegisterOperation.expression) over s2 (x18), t1 (x6) and t2 (x7), not called.
    expect(template).not.toContain('o2(');
    expect(template).toContain('r[18] = (r[18] + ((r[6] << 24) >> 24) * ((r[7] << 24) >> 24)');
    expect(template).toMatch(/\/\/ h: the hart/); // the legend of the one-letter locals
    expect(template.trimEnd().endsWith(`//# sourceURL=nmsparse-generated/${name}.js`)).toBe(true);
    expect(block.run.name).toBe(name);
    expect(block.step.name).toMatch(/^step_[0-9a-f]{12}$/);
  });

  it('shares one template among blocks of one shape at other addresses and offsets, each bound to its own instructions', () => {
    const templates = new Templates();
    const [first, second] = [blockAt(0x1c000040, 8, templates), blockAt(0x1c001000, 12, templates)];
    expect(second.run).not.toBe(first.run);
    expect(second.run.name).toBe(first.run.name);
    const template = (block: Block): string => block.source.slice(block.source.indexOf('return function'));
    expect(template(second)).toBe(template(first));
    expect(second.source).toContain('// d0 = 0x1c001000  lw t6, 12(a0)');
  });
});
