/**
 * Simulation speed on a compute-bound kernel (the inner loop of an int8 dot product: two
 * post-increment loads and a cv.sdotsp.b in a hardware loop), for one core and for the cluster.
 * `npm run bench` reports these figures; the targets are >= 50 MIPS for one core and the
 * cluster no more than 3x slower per simulated instruction.
 */
import { Cluster } from './cluster/cluster';
import { PULP_CLUSTER } from './cluster/config';
import { readElf } from '../isa/elf/reader';
import { loadProgram } from './program';
import { assemble } from '../sw/asm/assembler';
import { writeElf } from '../isa/elf/writer';

export interface SpeedFigure {
  readonly label: string;
  readonly instructions: number;
  readonly cycles: number;
  readonly seconds: number;
  /** Millions of simulated instructions per host second. */
  readonly mips: number;
}

/**
 * Each core works on its own slice of `data` (L1 in the cluster); slices are 260 bytes apart so
 * that cores in lock-step touch different TCDM banks.
 */
function kernel(data: number, outer: number): Uint8Array {
  return writeElf(assemble(`
    .globl _start
  _start:
    csrr t0, mhartid
    li t1, 260
    mul t0, t0, t1
    li a0, ${data}
    add a0, a0, t0
    li s0, ${outer}
  2:
    mv a1, a0
    cv.setupi 0, 32, 1f
    cv.lw t1, (a1), 4
    cv.lw t2, (a1), 4
    cv.sdotsp.b s1, t1, t2
  1:
    addi s0, s0, -1
    bnez s0, 2b
    li a0, 0
    li a7, 93
    ecall
  `, { base: PULP_CLUSTER.l2Base, file: 'benchmark.S' }));
}

function timed(label: string, run: () => { instret: number; cycles: number }): SpeedFigure {
  const start = performance.now();
  const { instret, cycles } = run();
  const seconds = (performance.now() - start) / 1000;
  return { label, instructions: instret, cycles, seconds, mips: instret / seconds / 1e6 };
}

/**
 * Best of `repeats` runs of each configuration. The runs alternate between the two, so that a slow
 * spell of a shared machine hits both, and the first ones also warm up the JIT (a block is
 * compiled to JavaScript after a few visits and optimized by V8 after many more).
 */
export function measureSpeed(outer = 60_000, repeats = 5): SpeedFigure[] {
  const runSingle = (): SpeedFigure => timed('1 core', () => loadProgram(kernel(PULP_CLUSTER.l2Base + 0x40000, outer)).hart.run());
  const runCluster = (): SpeedFigure => timed(`cluster, ${PULP_CLUSTER.cores} cores`, () => {
    const c = new Cluster();
    c.load(readElf(kernel(PULP_CLUSTER.l1Base, outer)));
    return c.run();
  });
  let single = runSingle();
  let cluster = runCluster();
  for (let i = 1; i < repeats; i++) {
    const s = runSingle();
    if (s.mips > single.mips) single = s;
    const c = runCluster();
    if (c.mips > cluster.mips) cluster = c;
  }
  return [single, cluster];
}
