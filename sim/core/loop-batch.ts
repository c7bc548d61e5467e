/**
 * A hardware-loop body that several cluster cores are inside, run functional-first: each core runs
 * a whole iteration at once (a pass: generated code on its registers, without timing), which
 * records the address and value of each load and store, and the cores' accesses are then replayed
 * together in cluster-time order through the TCDM arbitration (docs/iss.md, Loop batches).
 *
 * Why: in a LoopRegion the cores take turns of one load or store and the few local instructions
 * after it, each turn a scheduling decision, a suspension and a resumption around the
 * instructions' semantics and timing calls. A body whose accesses alone touch shared state, and
 * whose timing is fixed but for their waits, splits into what the cores compute, which does not
 * depend on time, and when they reach memory, a short loop over numbers.
 *
 * Why it is exact: every instruction costs 1 cycle plus a load-use stall that the body fixes once
 * two of its instructions have run (no multi-cycle instruction, no nm.mac4) plus an access's wait.
 * The replay orders the accesses as the scheduler would (earliest issue cycle, then round-robin
 * order from cycle mod N), writes a store when it reaches it, and stops the cores where a region
 * would have (before an access at or past the limit, before any instruction at or past the stop).
 * Cores outside the body take their turns inside the replay, as in a region. What a pass ran ahead
 * of the replay is checked: a store (another member's, or an outside core's) to bytes it loaded
 * ahead makes it run again from where the replay is, a load of bytes it stored itself, or an access
 * that is not direct, stops it (the region runs that one), and a store that rewrites code ends the
 * batch. When the batch ends, each core's pass is run again from the iteration's start up to where
 * the replay left it, its loads fed from the values recorded (LoopBatchRun.rewind, in
 * sim/core/loop-batch-run.ts).
 */
import { SUMS_LOADED, type DataAccess, type DecodedInstruction } from '../../isa/definition.js';
import type { AccessSize, Addr, Word } from '../../isa/types.js';
import { accessParts, isBlockBranch, isLocal, semanticCall, writesZero, type Block, type BlockHost } from './block.js';
import { idStall, type TimingConfig } from './timing.js';

type PassFunction = (h: BlockHost, A: Float64Array, V: Int32Array, S: Int32Array, from: number, to: number, feed: number, span: Float64Array) => number;

/** What a lap (LoopBatch.laps) reads of the window that runs it (BatchWindows, sim/core/loop-batch-window.ts). */
export interface LapWindow {
  /** L1's bounds and banks (BankedMemory, sim/core/loop-batch-window.ts). */
  readonly banked: { readonly l1Base: Addr; readonly l1End: Addr; readonly banks: number; readonly bankMask: number };
  /** Per core: the lowest and highest address it loaded in the window. */
  readonly loadLow: Float64Array;
  readonly loadHigh: Float64Array;
  /** Core `id`'s store in the window: written, and kept to put back; false when it rewrote code. */
  store(hart: BlockHost, block: Block, id: number, address: Addr, size: AccessSize, value: Word): boolean;
}

type LapFunction = (h: BlockHost, T: Int32Array, c: number, laps: number, W: LapWindow, id: number) => number;

/**
 * May the body run as a batch? Loads and stores through direct accesses (DataAccess) and local
 * instructions only, each of fixed latency, no nm.mac4 or nm.mul4 (whose sums make a later stall
 * depend on a wait), at least one load or store.
 */
function batchable(insns: readonly DecodedInstruction[]): boolean {
  let accesses = 0;
  for (const insn of insns) {
    if (insn.multiCycle || insn.loadedMask === SUMS_LOADED) return false;
    if (isLocal(insn)) {
      if (insn.timing !== 'alu') return false;
    } else if ((insn.timing === 'load' || insn.timing === 'store') && insn.execute.access?.kind === insn.timing) accesses++;
    else return false;
  }
  return accesses > 0;
}

export class LoopBatch {
  /** Per instruction: 1 for a store, and the bytes of its access. */
  readonly stores: Uint8Array;
  readonly sizes: Uint8Array;
  /** Per instruction: its cycles without a wait, once the body's own instructions are before it (its load-use stall + 1). */
  readonly cycles: Int32Array;
  /** Sums from instruction 0 up to (not including) index i, i = 0..n: cycles, stall cycles, loads and stores. */
  readonly cyclesBefore: Float64Array;
  readonly stallsBefore: Float64Array;
  readonly accessesBefore: Int32Array;
  /** The first load or store at or after index i (n when none is left in the iteration). */
  readonly nextAccess: Int32Array;
  /** Per load or store of the body, in order: its instruction; */
  readonly accessAt: Int32Array;
  /** the cycles from its issue to the next one's, or to the iteration's end after the last (without waits). */
  readonly cyclesAfter: Int32Array;
  /** Per instruction: what the one before it in the body loaded. */
  readonly previousLoaded: Float64Array;
  /** The registers the body writes: what a pass saves first, to go back to. */
  readonly written: readonly number[];
  private compiled: PassFunction | undefined;
  private compiledLaps: LapFunction | undefined;
  private meetings = 0;

  private constructor(
    readonly block: Block,
    config: TimingConfig,
  ) {
    const insns = block.instructions;
    const n = insns.length;
    this.stores = new Uint8Array(n);
    this.sizes = new Uint8Array(n);
    this.cycles = new Int32Array(n);
    this.cyclesBefore = new Float64Array(n + 1);
    this.stallsBefore = new Float64Array(n + 1);
    this.accessesBefore = new Int32Array(n + 1);
    this.nextAccess = new Int32Array(n + 1);
    this.nextAccess[n] = n;
    this.written = writtenRegisters(insns);
    this.previousLoaded = Float64Array.from(insns, (_, i) => insns[i === 0 ? n - 1 : i - 1]!.loadedMask);
    for (let i = n - 1; i >= 0; i--) {
      const access = isLocal(insns[i]!) ? undefined : insns[i]!.execute.access;
      this.stores[i] = access?.kind === 'store' ? 1 : 0;
      this.sizes[i] = access?.size ?? 0;
      this.nextAccess[i] = access === undefined ? this.nextAccess[i + 1]! : i;
    }
    for (let i = 0; i < n; i++) {
      const stall = idStall(config, insns[i]!, this.previousLoaded[i]!, 0);
      this.cycles[i] = 1 + stall;
      this.cyclesBefore[i + 1] = this.cyclesBefore[i]! + 1 + stall;
      this.stallsBefore[i + 1] = this.stallsBefore[i]! + stall;
      this.accessesBefore[i + 1] = this.accessesBefore[i]! + (this.nextAccess[i] === i ? 1 : 0);
    }
    const accesses = this.accessesBefore[n]!;
    this.accessAt = new Int32Array(accesses);
    this.cyclesAfter = new Int32Array(accesses);
    for (let i = 0; i < n; i++) {
      if (this.nextAccess[i] !== i) continue;
      const k = this.accessesBefore[i]!;
      this.accessAt[k] = i;
      this.cyclesAfter[k] = this.cyclesBefore[this.nextAccess[i + 1]!]! - this.cyclesBefore[i]!;
    }
  }

  /**
   * The batch of a block that is a whole hardware-loop body, when its instructions allow one
   * (batchable): up to MAX_BLOCK_LENGTH instructions, with stores from MIN_BATCH_LENGTH (the pass is
   * straight-line code, quick to compile, unlike a region); undefined for others. Its static cycles
   * are those of `config`, the timing of the cores that run it (a block belongs to one memory, so
   * to one cluster).
   */
  static of(block: Block, config: TimingConfig): LoopBatch | undefined {
    let batch = batches.get(block);
    if (batch === undefined && !batches.has(block)) {
      const insns = block.instructions;
      const longEnough = insns.length >= MIN_BATCH_LENGTH || !insns.some((insn) => insn.execute.access?.kind === 'store');
      batch = !block.transfers && longEnough && !insns.some(isBlockBranch) && batchable(insns) ? new LoopBatch(block, config) : undefined;
      batches.set(block, batch);
    }
    return batch;
  }

  /** Cores met here: whether they should run as a batch, compiled or met often enough to be worth compiling (as LoopRegion.hot). */
  hot(): boolean {
    return this.compiled !== undefined || ++this.meetings >= BATCH_COMPILE_AFTER;
  }

  /**
   * Instructions [from, to) of the body for hart h, without timing: returns `to`, or the index of
   * a load or store that is not a direct access, or of a load of bytes a store of the pass wrote
   * (nothing of it done). Each access's address and value (loaded, or to store) go to A and V from
   * index 0, the registers the body writes (`written`) to S first. Stores do not write memory: the
   * replay does, in cluster-time order. span[0] and span[1] get the lowest and highest address
   * loaded (+Infinity and -Infinity without a load). With `feed` 1 the loads take their values from
   * V instead of memory, the stores do nothing, and S and span are left alone.
   */
  get pass(): PassFunction {
    this.compiled ??= compilePass(this.block);
    return this.compiled;
  }

  /**
   * `laps` whole iterations for hart h from the start of the body, in a window (compileLaps): 1 when
   * they ran, 0 when the window fails. The caller moves the hardware loop on (Block.loopBack).
   */
  get laps(): LapFunction {
    this.compiledLaps ??= compileLaps(this.block, this.cyclesBefore);
    return this.compiledLaps;
  }
}

const batches = new WeakMap<Block, LoopBatch | undefined>();

/**
 * The shortest body with stores a batch takes. A pass costs about as much again as its instructions
 * in saving registers, the back edge and the next pass's start, and the 4-instruction copy loops of
 * im2col, a few dozen iterations between instructions outside the body, rarely get a window
 * (sim/core/loop-batch-window.ts): a region runs them faster. Measured on ImageNet's dense
 * ResNet18: before windows, 61 s with every body a batch, 53 s from 8 instructions on, 58 s from
 * 16; with windows, 46 s with every body a batch, 40 s with bodies of loads only from 1 instruction
 * and bodies with stores from 8.
 */
const MIN_BATCH_LENGTH = 8;

/** Times cores meet in a body before its pass is compiled: REGION_COMPILE_AFTER's reason holds (sim/core/loop-region.ts). */
const BATCH_COMPILE_AFTER = 16;

/** The registers the instructions write (a post-incremented base too), x0 aside. */
function writtenRegisters(insns: readonly DecodedInstruction[]): number[] {
  const written = new Set<number>();
  for (const insn of insns) {
    for (const reg of insn.destinations) written.add(reg);
    if (insn.execute.access?.mode === 'postIncrement') written.add(insn.rs1);
  }
  written.delete(0);
  return [...written].sort((a, b) => a - b);
}

/**
 * Each instruction's code for a pass or a lap: a load or store through `access` (what each makes of
 * it), any other instruction through its semantic; x0 kept zero.
 */
function instructionCode(insns: readonly DecodedInstruction[], access: (insn: DecodedInstruction, i: number, access: DataAccess) => string[]): string[][] {
  return insns.map((insn, i) => {
    const data = insn.execute.access;
    const lines: string[] = [];
    if (data !== undefined && (data.kind === 'store' || (data.kind === 'load' && !isLocal(insn)))) lines.push(...access(insn, i, data));
    else {
      if (!insn.execute.operation) lines.push(`h.pc = d${i}.pc;`);
      lines.push(semanticCall(insn, i));
    }
    if (writesZero(insn)) lines.push('r[0] = 0;');
    return lines;
  });
}

function compilePass(block: Block): PassFunction {
  const insns = block.instructions;
  const code = instructionCode(insns, (insn, i, access) => {
    const parts = accessParts(insn, i, access);
    if (access.kind === 'load') {
      return [
        parts.address,
        'if (feed === 1) v = V[l]; else {',
        // A load of bytes this pass stored (not yet in memory: stores are written as they are replayed) stops it too.
        `if (!(m !== undefined && ${parts.direct}) || (a < se && a + ${access.size} > sb)) { end = ${i}; break run; }`,
        `v = ${parts.load};`,
        'A[l] = a; V[l] = v;',
        'if (a < lo) lo = a; if (a > hi) hi = a;',
        '}',
        'l++;',
        ...parts.advance,
        `r[${insn.rd}] = v;`,
      ];
    }
    return [
      parts.address,
      'if (feed === 0) {',
      `if (!(m !== undefined && ${parts.direct} && a !== m.watched)) { end = ${i}; break run; }`,
      `A[l] = a; V[l] = r[${insn.rs2}];`,
      `if (a < sb) sb = a; if (a + ${access.size} > se) se = a + ${access.size};`,
      '}',
      'l++;',
      ...parts.advance,
    ];
  });
  const body = [
    '// A, V: the address and value of each load and store; S: the registers written, saved; feed: 1 when the loads take their values from V',
    '// (and the stores, already written, do nothing); l: the next load or store; sb, se: the bytes the pass stored, from sb up to se;',
    '// lo, hi: the lowest and highest address loaded, left in span; end: where the pass stopped.',
    'const r = h.regs, m = h.directMemory;',
    `let a = 0, v = 0, g, l = 0, sb = Infinity, se = 0, lo = Infinity, hi = -Infinity, end = ${insns.length};`,
    `if (feed === 0) { ${writtenRegisters(insns).map((reg) => `S[${reg}] = r[${reg}];`).join(' ')} }`,
    'run: switch (from) {',
    ...code.flatMap((lines, i) => [`case ${i}:`, `if (to === ${i}) { end = ${i}; break run; }`, `// d${i}: ${insns[i]!.def.mnemonic}`, ...lines]),
    '}',
    'if (feed === 0) { span[0] = lo; span[1] = hi; }',
    'return end;',
  ];
  return block.templates.link<PassFunction>('pass', `a hardware-loop body of ${insns.length} instructions, one iteration without timing`, insns, 'h, A, V, S, from, to, feed, span', body, block).value;
}

/**
 * Code that reaches registers only as `r[N]` and immediates as `d<i>.imm`, with both in locals
 * (`x<N>`, `imm<i>`): V8 keeps them in machine registers across the body, where every `r[N]` is a
 * load or store of the typed array (the SIMD dot products read each operand four times). Left as
 * it is when a semantic is called with the hart: it reads and writes the registers itself.
 */
function inLocals(code: string[], written: readonly number[]): { lines: string[]; entry: string[]; exit: string[] } {
  if (code.some((line) => /\be\d+\(h, /.test(line))) return { lines: code, entry: [], exit: [] };
  const registers = new Set<number>();
  const immediates = new Set<number>();
  const lines = code.map((line) =>
    line.startsWith('//')
      ? line
      : line
          .replace(/\br\[(\d+)\]/g, (_, reg: string) => {
            registers.add(Number(reg));
            return `x${reg}`;
          })
          .replace(/\bd(\d+)\.imm\b/g, (_, i: string) => {
            immediates.add(Number(i));
            return `imm${i}`;
          }),
  );
  const sorted = (set: Set<number>) => [...set].sort((p, q) => p - q);
  const entry = [
    ...(registers.size === 0 ? [] : [`let ${sorted(registers).map((reg) => `x${reg} = r[${reg}]`).join(', ')};`]),
    ...(immediates.size === 0 ? [] : [`const ${sorted(immediates).map((i) => `imm${i} = d${i}.imm`).join(', ')};`]),
  ];
  const exit = written.filter((reg) => registers.has(reg)).map((reg) => `r[${reg}] = x${reg};`);
  return { lines, entry, exit };
}

/**
 * Whole iterations of the body in a window, from its start at cycle c of the window's table T:
 * each load and store marks its bank in the cycle it issues without waits (the body's own cycles,
 * literals here), a store is written through the window (which keeps what it overwrote), and a
 * load reads memory. Returns 0 as soon as an access meets a bank already marked, leaves L1, is not
 * direct, or a store rewrote code (the window then fails and puts everything back); 1 after
 * `laps` iterations. The member's load span in the window (LapWindow.loadLow, loadHigh) grows
 * with its loads.
 */
function compileLaps(block: Block, cyclesBefore: Float64Array): LapFunction {
  const insns = block.instructions;
  const code = instructionCode(insns, (insn, i, access) => {
    const parts = accessParts(insn, i, access);
    const slot = `c + ${cyclesBefore[i]!}`;
    const misaligned = access.size === 1 ? '' : `(a & ${access.size - 1}) !== 0 || `;
    const lines = [
      parts.address,
      `if (${misaligned}a < base || a + ${access.size} > end${access.kind === 'store' ? ' || a === m.watched' : ''}) return 0;`,
      'x = (a - base) >>> 2; x = 1 << (mask >= 0 ? x & mask : x % banks);',
      `if ((T[${slot}] & x) !== 0) return 0;`,
      `T[${slot}] |= x;`,
    ];
    if (access.kind === 'load') return [...lines, `v = ${parts.load};`, 'if (a < lo) lo = a; if (a > hi) hi = a;', ...parts.advance, `r[${insn.rd}] = v;`];
    return [...lines, `if (!W.store(h, b, id, a, ${access.size}, r[${insn.rs2}])) return 0;`, ...parts.advance];
  });
  const { lines, entry, exit } = inLocals(code.flatMap((lines, i) => [`// d${i}: ${insns[i]!.def.mnemonic}`, ...lines]), writtenRegisters(insns));
  const body = [
    '// T: the window\'s banks taken per cycle; c: the cycle of the iteration\'s start in it; W: the window (LapWindow); id: the member;',
    '// x<N>: register N, imm<i>: instruction i\'s immediate, in locals for the call (the registers written are stored back at its end).',
    'const r = h.regs, m = h.directMemory, base = W.banked.l1Base, end = W.banked.l1End, mask = W.banked.bankMask, banks = W.banked.banks;',
    'let a = 0, v = 0, x = 0, lo = W.loadLow[id], hi = W.loadHigh[id];',
    // Every access is in L1 (or the window fails): g, the region holding it, for all of them.
    'const g = m === undefined ? undefined : m.find(base, end - base);',
    'if (g === undefined) return 0;',
    ...entry,
    `for (let lap = 0; lap < laps; lap++, c += ${cyclesBefore[insns.length]!}) {`,
    ...lines,
    '}',
    ...exit,
    'W.loadLow[id] = lo; W.loadHigh[id] = hi;',
    'return 1;',
  ];
  return block.templates.link<LapFunction>('laps', `a hardware-loop body of ${insns.length} instructions, whole iterations in a window of a batch`, insns, 'h, T, c, laps, W, id', body, block).value;
}
