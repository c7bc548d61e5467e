/**
 * Blocks compiled to JavaScript. A block is a run of straight-line instructions (ALU,
 * multiply/divide, loads and stores) and conditional branches, possibly ended by a jump, that the
 * hart executes with one call instead of one dispatch per instruction: a superblock, which a taken
 * branch leaves (or runs again, when it branches back to the block's start). The generated
 * function calls each instruction's own semantic from a call site of its own, so V8 sees every
 * site monomorphic and can inline the semantic, and it applies the timing rules that are known
 * when the block is built (load stalls inside the block, fixed latencies) as constants.
 * Everything that depends on run-time values (a memory wait, a taken branch) goes through the
 * same TimingModel methods the interpreter uses, and a jump through its issue and complete, so
 * both paths count identical cycles; a test runs programs both ways and compares every counter.
 * A load or store that declares its access (DataAccess) reads or writes memory directly when the
 * hart's memory answers at once (one core alone), through its semantic otherwise.
 *
 * Which instructions a block may hold, and which a cluster core may run ahead of the others,
 * follows from the effects each table row declares (isa/effects.ts), never from mnemonics. What
 * ends a block: a jump (compiled C branches and jumps every few instructions, so a block that
 * stopped before them would leave each to the interpreter), an instruction that is neither
 * straight-line nor a branch or jump it compiles (a CSR access, a hardware-loop change, a system
 * call, mret: these take the interpreter), the end of an active hardware loop, or
 * MAX_BLOCK_LENGTH. A store does not end a block, but the block returns right after one that
 * rewrote decoded code of its region (CodeEpoch) or stopped the hart (a store to a mailbox such as
 * tohost, or to a peripheral that pauses it).
 *
 * A block also compiles, when first needed, its first instruction alone (`step`), that instruction
 * for several cores at once (`groupStep`, for cores in lock-step), and its first instruction with
 * the local ones after it as a block of its own (`turn`, what a cluster core may run at its turn).
 * All are generated from one per-instruction template. The generated code reads each address and
 * immediate from the decoded instruction bound to it, so blocks of one shape share their compiled
 * code (`Templates`); it is named after a hash of its text (`block_3f0c51a2d9e4`), and `Block.source`
 * shows it after the address and disassembly of each instruction bound to it. Set
 * NMSPARSE_DUMP_CODE to a folder to get the sources as files (util/generated-code.ts).
 */
import { hex } from '../../isa/bits.js';
import { SUMS_LOADED, type DataAccess, type DecodedInstruction } from '../../isa/definition.js';
import { formatInstruction } from '../../isa/disassembler.js';
import type { AccessSize, Addr, Cycles, HwLoopRegs, Word } from '../../isa/types.js';
import { createHash } from 'node:crypto';
import { compileFactory, type GeneratedCode, type GeneratedFactory } from '../../util/generated-code.js';
import type { CoreStats, TimingModel, TimingProbe } from './timing.js';
import { hasLoadStall } from './timing.js';

export const MAX_BLOCK_LENGTH = 64;

/**
 * Times cores meet in lock-step at a block's start before its group step is compiled. A network's
 * per-layer code brings cores together at thousands of pcs for a handful of cycles each (a median
 * of 4 group steps per compiled function on CIFAR ResNet18), where compiling costs more than the
 * turns the cores would otherwise take; the kernels' hot loops pass this at once.
 */
const GROUP_COMPILE_AFTER = 16;

/** What a block needs of the hart that runs it. */
export interface BlockHost extends TimingProbe {
  pc: Addr;
  readonly regs: Int32Array;
  readonly stats: CoreStats;
  readonly timing: TimingModel;
  readonly hwloop: HwLoopRegs & { readonly active: boolean; next(sequential: Addr): Addr; checkEntry(target: Addr): void };
  /**
   * The block returns after any instruction that brings mcycle to this value (the run's cycle
   * limit, or 0 when something outside the core, such as a peripheral, asks the hart to yield).
   */
  stopAt: Cycles;
  /**
   * Loads and stores other than the block's first instruction may issue only before this cycle:
   * in a cluster, other cores may use the memory system earlier (see Hart.runAhead).
   */
  sharedLimit: Cycles;
  /** Set when the hart stopped (a store to a watched mailbox can do it). */
  readonly halted: unknown;
  /**
   * The memory whose regions the block reads and writes itself (DataAccess), when its port does
   * nothing to an aligned access in one transaction there but make it wait: the memory of a core
   * alone without grant delays, the L1 and L2 of a cluster core.
   */
  readonly directMemory: DirectMemory | undefined;
  /** What makes those accesses wait (a cluster core's port), or undefined when they never wait. */
  readonly arbiter: AccessArbiter | undefined;
}

/** Times a direct access (BlockHost.arbiter). */
export interface AccessArbiter {
  /**
   * The cycles an aligned access in one transaction at `addr`, issued in `cycle`, waits for its
   * grant, charged to the port's statistics as a semantic's access would be.
   */
  grant(addr: Addr, cycle: Cycles): Cycles;
  /** Its banks' common case, which the generated code grants without a call (GRANT); undefined when there is none. */
  readonly banks: BankGrants | undefined;
}

/**
 * A banked memory's common case (sim/cluster/tcdm.ts): an access to a bank with nothing reserved
 * from its cycle on, while no other master takes banks, is granted at once. The generated code
 * does that itself (GRANT) and calls `grant` for everything else: the call had been about a tenth
 * of a copy loop's time in a region, too large for V8 to inline there beside four accesses.
 */
export interface BankGrants {
  /** The banked memory, [l1Base, l1End), word-interleaved over bankMask + 1 banks (a power of two). */
  readonly l1Base: Addr;
  readonly l1End: Addr;
  readonly bankMask: number;
  /** Per bank: a cycle from which nothing is reserved. */
  readonly freeFrom: Float64Array;
  /** Per bank: 1 when its one reservation from freeFrom - 1 on is that cycle, granted here and not yet in the bank's own record. */
  readonly lazy: Uint8Array;
  /** The issue cycle of the latest access. */
  now: Cycles;
  /** Another master (the DMA) may take banks in [busyFrom, busyUntil) only. */
  readonly occupant?: { readonly busyFrom: Cycles; readonly busyUntil: Cycles } | undefined;
}

/**
 * The wait of a direct access at address `a` issued in cycle `c` through the arbiter `w`, as an
 * expression: BankGrants' common case inline, else the call (locals B, O, bk are its scratch).
 */
const GRANT = [
  'w === undefined ? 0',
  ': (B = w.banks) !== undefined && a >= B.l1Base && a < B.l1End && c >= B.freeFrom[(bk = ((a - B.l1Base) >>> 2) & B.bankMask)]',
  '&& ((O = B.occupant) === undefined || !(O.busyFrom <= c && c < O.busyUntil))',
  '? ((B.now = c), (B.freeFrom[bk] = c + 1), (B.lazy[bk] = 1), 0)',
  ': w.grant(a, c)',
].join(' ');

/** Where a compiled block's direct accesses go (Bus.direct; BlockHost.directMemory and arbiter). */
export interface DirectPath {
  readonly memory: DirectMemory;
  readonly arbiter: AccessArbiter | undefined;
}

/**
 * What direct loads and stores use of the hart's memory (MappedMemory, named structurally here:
 * its regions hold the blocks' code epochs).
 */
export interface DirectMemory {
  /** The region of the last access, tried first. */
  readonly last: DirectRegion;
  /** The region holding all of [addr, addr + size), which becomes `last`; undefined outside every region. */
  find(addr: Addr, size: number): DirectRegion | undefined;
  /** The word whose stores are reported: a store to it is left to the memory's `write`. */
  readonly watched: number;
  /** The store of a direct access made later (a loop batch's, as its replay reaches it). */
  write(addr: Addr, size: AccessSize, value: Word): void;
  /** What is there now: a loop batch's window keeps it, to put it back if the window fails. */
  read(addr: Addr, size: AccessSize, signed: boolean): Word;
}

/** A region of a DirectMemory: RAM behind a DataView. */
export interface DirectRegion {
  readonly base: Addr;
  readonly end: number;
  readonly view: DataView;
  invalidate(offset: number, size: number): void;
}

type BlockFunction = (host: BlockHost) => void;
type GroupStep = (hosts: readonly BlockHost[]) => boolean;

/**
 * One version of a region's code. A store that rewrites decoded code ends the epoch, so that a
 * block already running (a loop body iterating inside its function) notices it.
 */
export class CodeEpoch {
  current = true;
}

/**
 * An instruction whose effects stay inside the core and that cannot fault (its declared effects
 * are registers only): a cluster core may run it ahead of the other cores, whatever they do meanwhile.
 */
export function isLocal(insn: DecodedInstruction): boolean {
  return insn.registerOnly;
}

/**
 * May a cluster core past its shared limit run this instruction (Hart.runAhead)? A local one, or a
 * branch or jump that does nothing else: its declared effects are registers and the pc only
 * (isRegisterAndPcOnly), so what other cores do cannot change where it goes or what it costs, nor
 * can it change theirs. Stopping before every branch made the turns of a core between two loops
 * one to three instructions long (docs/iss.md, Where a network's time goes).
 */
export function runsAhead(insn: DecodedInstruction): boolean {
  return insn.registerAndPcOnly;
}

/**
 * May this instruction be part of a block? One that declares no control transfer, CSR access,
 * hardware-loop change or system call: register-only instructions, loads and stores (gathers too).
 */
export function isStraightLine(insn: DecodedInstruction): boolean {
  const effects = insn.def.effects;
  return effects.control === 'none' && !effects.csr && !effects.hwloop && effects.system === 'none';
}

/**
 * May this instruction end a block as its control transfer? A branch or jump that does nothing
 * else the block cannot compile: no data access, CSR, hardware-loop change, system call (mret is
 * one) or fault of its own.
 */
export function isBlockTransfer(insn: DecodedInstruction): boolean {
  return insn.def.effects.control !== 'none' && insn.registerAndPcOnly;
}

/**
 * A conditional branch, which a block runs through: not taken, the block goes on with the next
 * instruction; taken, it leaves (or, branching back to its start, runs again). Its timing is a
 * straight-line instruction's plus TimingModel.takenBranchExtra.
 */
export function isBlockBranch(insn: DecodedInstruction): boolean {
  return isBlockTransfer(insn) && insn.def.effects.control === 'branch' && insn.timing === 'branch';
}

export class Block {
  /** Address of the first instruction. */
  readonly start: Addr;
  /** Address after the last instruction. */
  readonly end: Addr;
  /** The last instruction is a control transfer (isBlockTransfer). */
  readonly transfers: boolean;
  /** `run` and its source, once compiled. */
  private whole: GeneratedCode<BlockFunction> | undefined;
  /** `step`, once compiled. */
  private single: BlockFunction | undefined;
  /** `turn`, once built. */
  private turnPart: Block | undefined;
  private group: GroupStep | undefined;
  /** Lock-step meetings here while `group` is not compiled (lockStepHot). */
  private meetings = 0;

  constructor(
    readonly instructions: readonly DecodedInstruction[],
    /** The code of the block's region as it was when the block was built (see CodeEpoch). */
    readonly epoch: CodeEpoch,
    /**
     * By instruction index, for a branch whose target was known when the block was built: whether
     * the target is a 32-bit instruction at an address that is 2 mod 4 (it costs a fetch cycle more:
     * TimingModel.takenBranchTo). Known for a target at a word address, and for one decoded in the
     * block's region: rewriting a decoded instruction ends the epoch and drops the region's blocks.
     */
    readonly unalignedTargets: readonly (boolean | undefined)[] = [],
    /** Where its code is compiled: its region's (MemoryRegion.templates), or its own. */
    readonly templates: Templates = new Templates(),
  ) {
    if (instructions.length === 0) throw new Error('block: no instructions');
    this.start = instructions[0]!.pc;
    const last = instructions.at(-1)!;
    this.end = last.pc + last.length;
    this.transfers = isBlockTransfer(last);
  }

  /**
   * Runs the block (compiled when first needed: a cluster core that keeps stopping for the others
   * runs only the turns of most of the blocks it finds, one starting at each instruction it stopped
   * before, and compiling each whole would cost as the square of the code's length).
   */
  get run(): BlockFunction {
    this.whole ??= compile(this);
    return this.whole.value;
  }

  /**
   * The generated source of `run`: the template as compiled (named after a hash of its text), after
   * a comment naming the instructions it is bound to here, each with its address and disassembly.
   */
  get source(): string {
    this.whole ??= compile(this);
    const bindings = this.instructions.map((insn, i) => `// d${i} = ${hex(insn.pc)}  ${formatInstruction(insn)}`);
    return [`// The block at ${hex(this.start)}..${hex(this.end)} runs this template with`, ...bindings, this.whole.source].join('\n');
  }

  /**
   * Runs the first instruction only: a core in lock-step with others, allowed one cycle (compiled
   * when first needed: a hart alone rarely needs it, and compiling is most of what rarely run code costs).
   */
  get step(): BlockFunction {
    this.single ??= compileStep(this.instructions[0]!, this.templates);
    return this.single;
  }

  /**
   * The first instruction and the local ones after it (isLocal), as a block of its own: what a
   * cluster core past its shared limit may run at its turn (Hart.runAhead). Built when first needed,
   * and the whole block when nothing but local instructions follow the first.
   */
  get turn(): Block {
    if (!this.turnPart) {
      const insns = this.instructions;
      let length = 1;
      while (length < insns.length && runsAhead(insns[length]!)) length++;
      this.turnPart = length === insns.length ? this : new Block(insns.slice(0, length), this.epoch, this.unalignedTargets.slice(0, length), this.templates);
    }
    return this.turnPart;
  }

  /** No active hardware loop ends strictly inside the block (its last instruction may end one). */
  fitsLoops(hwloop: HwLoopRegs): boolean {
    for (let l = 0; l < 2; l++) {
      const end = hwloop.end[l]!;
      if (hwloop.count[l] !== 0 && end > this.start && end < this.end) return false;
    }
    return true;
  }

  /**
   * Cores in lock-step reached the block: whether they should go on through groupStep, compiled or
   * met here often enough to be worth compiling (GROUP_COMPILE_AFTER); else they take turns.
   */
  lockStepHot(): boolean {
    return this.group !== undefined || ++this.meetings >= GROUP_COMPILE_AFTER;
  }

  /** The first instruction for cores in lock-step (compiled when first needed). */
  get groupStep(): GroupStep {
    this.group ??= compileGroupStep(this.instructions[0]!, this.templates);
    return this.group;
  }

  /**
   * At the end of the block: when it is the whole body of an active hardware loop with iterations
   * left, take the loop's back edge (as HardwareLoops.next would) so that the generated code can
   * run the next iteration without leaving.
   */
  loopsBack(hwloop: HwLoopRegs): boolean {
    // A store in the body (the block's last instruction) may have rewritten the body itself.
    if (!this.epoch.current) return false;
    const l = this.endingLoop(hwloop);
    if (l < 0 || hwloop.count[l]! < 2 || hwloop.start[l] !== this.start) return false;
    hwloop.count[l]!--;
    return true;
  }

  /** loopsBack `times` times over, each known to go back (iterationsLeft is more than `times`). */
  loopBack(hwloop: HwLoopRegs, times: number): void {
    hwloop.count[this.endingLoop(hwloop)]! -= times;
  }

  /** Iterations of this body the hardware loop runs from the current one on, this one included (as loopsBack decides them). */
  iterationsLeft(hwloop: HwLoopRegs): number {
    const l = this.endingLoop(hwloop);
    return l >= 0 && hwloop.start[l] === this.start ? hwloop.count[l]! : 1;
  }

  /** The active hardware loop whose end is this block's (loop 0 first, as HardwareLoops.next takes them), or -1. */
  private endingLoop(hwloop: HwLoopRegs): number {
    for (let l = 0; l < 2; l++) if (hwloop.count[l] !== 0 && hwloop.end[l] === this.end) return l;
    return -1;
  }

  /**
   * Called by the generated code after instruction `index` retired with mcycle at `cycles`, the
   * instruction itself having taken `last` cycles after one that loaded `previousLoaded`, with
   * `twoBackLoaded` as TimingModel.loadedTwoBack, `retired` of the instructions so far not yet
   * counted in instret: commit the counters, the hazard state and the next pc (through the
   * hardware-loop end rule).
   */
  finish(host: BlockHost, index: number, retired: number, cycles: Cycles, last: Cycles, previousLoaded: number, twoBackLoaded: number): void {
    const insn = this.retire(host, index, last, previousLoaded, twoBackLoaded);
    this.count(host, retired, cycles);
    const sequential = insn.pc + insn.length;
    host.pc = host.hwloop.active ? host.hwloop.next(sequential) >>> 0 : sequential;
  }

  /**
   * Called by the generated code when instruction `index`, a conditional branch, was taken, with
   * mcycle at `cycles` (the arguments as finish's): commit the hazard state, check a target inside
   * an active hardware loop's body as Hart.interpret does (after the timing model retired the
   * branch, before the counters count it), then the counters, and go on at the target.
   */
  finishTaken(host: BlockHost, index: number, retired: number, cycles: Cycles, last: Cycles, previousLoaded: number, twoBackLoaded: number): void {
    this.retire(host, index, last, previousLoaded, twoBackLoaded);
    const target = host.npc;
    if (host.hwloop.active) host.hwloop.checkEntry(target);
    this.count(host, retired, cycles);
    host.pc = target >>> 0;
  }

  /** Instruction `index` retired in the timing model (the hazards it leaves); returns it. */
  retire(host: BlockHost, index: number, last: Cycles, previousLoaded: number, twoBackLoaded: number): DecodedInstruction {
    const insn = this.instructions[index]!;
    host.timing.loadedByPrevious = previousLoaded;
    host.timing.loadedTwoBack = twoBackLoaded;
    host.timing.retire(insn, last);
    return insn;
  }

  private count(host: BlockHost, retired: number, cycles: Cycles): void {
    host.stats.cycles = cycles;
    host.stats.instret += retired;
  }
}

/**
 * The statement running instruction i: its register operation with constant register numbers when
 * it has one (written out when it has an expression, else called), else its semantic.
 */
export function semanticCall(insn: DecodedInstruction, i: number): string {
  const operation = insn.execute.operation;
  if (!operation) return `e${i}(h, d${i});`;
  const args = operation.operands.map((operand) => (operand === 'imm' ? `d${i}.imm` : `r[${insn[operand]}]`));
  if (operation.expression !== undefined) return `r[${insn.rd}] = ${operation.expression.replace(/\$(\d)/g, (_, k: string) => args[Number(k)]!)};`;
  return `r[${insn.rd}] = o${i}(${args.join(', ')});`;
}

/** DataView accessors by access size (a byte needs no byte order). */
const GETTERS = { 1: ['getUint8', 'getInt8'], 2: ['getUint16', 'getInt16'], 4: ['getUint32', 'getInt32'] } as const;
const SETTERS = { 1: 'setInt8', 2: 'setInt16', 4: 'setInt32' } as const;

/**
 * The pieces of generated code of instruction i's DataAccess: the statement putting its address in
 * `a`, the test that `a` is aligned and in a region of the direct memory `m` (which it leaves in
 * `g`, the last one used tried first: cluster cores that alternate L1 and L2 keep the direct path),
 * the expression loading from `g`, and the statements moving a post-incremented base.
 */
export function accessParts(insn: DecodedInstruction, i: number, access: DataAccess): { address: string; direct: string; load: string; advance: string[] } {
  const { size } = access;
  const base = `r[${insn.rs1}]`;
  const aligned = size === 1 ? '' : `(a & ${size - 1}) === 0 && `;
  // Read before the access writes anything (the semantics read a register offset first).
  const offset = access.offset === 'imm' ? `d${i}.imm` : `r[${insn[access.offset]}]`;
  return {
    address: access.mode === 'offset' ? `a = (${base} + ${offset}) >>> 0;` : `a = ${base} >>> 0;`,
    direct: `${aligned}((a >= (g = m.last).base && a + ${size} <= g.end) || (g = m.find(a, ${size})) !== undefined)`,
    load: `g.view.${GETTERS[size][access.signed ? 1 : 0]}(a - g.base${size === 1 ? '' : ', true'})`,
    advance: access.mode === 'postIncrement' ? [`${base} = (${base} + ${offset}) | 0;`] : [],
  };
}

/**
 * A load or store with a DataAccess: straight to the typed array of a region of the memory when
 * the hart has a direct memory (m, BlockHost.directMemory), the access is direct (accessParts) and
 * a store misses the watched word, after the wait the arbiter (w) grants it; else through the
 * semantic and the memory system's timing. A direct store drops decoded code it overwrites as
 * `write` does.
 * Only the semantic can fault or reach a peripheral: it alone needs pc and the counters committed
 * (`entry`), instret with the `uncounted` instructions before it, which it takes back after (the
 * block counts them at its exit: commitsCounters).
 */
function accessLines(insn: DecodedInstruction, i: number, access: DataAccess, entry: readonly string[], uncounted: number, afterSemantic: readonly string[]): string[] {
  const { size } = access;
  const parts = accessParts(insn, i, access);
  const unwatched = access.kind === 'store' ? ' && a !== m.watched' : '';
  const direct =
    access.kind === 'load'
      ? [`v = ${parts.load};`, ...parts.advance, `r[${insn.rd}] = v;`]
      : [`g.view.${SETTERS[size]}(a - g.base, r[${insn.rs2}]${size === 1 ? '' : ', true'});`, `g.invalidate(a - g.base, ${size});`, ...parts.advance];
  return [
    parts.address,
    `if (m !== undefined && ${parts.direct}${unwatched}) {`,
    `k += tm.singleAccess(${GRANT});`,
    ...direct,
    '} else {',
    ...entry,
    semanticCall(insn, i),
    'k += tm.memoryExtra(h);',
    ...(uncounted > 0 ? [`s.instret -= ${uncounted};`] : []),
    ...afterSemantic,
    '}',
  ];
}

/** The address after instruction i, from its decoded form (the code is shared by blocks at other addresses). */
const sequentialPc = (insn: DecodedInstruction, i: number): string => `d${i}.pc + ${insn.length}`;

/** Does the semantic possibly write x0 (which must then be forced back to zero)? */
export function writesZero(insn: DecodedInstruction): boolean {
  return insn.def.format.writes.some((slot) => insn[slot] === 0);
}

/**
 * The registers the instruction before one loaded: a bit mask known when the code is generated, or
 * `p`, the local holding it at run time.
 */
export type PreviousLoads = number | 'p';

/** A register bit mask (or `p`) as a literal of the generated code; x31's bit makes an int32 mask negative. */
export const maskLiteral = (mask: PreviousLoads): string => {
  if (mask === 'p' || mask === 0) return String(mask);
  return mask < 0 ? `-0x${(-mask).toString(16)}` : `0x${mask.toString(16)}`;
};

/**
 * What the instruction two before one loaded, when the one between took a single cycle (see
 * TimingModel.loadedTwoBack): the expression the instruction's code assigns to the local `t` first
 * (while `k` still holds the cycles of the one between), and the mask when known as the code is
 * generated. Absent when no load is two back.
 */
export interface TwoBackLoads {
  readonly expression: string;
  readonly mask: number | undefined;
}

/** TwoBackLoads of instruction i: `q` (the hart's value) for the first, else from `k` of the one before. */
function twoBackOf(insns: readonly DecodedInstruction[], i: number): TwoBackLoads | undefined {
  if (i === 0) return { expression: 'q', mask: undefined };
  const mask = i === 1 ? 'p' : insns[i - 2]!.loadedMask;
  if (mask === 0) return undefined;
  return { expression: `k === 1 ? ${maskLiteral(mask)} : 0`, mask: mask === 'p' ? undefined : mask };
}

/** Might the instruction wait in ID? Whenever TimingModel.idStall can return more than 0. */
function mayStall(insn: DecodedInstruction, previous: PreviousLoads, twoBack: TwoBackLoads | undefined): boolean {
  const afterPrevious = previous === 'p' ? insn.loadStallMask !== 0 || insn.namesSums || insn.onMultiplier : hasLoadStall(insn, previous);
  const afterTwoBack = twoBack !== undefined && (twoBack.mask === undefined || twoBack.mask === SUMS_LOADED) && insn.namesSums;
  return afterPrevious || afterTwoBack;
}

/** What instructionLines adds around an instruction's semantic, and what it may expect of the one before. */
export interface InstructionExtras {
  /**
   * Statements before and after its semantic (a branch's outcome). A load or store runs its
   * semantic only off the direct path, so there they see what only the semantic can do (pause or
   * halt the hart).
   */
  readonly beforeSemantic?: readonly string[];
  readonly afterSemantic?: readonly string[];
  /**
   * With `previous` 'p': the registers the instruction before loads when the code runs as its loop
   * body (the body's previous instruction). When the instruction cannot stall after it, the stall
   * is asked of the timing model only for another p (a core just come into the body).
   */
  readonly steadyPrevious?: number;
}

/**
 * The code of instruction i, its cycles in k, mcycle in c; `uncounted` instructions before it are
 * not yet counted in instret.
 */
export function instructionLines(insn: DecodedInstruction, i: number, previous: PreviousLoads, twoBack: TwoBackLoads | undefined, uncounted: number, extras: InstructionExtras = {}): string[] {
  const { beforeSemantic = [], afterSemantic = [], steadyPrevious } = extras;
  const lines = [`// d${i}: ${insn.def.mnemonic} (${insn.timing})`];
  const t = twoBack ? 't' : '0';
  if (twoBack) lines.push(`t = ${twoBack.expression};`);
  const stall = `1 + tm.loadUseStall(d${i}, ${maskLiteral(previous)}, ${t})`;
  if (!mayStall(insn, previous, twoBack)) lines.push('k = 1;');
  else if (previous === 'p' && steadyPrevious !== undefined && !mayStall(insn, steadyPrevious, twoBack)) lines.push(`k = p === ${maskLiteral(steadyPrevious)} ? 1 : ${stall};`);
  else lines.push(`k = ${stall};`);
  // The divisor must be read before the semantic may overwrite it.
  if (insn.multiCycle) lines.push(`k += tm.latencyExtra(d${i}, r);`);
  // A semantic may read pc (auipc, a branch) or fault (whose report names pc); a register operation does neither.
  const entry = insn.execute.operation ? [] : [`h.pc = d${i}.pc;`];
  // The memory system times an access by the cycle its instruction issued in, a peripheral may
  // read the counters (the cluster's barrier observer), and a fault leaves them as before the
  // faulting instruction: commit mcycle and instret before anything not local, and what the
  // instruction before loaded (a trap's cost includes the load-use stall: TimingModel.trap).
  if (!isLocal(insn)) {
    if (uncounted > 0) entry.push(`s.instret += ${uncounted};`);
    entry.push('s.cycles = c;', `tm.loadedByPrevious = ${maskLiteral(previous)};`, `tm.loadedTwoBack = ${t};`);
  }
  const access = insn.execute.access;
  if (access) lines.push(...accessLines(insn, i, access, entry, uncounted, afterSemantic));
  else lines.push(...entry, ...beforeSemantic, semanticCall(insn, i), ...afterSemantic);
  if (insn.accessesMemory && !access) lines.push('k += tm.memoryExtra(h);');
  if (writesZero(insn)) lines.push('r[0] = 0;');
  lines.push('c += k;');
  return lines;
}

/**
 * The code of the block's control transfer, through the TimingModel's issue and complete as
 * Hart.interpret runs it (its timing depends on the outcome and on what the instructions before it
 * left: a taken branch, an unaligned target, a jalr's dependency on the register just written).
 * `before` is the code that commits the instructions before it (Block.finish, which also retires
 * the last of them in the timing model), empty when it is the first. It commits mcycle, instret
 * and the next pc, taken or through the hardware-loop end rule.
 */
function transferLines(insn: DecodedInstruction, i: number, before: string[]): string[] {
  const sequential = sequentialPc(insn, i);
  return [
    ...before,
    `// d${i}: ${insn.def.mnemonic} (${insn.timing}), the control transfer`,
    `h.npc = ${sequential};`,
    'h.redirected = false;',
    `tm.issue(d${i}, r);`,
    `e${i}(h, d${i});`,
    ...(writesZero(insn) ? ['r[0] = 0;'] : []),
    `k = tm.complete(d${i}, h);`,
    'let n = h.npc;',
    `if (hw.active) { if (!h.redirected) n = hw.next(${sequential}); else hw.checkEntry(n); }`,
    's.cycles += k;',
    's.instret++;',
    'h.pc = n >>> 0;',
  ];
}

/** What the one- and two-letter names of the generated code stand for, at the top of every function. */
const LEGEND = [
  '// h: the hart (BlockHost); r: its registers; s: its CoreStats; tm: its TimingModel; hw: its hardware loops;',
  '// c: mcycle; k: cycles of the current instruction; p: registers the previous instruction loaded (bit mask);',
  '// q: what the one before that loaded if the one between took a cycle, at the first instruction; t: the same at the current one;',
  '// e<i>, d<i>, o<i>: instruction i\'s semantic, decoded form (its pc and imm) and register operation; b: the Block;',
  '// m: the memory a load or store may reach directly (BlockHost.directMemory), w: what makes it wait (BlockHost.arbiter);',
  '// a: the address, g: its region, v: the value loaded; B, O, bk: the bank grant\'s (GRANT).',
];

const PROLOGUE = [
  'const r = h.regs, s = h.stats, tm = h.timing, hw = h.hwloop, m = h.directMemory, w = h.arbiter;',
  'let c = s.cycles, k = 0, p = tm.loadedByPrevious, q = tm.loadedTwoBack, t = 0, a = 0, v = 0, g, B, O, bk = 0;',
];

/**
 * The compiled code of a memory region's blocks, by text, each text compiled once. The generated
 * code reads every address and immediate from the decoded instructions bound to it (d<i>.pc,
 * d<i>.imm), so blocks of one shape at other addresses share a template: a network repeats its
 * kernels for each layer (CIFAR ResNet18: about 12,000 functions of 1,100 shapes), and code each
 * copy runs a few hundred times would otherwise be compiled anew and run unoptimized. Closures
 * bound from one template share V8's feedback and optimized code. Templates are kept per region
 * (MemoryRegion.templates), shared by the cores of a cluster but not by a later simulation: V8
 * specializes the code of a template bound once to its values, which a hot loop of a lone core
 * gains from (the C workload of `npm run bench` ran about a tenth slower a second time when its
 * templates were shared with the first run).
 */
export class Templates {
  private readonly byText = new Map<string, GeneratedFactory<unknown>>();

  /**
   * The generated function of `kind` (block, step, group) for `insns`, with its source: the
   * template of `body`, named after a hash of its text (also its file name in stack traces and in
   * the NMSPARSE_DUMP_CODE folder), bound to each instruction's semantic (e), decoded form (d) and
   * register operation (o), and to the block (b).
   */
  link<F>(kind: string, what: string, insns: readonly DecodedInstruction[], parameter: string, body: string[], block?: Block): GeneratedCode<F> {
    const text = [`// ${what}, generated by sim/core/block.ts.`, ...LEGEND, ...body].join('\n');
    let template = this.byText.get(text);
    if (!template) {
      // A bound for code that keeps rewriting itself.
      if (this.byText.size >= MAX_TEMPLATES) this.byText.clear();
      const name = `${kind}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
      const names = insns.flatMap((_, i) => [`e${i}`, `d${i}`, `o${i}`]);
      template = compileFactory(name, ['b', ...names], `return function ${name}(${parameter}) {\n${text}\n};`);
      this.byText.set(text, template);
    }
    const values = insns.flatMap((insn) => [insn.execute, insn, insn.execute.operation?.op]);
    return { value: template.make(block, ...values) as F, source: template.source };
  }
}

const MAX_TEMPLATES = 20_000;

/**
 * Does the instruction's code count the instructions before it in instret, for good (see
 * instructionLines)? Not a local one, and not a DataAccess, which counts them only around its
 * semantic.
 */
const commitsCounters = (insn: DecodedInstruction): boolean => !isLocal(insn) && insn.execute.access === undefined;

/** The extra cycles of a taken branch: from what was known of its target when the block was built, else looked up. */
const takenExtra = (unalignedTarget: boolean | undefined): string => (unalignedTarget === undefined ? 'tm.takenBranchExtra(h)' : `tm.takenBranchTo(${unalignedTarget})`);

function compile(block: Block): GeneratedCode<BlockFunction> {
  const insns = block.instructions;
  const last = insns.length - 1;
  // p: registers loaded by the instruction before the first one (the previous block, or the last
  // instruction of this one when it runs again as a loop body).
  const previous = (i: number): PreviousLoads => (i === 0 ? 'p' : insns[i - 1]!.loadedMask);
  const lines: string[] = [];
  // Before instruction j: stop at the run's cycle limit, and past sharedLimit before an instruction
  // a core may not run ahead (a load or store).
  const stopBefore = (j: number): string => (runsAhead(insns[j]!) ? 'c >= h.stopAt' : 'c >= h.stopAt || c >= h.sharedLimit');
  // Exit after instruction i: before the next one, or after a store that rewrote code or halted the hart.
  const exitAfter = (i: number): string => {
    const afterStore = insns[i]!.def.effects.memory === 'store' ? '!b.epoch.current || h.halted !== undefined || ' : '';
    return afterStore + stopBefore((i + 1) % insns.length);
  };
  const twoBack = (i: number): string => (twoBackOf(insns, i) ? 't' : '0');
  // Instructions of the block counted in instret once instruction i has begun: all those before
  // the last one up to i whose code counts them (commitsCounters).
  const counted: number[] = [];
  insns.forEach((insn, i) => counted.push(commitsCounters(insn) || i === 0 ? i : counted[i - 1]!));
  const uncounted = (i: number): number => (i === 0 ? 0 : i - counted[i - 1]!);
  // Instructions still to count in instret once instruction i has retired.
  const retiredAt = (i: number): number => i + 1 - counted[i]!;
  const finish = (i: number): string => `b.finish(h, ${i}, ${retiredAt(i)}, c, k, ${maskLiteral(previous(i))}, ${twoBack(i)})`;
  // Back at the start after instruction i: the next first instruction has i between it and the one before.
  const restart = (i: number): string => `s.instret += ${retiredAt(i)}; q = k === 1 ? ${maskLiteral(previous(i))} : 0; p = ${maskLiteral(insns[i]!.loadedMask)}; continue;`;
  const lastInsn = insns[last]!;
  const endsWithJump = block.transfers && !isBlockBranch(lastInsn);
  // A branch back to the block's start loops inside the function, as a hardware-loop body does.
  const branchesToStart = (insn: DecodedInstruction): boolean => isBlockBranch(insn) && ((insn.pc + insn.imm) >>> 0) === block.start;
  insns.slice(0, endsWithJump ? last : insns.length).forEach((insn, i) => {
    if (!isBlockBranch(insn)) lines.push(...instructionLines(insn, i, previous(i), twoBackOf(insns, i), uncounted(i)));
    else {
      // A branch costs what a straight-line instruction does; taken, it adds its penalty and leaves.
      lines.push(
        ...instructionLines(insn, i, previous(i), twoBackOf(insns, i), uncounted(i), { beforeSemantic: [`h.npc = ${sequentialPc(insn, i)};`, 'h.redirected = false;'] }),
        'if (h.redirected) {',
        `const x = ${takenExtra(block.unalignedTargets[i])};`,
        'k += x;',
        'c += x;',
      );
      if (branchesToStart(insn)) lines.push(`if (!hw.active && !(${stopBefore(0)})) { ${restart(i)} }`);
      lines.push(`return b.finishTaken(h, ${i}, ${retiredAt(i)}, c, k, ${maskLiteral(previous(i))}, ${twoBack(i)});`, '}');
    }
    if (i < last) lines.push(`if (${exitAfter(i)}) return ${finish(i)};`);
  });
  if (block.transfers) {
    // A jump leaves through the interpreter's timing calls (its cost depends on the instructions
    // before it); a last branch, not taken, through finish.
    if (endsWithJump) lines.push(...transferLines(lastInsn, last, last === 0 ? [] : [`${finish(last - 1)};`]), 'return;');
    else lines.push(`return ${finish(last)};`);
  } else {
    lines.push(`if (${exitAfter(last)} || !(hw.active && b.loopsBack(hw))) return ${finish(last)};`, restart(last));
  }
  if (!block.transfers || insns.some(branchesToStart)) {
    lines.unshift('for (;;) {');
    lines.push('}');
  }
  return block.templates.link('block', `${insns.length === 1 ? 'an instruction' : `${insns.length} instructions`} as one block`, insns, 'h', [...PROLOGUE, ...lines], block);
}

/** The first instruction alone, with nothing of the block's loop and exit machinery. */
function stepLines(insn: DecodedInstruction): string[] {
  if (isBlockTransfer(insn)) return [...PROLOGUE, ...transferLines(insn, 0, [])];
  return [
    ...PROLOGUE,
    ...instructionLines(insn, 0, 'p', twoBackOf([insn], 0), 0),
    's.cycles = c;',
    's.instret++;',
    'tm.retire(d0, k);',
    `const n = ${sequentialPc(insn, 0)};`,
    'h.pc = hw.active && (hw.end[0] === n || hw.end[1] === n) ? hw.next(n) >>> 0 : n;',
  ];
}

function compileStep(insn: DecodedInstruction, templates: Templates): BlockFunction {
  return templates.link<BlockFunction>('step', 'an instruction alone', [insn], 'h', stepLines(insn)).value;
}

/**
 * The first instruction for each of several cores in one call, in the order given (the cluster's
 * round-robin order for the cycle they all issue in). Returns whether the cores are still in
 * lock-step: the instruction took each the same number of cycles, led each to the same pc, and
 * no core was paused (a peripheral access).
 */
function compileGroupStep(insn: DecodedInstruction, templates: Templates): GroupStep {
  return templates.link<GroupStep>('group', 'an instruction for each core h of H, in lock-step', [insn], 'H', [
    'let cycles = 0, pc = 0, together = true;',
    'for (let j = 0; j < H.length; j++) {',
    'const h = H[j];',
    ...stepLines(insn),
    'if (j === 0) { cycles = k; pc = h.pc; } else if (k !== cycles || h.pc !== pc) together = false;',
    'if (h.stopAt === 0) together = false;',
    '}',
    'return together;',
  ]).value;
}
