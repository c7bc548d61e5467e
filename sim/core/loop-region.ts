/**
 * A hardware-loop body that several cluster cores run in one call, interleaved as the cluster's
 * scheduler would interleave them (sim/cluster/cluster.ts): the next core to go is always the first
 * in time (earliest cycle, then round-robin order from cycle mod N), and it goes on until its next
 * load or store would issue at or past the cycle of another core (its shared limit).
 *
 * Why: the cores of a kernel spend most of their time in the same hardware-loop body, a cycle or
 * two apart, so each core's turn is one load or store and the few local instructions after it. A
 * turn through the hart and its blocks costs a scheduling decision, a code-cache look-up, a call
 * into generated code and a commit of the hazard state (Block.finish) for two or three
 * instructions. Here the cores' turns follow each other inside one generated function: a core
 * stops (is suspended) at an instruction index with its hazard state in the run's arrays, and
 * resumes there through a `switch`. Its counters (mcycle, instret) and pc are written at every
 * stop, so the cluster sees it as it would after a turn; what the timing model keeps of the last
 * instruction is committed when the call returns (LoopRegionRun.settle).
 *
 * The instructions are those of Block (instructionLines): the same semantics, timing calls and
 * direct accesses, so the cycle counts are the same by construction; the cluster's tests compare
 * every engine with the reference scheduler that issues one instruction per decision.
 */
import type { Cycles } from '../../isa/types.js';
import { instructionLines, isBlockBranch, isLocal, maskLiteral, type Block, type BlockHost } from './block.js';

/** The cores a region runs, in the arrays its generated code reads (one entry per cluster core). */
export class LoopRegionRun {
  /** Per core: the cycle of its next instruction, +Infinity when it does not run (halted, parked). */
  readonly cycles: Float64Array;
  /** Per core: 1 while it runs inside the region's block, suspended at `index`. */
  readonly members: Uint8Array;
  readonly index: Int32Array;
  /** Per member: what the instruction before `index` loaded (TimingModel.loadedByPrevious), and two before (loadedTwoBack). */
  readonly loaded: Float64Array;
  readonly twoBack: Float64Array;
  /** Per member that ran here (`dirty`): the last instruction's cycles, and the two values above as that instruction saw them. */
  readonly lastCycles: Float64Array;
  readonly lastLoaded: Float64Array;
  readonly lastTwoBack: Float64Array;
  readonly dirty: Uint8Array;
  /** Loads and stores issue only before this cycle (the DMA's next completion, the cycle limit). */
  limit: Cycles = 0;
  /** No instruction issues at or past this cycle (the run's cycle limit). */
  stop: Cycles = 0;
  /** The core whose turn it is: the one a fault comes from. */
  current = 0;

  constructor(
    readonly harts: readonly BlockHost[],
    /**
     * Core `id`, not a member, takes its turn with shared limit `limit` (the cluster runs it as it
     * would any core's turn, and may make it a member if it enters the region); returns whether the
     * call goes on (false: the cluster must act first, or no member is left).
     */
    readonly outside: (id: number, limit: Cycles) => boolean,
  ) {
    const n = harts.length;
    this.cycles = new Float64Array(n);
    this.members = new Uint8Array(n);
    this.index = new Int32Array(n);
    this.loaded = new Float64Array(n);
    this.twoBack = new Float64Array(n);
    this.lastCycles = new Float64Array(n);
    this.lastLoaded = new Float64Array(n);
    this.lastTwoBack = new Float64Array(n);
    this.dirty = new Uint8Array(n);
  }

  /** Core `id` runs inside `region`'s block from its pc (a member), with its hazard state as the hart left it. */
  enter(id: number, region: LoopRegion): void {
    const hart = this.harts[id]!;
    this.members[id] = 1;
    this.index[id] = region.indexOf(hart.pc);
    this.loaded[id] = hart.timing.loadedByPrevious;
    this.twoBack[id] = hart.timing.loadedTwoBack;
    this.dirty[id] = 0;
  }

  /**
   * After the call: every member that ran commits its last instruction to the timing model (its pc
   * and counters are already written), as the block it ran in would have when it stopped.
   */
  settle(region: LoopRegion): void {
    const last = region.block.instructions.length - 1;
    for (let id = 0; id < this.harts.length; id++) {
      if (this.members[id] === 1 && this.dirty[id] === 1) {
        const index = this.index[id]!;
        region.block.retire(this.harts[id]!, index === 0 ? last : index - 1, this.lastCycles[id]!, this.lastLoaded[id]!, this.lastTwoBack[id]!);
      }
      this.members[id] = 0;
      this.dirty[id] = 0;
    }
  }
}

type RegionFunction = (run: LoopRegionRun) => void;

/**
 * Times cores meet in a loop body before its region is compiled: as for lock-step group steps
 * (Block.lockStepHot), the bodies of a network's per-layer code that cores share for a few
 * iterations are not worth compiling; a kernel's inner loop passes this at once.
 */
const REGION_COMPILE_AFTER = 16;

/**
 * The longest body a region takes. The dense kernels' bodies fit; the sparse kernels' (118 to 262
 * instructions, several blocks) do not: V8 took up to 1.4 s to optimize a region of 260, and
 * ImageNet's sparse ResNet18 ran slower with them (docs/iss.md, Where a network's time goes).
 */
const MAX_REGION_LENGTH = 32;

export class LoopRegion {
  private compiled: RegionFunction | undefined;
  private meetings = 0;

  private constructor(readonly block: Block) {}

  /**
   * The region of a block that is a whole hardware-loop body: straight-line, without branches (a
   * taken one would leave the body), its last instruction the loop's end, at most
   * MAX_REGION_LENGTH instructions. Undefined for any other block.
   */
  static of(block: Block): LoopRegion | undefined {
    let region = regions.get(block);
    if (region === undefined && !regions.has(block)) {
      const eligible = !block.transfers && block.instructions.length <= MAX_REGION_LENGTH && !block.instructions.some(isBlockBranch);
      region = eligible ? new LoopRegion(block) : undefined;
      regions.set(block, region);
    }
    return region;
  }

  /** Cores met here: whether they should run through the region, compiled or met often enough to be worth compiling. */
  hot(): boolean {
    return this.compiled !== undefined || ++this.meetings >= REGION_COMPILE_AFTER;
  }

  /** The index in the block of the instruction at `pc` (a member's pc is one of them). */
  indexOf(pc: number): number {
    return this.block.instructions.findIndex((insn) => insn.pc === pc);
  }

  /** Run the members until the next core to go is not one, or the earliest reaches `run.limit`. */
  get run(): RegionFunction {
    this.compiled ??= compileRegion(this.block);
    return this.compiled;
  }
}

const regions = new WeakMap<Block, LoopRegion | undefined>();

/**
 * The next core: the earliest (cycle e), the first in round-robin order from (e mod N) when several
 * tie; its shared limit L, the cycle of the next other core (capped by the limit). `u` counts the
 * cores at e that have not gone yet: while some are left, the next is the one after the last in
 * round-robin order (a turn always moves its core past e), without looking at every core. A core
 * outside the region takes its turn through the cluster (LoopRegionRun.outside); the limit
 * reached ends the call.
 */
const PICK = [
  'if (u > 1) {',
  'u--;',
  'x = j; do x = x + 1 === n ? 0 : x + 1; while (C[x] !== e); j = x;',
  'if (u > 1) L = e; else { L = Infinity; for (x = 0; x < n; x++) if (x !== j && C[x] < L) L = C[x]; }',
  '} else {',
  'e = Infinity; L = Infinity; j = 0; u = 0;',
  'for (x = 0; x < n; x++) { const y = C[x]; if (y < e) { L = e; e = y; j = x; u = 1; } else if (y === e) { L = e; u++; } else if (y < L) L = y; }',
  'if (u > 1) { x = e < 0x80000000 ? (e | 0) % n : e % n; while (C[x] !== e) x = x + 1 === n ? 0 : x + 1; j = x; }',
  '}',
  'if (e >= limit) return;',
  'if (L > limit) L = limit;',
  'X.current = j;',
  'if (M[j] === 0) { if (X.outside(j, L)) continue; return; }',
  'h = H[j]; r = h.regs; s = h.stats; tm = h.timing; hw = h.hwloop; m = h.directMemory; w = h.arbiter;',
  'c = e; p = P[j]; q = Q[j]; D[j] = 1; f = 1;',
];

function compileRegion(block: Block): RegionFunction {
  const insns = block.instructions;
  const last = insns.length - 1;
  const lines: string[] = [];
  insns.forEach((insn, i) => {
    // Stop before instruction i (not the first of a turn): at the cycle limit, or at the shared limit before a load or store.
    lines.push(`case ${i}:`, `if (f === 0 && (${isLocal(insn) ? 'c >= stop' : 'c >= stop || c >= L'})) { i = ${i}; break turn; }`, 'f = 0;');
    // A load or store through its semantic may have paused the hart (a peripheral) or stopped it,
    // a store rewritten code: the member leaves, and the call returns for the cluster to act. A
    // load on the direct path does none of these: only its semantic (y = 1) is followed by the test.
    const load = !isLocal(insn) && insn.execute.access?.kind === 'load';
    const steadyPrevious = insns[i === 0 ? last : i - 1]!.loadedMask;
    lines.push(...instructionLines(insn, i, 'p', { expression: 'q', mask: undefined }, 0, { steadyPrevious, afterSemantic: load ? ['y = 1;'] : [] }), 's.instret++;');
    const leaves = `if (h.stopAt === 0 || h.halted !== undefined || !b.epoch.current) { i = ${i}; z = 1; break turn; }`;
    if (load) lines.push(`if (y === 1) { y = 0; ${leaves} }`);
    else if (!isLocal(insn)) lines.push(leaves);
    lines.push(`pp = p; tt = t; q = k === 1 ? p : 0; p = ${maskLiteral(insn.loadedMask)};`);
  });
  // After the last instruction: the back edge (the turn goes on at case 0), or the member leaves the loop.
  lines.push(`if (!(hw.active && b.loopsBack(hw))) { b.finish(h, ${last}, 0, c, k, pp, tt); M[j] = 0; C[j] = c; continue next; }`);
  const body = [
    'const H = X.harts, C = X.cycles, M = X.members, I = X.index, P = X.loaded, Q = X.twoBack, K = X.lastCycles, PP = X.lastLoaded, TT = X.lastTwoBack, D = X.dirty, n = H.length;',
    // A call ends at any turn that could change the limits (LoopRegionRun.outside).
    'const limit = X.limit, stop = X.stop, insns = b.instructions;',
    'let h = H[0], r = h.regs, s = h.stats, tm = h.timing, hw = h.hwloop, m = h.directMemory, w = h.arbiter;',
    // e, j, u, L: PICK's; i: the current core's next instruction; f: 1 at the first of its turn; y: 1 after a load went through its semantic; z: below.
    'let c = 0, k = 0, p = 0, q = 0, t = 0, a = 0, v = 0, g, B, O, bk = 0, pp = 0, tt = 0, f = 0, e = 0, L = 0, j = 0, x = 0, u = 0, i = 0, z = 0, y = 0;',
    'next: for (;;) {',
    ...PICK,
    'i = I[j];',
    'turn: for (;; i = 0) {',
    'switch (i) {',
    ...lines,
    '}',
    '}',
    // z = 1: the core stopped after instruction i, which it commits; else it is suspended before instruction i.
    'if (z === 1) { b.finish(h, i, 0, c, k, p, t); M[j] = 0; return; }',
    'I[j] = i; P[j] = p; Q[j] = q; K[j] = k; PP[j] = pp; TT[j] = tt; C[j] = c; s.cycles = c; h.pc = insns[i].pc;',
    '}',
  ];
  return block.templates.link<RegionFunction>('region', `a hardware-loop body of ${insns.length} instructions for the cores of a cluster`, insns, 'X', body, block).value;
}
