/**
 * One CV32E40P hart at run time: the run loops (a whole program's run, the cluster's step and
 * run-ahead, pausing), the interpreter's step for one instruction (semantics between the timing
 * model's issue and complete, then the hardware-loop end rule and the counters), the choice
 * between that step and a compiled block, and what a fault does: a trap to the program's handler
 * when the hart takes traps, else an error naming where it happened. What the instructions see
 * of the hart is its base class, ArchitecturalState; which instruction or block is at pc is the
 * CodeCache's business. With an interrupt source attached and a line enabled in mie, the hart
 * interprets every instruction and first asks whether an interrupt takes its place
 * (sim/core/interrupts.ts); wfi sleeps until a line of mie rises (docs/iss.md#interrupts).
 */
import type { DecodedInstruction } from '../../isa/definition.js';
import { Fault, TRAP_CAUSE, type TrapCause } from '../../isa/fault.js';
import { writesCsr } from '../../isa/tables/zicsr.js';
import { CV32E40P_TABLE, type InstructionTable } from '../../isa/table.js';
import { hex } from '../../isa/bits.js';
import type { Addr, Cycles } from '../../isa/types.js';
import { ArchitecturalState, type ArchitecturalOptions } from './architectural-state.js';
import type { AccessArbiter, Block, BlockHost, DirectMemory } from './block.js';
import type { Bus } from './bus.js';
import { CodeCache, type ImplementedRows } from './code-cache.js';
import type { HaltReason } from './environment.js';
import { locateFault, type FaultSite } from './errors.js';
import { CV32E40P_TIMING, rejectedAtOnce, TimingModel, type TimingConfig } from './timing.js';
import { interruptInDecode, registeredLines, type InterruptSource, type TakenInterrupt } from './interrupts.js';
import { IRQ_MASK, MCAUSE_INTERRUPT } from '../../isa/csr-values.js';

/**
 * From the cycle wfi leaves decode to the first cycle the core sleeps in (the CV32E40P's controller
 * passes FLUSH_EX, FLUSH_WB and WAIT_SLEEP), and from the cycle a line wakes it to the cycle the
 * instruction after wfi can leave decode (FIRST_FETCH, then DECODE), in which an interrupt taken
 * at once replaces it. Measured on the RTL (test/cv32e40p/interrupt-differential.test.ts).
 */
const WFI_TO_SLEEP: Cycles = 4;
const WAKE_TO_DECODE: Cycles = 2;
/** From the cycle the controller takes an interrupt to the cycle the handler's first instruction is in decode (a jump's redirect). */
const INTERRUPT_TO_HANDLER: Cycles = 2;

export interface HartOptions extends ArchitecturalOptions {
  readonly table?: InstructionTable;
  readonly timing?: TimingConfig;
  /**
   * Compile hot straight-line code into JavaScript functions (the default), or interpret every
   * instruction. Both give identical results; with a retire hook installed the hart interprets.
   */
  readonly blocks?: boolean;
  /** Only these rows of the table are instructions (see ImplementedRows); all of them unless given. */
  readonly implemented?: ImplementedRows;
  /** Harts sharing this one's code pages, and so its visit counts (a cluster's cores); 1 unless given. */
  readonly sharingCode?: number;
}

export type RunStop = HaltReason | { readonly kind: 'cycle-limit' };

export interface RunResult {
  readonly stop: RunStop;
  readonly cycles: Cycles;
  readonly instret: number;
}

export class Hart extends ArchitecturalState implements BlockHost {
  readonly table: InstructionTable;
  readonly timing: TimingModel;
  /** BlockHost.directMemory and arbiter: what the hart's memory gives (Bus.direct). */
  readonly directMemory: DirectMemory | undefined;
  readonly arbiter: AccessArbiter | undefined;
  /** The run stops after the instruction that brings mcycle to this value; see pause(). */
  stopAt: Cycles = Number.POSITIVE_INFINITY;
  /** In runAhead: instructions other than local ones issue only before this cycle. */
  sharedLimit: Cycles = Number.POSITIVE_INFINITY;

  private readonly code: CodeCache;
  private readonly blocksEnabled: boolean;
  /**
   * The pc after a pipeline flush inside an active loop (mret, an access to a status CSR), until its
   * instruction has run: the core decodes it in plain DECODE; then the next pc while that lasts
   * (in a final iteration, HardwareLoops.staysPlainAfter).
   */
  private resumedAt = -1;
  /**
   * After such a flush onto the last two instructions of a loop body: that body's last instruction,
   * whose back edge the core then takes as a jump (HardwareLoops.backEdgeFromDecodeAfter); else -1.
   */
  private resumedBackEdge = -1;
  /** The platform's interrupt lines (attachInterrupts); without them no interrupt is ever taken. */
  private interruptSource: InterruptSource | undefined;
  /** The cycle the next instruction reaches decode, from which an interrupt can take its place. */
  private arrival: Cycles = 1;
  /** Set by wfi when a line of mie can wake the core: the instruction then sleeps (sleep()). */
  private sleepRequested = false;
  /** The instruction was a wfi that slept: sleep() has set the next one's arrival. */
  private sleptUntilWake = false;
  /**
   * In a cluster another core's store to the CLINT may wake a hart whose wfi no line can end yet:
   * the hart is then parked (parkedInWfi) until the cluster wakes it (wakeFromWfi).
   */
  wakeableByOthers = false;
  /** The first cycle of a parked sleep; undefined while not parked. */
  private parkedSince: Cycles | undefined;

  constructor(memory: Bus, options: HartOptions) {
    const table = options.table ?? CV32E40P_TABLE;
    super(memory, options);
    this.table = table;
    this.timing = new TimingModel(options.timing ?? CV32E40P_TIMING, this.stats, this.events);
    this.code = new CodeCache(memory, this.table, this.hwloop, options.implemented, options.sharingCode);
    this.blocksEnabled = options.blocks ?? true;
    this.directMemory = memory.direct?.memory;
    this.arbiter = memory.direct?.arbiter;
  }

  /** Connect the interrupt lines (the platform's CLINT): mip reads them, and interrupts are taken. */
  attachInterrupts(source: InterruptSource): void {
    this.interruptSource = source;
    // A CSR instruction reads mip in EX, the cycle after it leaves decode.
    this.csrs.registeredLines = () => registeredLines(source, this.hartId, this.stats.cycles + this.events.decodeStall + 2);
  }

  /**
   * The cycle the current instruction's data access is granted in: its EX cycle, after its wait in
   * decode and the grant delays so far (the CLINT's registers are read and written then).
   */
  get dataAccessCycle(): Cycles {
    return this.stats.cycles + this.timing.decodeWait(this.code.at(this.pc)) + 2 + this.dataWait;
  }

  /** An interrupt may be taken: a source is attached and mie enables a line (mstatus.MIE aside, which wfi ignores). */
  private get watchesInterrupts(): boolean {
    return this.interruptSource !== undefined && this.csrs.enabledLines !== 0;
  }

  // --- running ----------------------------------------------------------------------------

  /** Execute one instruction (the cluster's lock-step rounds, tests). */
  step(): void {
    try {
      this.stepOne();
    } catch (error) {
      this.fault(error);
    }
  }

  /** Run until the program halts or mcycle reaches `maxCycles`. */
  run(maxCycles: Cycles = Number.POSITIVE_INFINITY): RunResult {
    const stats = this.stats;
    this.stopAt = maxCycles;
    this.sharedLimit = Number.POSITIVE_INFINITY;
    // The inner loop is the hot one; a trap leaves it, and the run goes on in the handler.
    while (this.halted === undefined && stats.cycles < this.stopAt) {
      try {
        while (this.halted === undefined && stats.cycles < this.stopAt) this.dispatch();
      } catch (error) {
        this.fault(error);
      }
    }
    return { stop: this.halted ?? { kind: 'cycle-limit' }, cycles: stats.cycles, instret: stats.instret };
  }

  /**
   * The cluster's step: run the instruction at pc (the core's turn has come), then go on while
   * mcycle is below `stopAt` and nothing paused the hart, with any instruction while mcycle is
   * below `sharedLimit` (no other core can act before) and after that with local instructions,
   * branches and jumps only (runsAhead: what other cores do cannot change their outcome, nor they theirs).
   */
  runAhead(sharedLimit: Cycles, stopAt: Cycles): void {
    const stats = this.stats;
    this.stopAt = stopAt;
    this.sharedLimit = sharedLimit;
    try {
      this.dispatch(true);
      while (this.halted === undefined && stats.cycles < this.stopAt) {
        if (stats.cycles < this.sharedLimit) this.dispatch();
        // Not while an interrupt may come: another core's store could raise a line meanwhile.
        else if (this.code.runsAheadAt(this.pc) && !this.watchesInterrupts) this.dispatch(true);
        else break;
      }
    } catch (error) {
      // A trap taken ends the slice early: the cluster calls again for the handler.
      this.fault(error);
    }
  }

  /** Stop the current run after the instruction in progress (a peripheral needs the host to act). */
  pause(): void {
    this.stopAt = 0;
    this.sharedLimit = 0;
  }

  /** One instruction, through its compiled form once the code is hot. */
  private stepOne(): void {
    const block = this.hotBlock();
    if (block) block.step(this);
    else this.execute();
  }

  /**
   * Run the compiled block starting at pc and those after it (runBlocks), or with `turnOnly` (a
   * cluster core at its turn, past its shared limit) the block's turn (Block.turn: the instruction
   * and the local ones after it, which a core that keeps stopping for the others runs mostly);
   * the first instruction alone when that code does not fit the loop state, and the interpreter
   * while the code is not hot.
   */
  private dispatch(turnOnly = false): void {
    const block = this.hotBlock();
    if (!block) return this.execute();
    const code = turnOnly ? block.turn : block;
    if (this.hwloop.active && !code.fitsLoops(this.hwloop)) block.step(this);
    else if (turnOnly) code.run(this);
    else this.runBlocks(block);
  }

  /**
   * Run `block`, then the compiled blocks after it, without returning to the run loop: while
   * mcycle is below `stopAt` and `sharedLimit`, the hart has not halted, and the next pc starts a
   * block that fits the loop state. Nothing a block runs can change what made the first one hot
   * (Hart.hotBlock: no CSR access, trap or flush is compiled).
   */
  private runBlocks(first: Block): void {
    const stats = this.stats;
    let block: Block | undefined = first;
    do {
      block.run(this);
      if (this.halted !== undefined || stats.cycles >= this.stopAt || stats.cycles >= this.sharedLimit) break;
      block = this.code.blockAt(this.pc);
    } while (block !== undefined && !(this.hwloop.active && !block.fitsLoops(this.hwloop)));
  }

  /**
   * Whether the hart runs compiled code at all: not when disabled, nor with a retire hook (the
   * blocks report nothing), nor while it counts performance events per instruction (the blocks
   * count none).
   */
  get compiles(): boolean {
    return this.blocksEnabled && this.onRetire === undefined && this.events.perInstruction === 0;
  }

  /** The compiled block starting at pc, when the hart compiles (see CodeCache.blockAt). */
  hotBlock(): Block | undefined {
    return this.runsCompiled ? this.code.blockAt(this.pc) : undefined;
  }

  /**
   * Whether the next instruction may run in compiled code: the hart compiles, and neither the
   * interpreter tracks the core's decode state (right after mret: resume) nor may an interrupt
   * come (every instruction is asked about first then).
   */
  get runsCompiled(): boolean {
    return this.compiles && this.resumedAt < 0 && this.resumedBackEdge < 0 && !this.watchesInterrupts;
  }

  /**
   * The compiled block that is the whole body of the innermost active hardware loop around pc (a
   * block ends at an active loop's end: CodeCache.blockAt), when the hart runs compiled code and
   * one is; else undefined.
   */
  loopBody(): Block | undefined {
    const { count, start, end } = this.hwloop;
    let inner = -1;
    for (let l = 0; l < 2; l++) {
      if (count[l] !== 0 && this.pc >= start[l]! && this.pc < end[l]! && (inner < 0 || end[l]! - start[l]! < end[inner]! - start[inner]!)) inner = l;
    }
    if (inner < 0 || !this.runsCompiled) return undefined;
    const body = this.code.blockAt(start[inner]!);
    return body !== undefined && body.end === end[inner] && body.fitsLoops(this.hwloop) ? body : undefined;
  }

  /** Interpret the instruction at pc, or take the interrupt that replaces it. */
  private execute(): void {
    if (this.watchesInterrupts) this.executeWatched();
    else this.interpret();
  }

  /**
   * While an interrupt may come: take it if it replaces the instruction at pc, else interpret the
   * instruction and note when the next one reaches decode, right after this one left it when this
   * one's further cycles were its own in EX, after the bubbles of a jump, branch or flush otherwise.
   */
  private executeWatched(): void {
    if (this.interruptTaken()) return;
    const issued = this.stats.cycles;
    const decodeWait = this.timing.decodeWait(this.code.at(this.pc));
    this.interpret();
    if (this.sleptUntilWake) this.sleptUntilWake = false;
    else this.arrival = this.timing.lastHeldEx ? issued + decodeWait + 2 : this.stats.cycles + 1;
  }

  /** Interpret the instruction at pc. */
  private interpret(): void {
    const pc = this.pc;
    const insn = this.code.at(pc);
    const sequential = pc + insn.length;
    this.npc = sequential;
    this.redirected = false;
    const timing = this.timing;
    timing.issue(insn, this.regs);
    insn.execute(this, insn);
    this.regs[0] = 0;
    // After the semantics: a write to mhpmevent3 counts itself under the selection it makes.
    const counting = this.events.perInstruction !== 0;
    const loadStall = counting && timing.loadStallEvent(insn);
    // A back edge taken from decode after a flush hides behind a wait in decode.
    const edgeFromDecode = pc === this.resumedBackEdge;
    const waited = edgeFromDecode && timing.waitsInDecode(insn);
    let cycles = timing.complete(insn, this);
    // wfi reads no register: it leaves decode in its first cycle.
    if (this.sleepRequested) cycles = this.sleep(this.stats.cycles + 1) - this.stats.cycles;
    let next = this.npc;
    let flushed = false;
    if (this.hwloop.active) {
      // Only inside an active loop does the kind of instruction matter here (kept off the common path).
      const mret = insn.def.effects.system === 'mret';
      if (!this.redirected) next = this.hwloop.next(sequential);
      // mret may go back into a body: a trap interrupted the loop there, and the core resumes it.
      else if (insn.timing !== 'system' && !mret) this.hwloop.checkEntry(next);
      flushed = mret || (insn.timing === 'csr' && timing.config.statusCsrs.has(insn.imm));
    }
    if (flushed || this.resumedAt >= 0 || this.resumedBackEdge >= 0) cycles += this.resume(pc, next, sequential, flushed, waited);
    const stats = this.stats;
    stats.cycles += cycles;
    stats.instret++;
    if (counting) {
      // A load taking its back edge from decode that waited for itself there (TimingModel.staleLoadStall).
      const selfStall = edgeFromDecode && !waited && !this.redirected && next !== sequential && timing.staleLoadStall(insn) !== 0;
      this.countEvents(insn, loadStall, selfStall);
    }
    if (this.onRetire) this.retire(insn, cycles);
    this.pc = next >>> 0;
  }

  /**
   * wfi, which left decode in cycle `leaves`, sleeps until a line of mie is high (whatever
   * mstatus.MIE says; docs/cv32e40p.md#interrupts). Returns the cycle after which the next
   * instruction may leave decode. The clock is gated from the first sleeping cycle until the one
   * that wakes the core: the counters do not see those cycles.
   */
  private sleep(leaves: Cycles): Cycles {
    this.sleepRequested = false;
    this.sleptUntilWake = true;
    const asleep = leaves + WFI_TO_SLEEP;
    const wakes = this.interruptSource!.firstLineFrom(this.hartId, asleep, this.csrs.enabledLines & IRQ_MASK);
    if (wakes !== undefined) return this.wake(asleep, wakes);
    this.parkedSince = asleep;
    this.pause();
    return asleep;
  }

  /** The sleep begun in cycle `asleep` ends in cycle `wakes`: the cycle after which the next instruction may leave decode. */
  private wake(asleep: Cycles, wakes: Cycles): Cycles {
    this.csrs.gatedCycles += wakes - asleep;
    this.arrival = wakes + 1;
    return wakes + WAKE_TO_DECODE - 1;
  }

  /** Parked in wfi, waiting for another core to raise a line (wakeableByOthers). */
  get parkedInWfi(): boolean {
    return this.parkedSince !== undefined;
  }

  /** After another core's store to the CLINT: wake a parked hart whose line is now due. Whether it woke. */
  wakeFromWfi(): boolean {
    if (this.parkedSince === undefined) return false;
    const wakes = this.interruptSource!.firstLineFrom(this.hartId, this.parkedSince, this.csrs.enabledLines & IRQ_MASK);
    if (wakes === undefined) return false;
    this.stats.cycles = this.wake(this.parkedSince, wakes);
    this.parkedSince = undefined;
    return true;
  }

  /** wfi: sleep when a line mie enables can wake the core; with none, the environment's (the run stops). */
  override wfi(): void {
    const source = this.interruptSource;
    const mask = this.csrs.enabledLines & IRQ_MASK;
    const canWake = source !== undefined && (source.firstLineFrom(this.hartId, this.stats.cycles, mask) !== undefined || (this.wakeableByOthers && mask !== 0));
    if (!canWake) super.wfi();
    else this.sleepRequested = true;
  }

  /**
   * Before the instruction at pc: whether an interrupt takes its place, in a cycle it is in decode
   * (from its arrival to the cycle it would leave). If so the interrupt is taken.
   */
  private interruptTaken(): boolean {
    // A word the decoder rejects (or a fetch that faults) is in decode too, waiting for nothing;
    // in the loop state the controller flushes for it in its first cycle there, which ends the window.
    const insn = this.code.peek(this.pc);
    const leaves = this.flushedForAtOnce(insn) ? this.arrival : this.stats.cycles + (insn ? this.timing.decodeWait(insn) : 0) + 1;
    const window = { arrives: this.arrival, leaves };
    const taken = interruptInDecode(this.interruptSource!, this.hartId, window, this.csrs.enabledLines, this.csrs.interruptsEnabled);
    if (taken === undefined) return false;
    // Its stall events count when it waited in decode for a cycle before the interrupt came (the
    // core counts a stall in the first cycle the instruction is in decode, unless it is dropped then).
    if (this.events.perInstruction !== 0) this.events.trapped(taken.cycle > window.arrives ? insn : undefined, insn !== undefined && this.timing.loadStallEvent(insn));
    this.enterInterrupt(taken, this.stats.cycles + 1 + (insn ? this.timing.heldByDroppedWord(insn) : 0));
    return true;
  }

  /**
   * Whether the instruction at pc, `insn` as peeked (undefined when its word does not decode),
   * traps at once (rejectedAtOnce): the decoder or the CSR file rejects it in the hardware-loop
   * state, where the CV32E40P's controller leaves decode for FLUSH_EX in the instruction's first
   * cycle there whatever holds EX, and no interrupt is taken in FLUSH_EX.
   */
  private flushedForAtOnce(insn: DecodedInstruction | undefined): boolean {
    const rejected = insn === undefined ? this.decodeFaultCause(this.pc) === TRAP_CAUSE.illegalInstruction : insn.timing === 'csr' && this.csrs.rejects(insn.imm, writesCsr(insn.expanded));
    return rejected && rejectedAtOnce(TRAP_CAUSE.illegalInstruction, this.decodesInLoopState(this.pc));
  }

  /** The trap cause of the fault fetching and decoding the instruction at `addr` raises, if any. */
  private decodeFaultCause(addr: Addr): TrapCause | undefined {
    try {
      this.code.fetch(addr);
      return undefined;
    } catch (error) {
      if (error instanceof Fault) return error.trapCause;
      throw error;
    }
  }

  /**
   * Take `taken` in place of the instruction at pc: mepc names it, mcause the line with the
   * interrupt bit, mstatus saves MIE (CsrFile.enterTrap); fetch goes to the line's vector. The
   * handler's first instruction reaches decode INTERRUPT_TO_HANDLER cycles later, but enters it
   * only once decode is ready: no older instruction holds EX (a divide, a delayed access) and the
   * dropped word's own waits are over (TimingModel.heldByDroppedWord); `ready` is the cycle that
   * happens in, after which the handler's instruction leaves (measured on the RTL:
   * test/cv32e40p/interrupt-differential.test.ts, divides and delayed loads; random programs).
   */
  private enterInterrupt(taken: TakenInterrupt, ready: Cycles): void {
    const pc = this.pc;
    const cause = (MCAUSE_INTERRUPT | taken.line) >>> 0;
    this.csrs.enterTrap(cause, pc);
    const vector = this.csrs.interruptVector(taken.line);
    const arrives = taken.cycle + INTERRUPT_TO_HANDLER + (this.isUnalignedWideTarget(vector) ? this.timing.config.unalignedTargetPenalty : 0);
    const before = this.stats.cycles;
    const after = Math.max(arrives - 1, ready);
    this.timing.flushed(after - before);
    this.stats.cycles = after;
    this.arrival = arrives;
    this.resumedAt = -1;
    this.resumedBackEdge = -1;
    this.pc = vector;
    this.onTrap?.({ core: this.hartId, pc, ...this.code.describe(pc), cause, cycle: after, cycles: after - before, handler: vector });
  }

  /** The events of `insn`, which retired, for mhpmcounter3 (PerformanceEvents). */
  private countEvents(insn: DecodedInstruction, loadStall: boolean, selfStall: boolean): void {
    const flushes = insn.timing === 'fence' || insn.timing === 'system' || (insn.timing === 'csr' && this.timing.config.statusCsrs.has(insn.imm));
    const linkStall = insn.timing === 'jumpRegister' && this.timing.linkStalled;
    // While a taken branch is in EX, the core has already fetched the instruction after it.
    const fallThrough = insn.timing === 'branch' && this.redirected ? this.code.peek(insn.pc + insn.length) : undefined;
    this.events.retired(insn, { loadStall, selfStall, redirected: this.redirected, linkStall, sequential: !this.redirected && !flushes, fallThrough });
  }

  /**
   * Follow the core's decode state after a pipeline flush (mret, a status CSR) in an active loop:
   * the instruction after it is decoded in plain DECODE, and so are the rest of a final iteration
   * (HardwareLoops.staysPlainAfter) and the body's last two when it is one of them, the last then
   * taking the back edge as a jump. The extra cycles of the instruction
   * at `pc`, which goes on at `next`; `flushed` when it flushed the pipeline; `waited` when it waited
   * in decode (TimingModel.waitsInDecode).
   */
  private resume(pc: Addr, next: Addr, sequential: Addr, flushed: boolean, waited: boolean): Cycles {
    let extra = 0;
    if (pc === this.resumedBackEdge) {
      if (next !== sequential && !this.redirected) extra = this.timing.loopBackEdgeFromDecode(this.code.at(pc), waited);
      this.resumedBackEdge = -1;
    } else if (pc !== this.resumedBackEdge - 4) this.resumedBackEdge = -1;
    // In a final iteration plain DECODE lasts: only a body with iterations left switches it over.
    const tookBackEdge = !this.redirected && next !== sequential;
    const plain = flushed || (pc === this.resumedAt && !tookBackEdge && this.hwloop.staysPlainAfter(pc));
    this.resumedAt = plain ? next : -1;
    if (flushed) this.resumedBackEdge = this.hwloop.backEdgeFromDecodeAfter(next) ?? -1;
    return extra;
  }

  /** Whether the core decodes the instruction at pc in its hardware-loop state (HardwareLoops.decodesInLoopState). */
  private decodesInLoopState(pc: Addr): boolean {
    const plain = pc === this.resumedAt || (pc >= this.resumedBackEdge - 4 && pc <= this.resumedBackEdge);
    return !plain && this.hwloop.active && this.hwloop.decodesInLoopState(pc);
  }

  protected override fetch(addr: Addr): DecodedInstruction {
    return this.code.fetch(addr);
  }

  /**
   * After an error stopped the instruction at pc: take its trap when it is one and the hart takes
   * traps (docs/iss.md#traps), else throw it, located.
   */
  private fault(error: unknown): void {
    if (!(error instanceof Fault) || error.trapCause === undefined || !this.takesTraps) throw this.locate(error);
    const vector = this.csrs.trapVector >>> 0;
    if (this.memory.find(vector, 2) === undefined) {
      // No handler can run: report the fault itself rather than trap after trap at mtvec.
      throw this.locate(new Fault(error.kind, `${error.detail}; no trap handler: mtvec's base ${hex(vector)} is outside memory`));
    }
    this.trap(error.trapCause, vector);
  }

  /**
   * Trap to `vector`, the base of mtvec, as the CV32E40P does: mepc = the pc of the instruction (which does not retire),
   * mcause, mstatus (CsrFile.enterTrap), the trap entry's cycles, and the pipeline flushed.
   */
  private trap(cause: TrapCause, vector: Addr): void {
    const pc = this.pc;
    this.csrs.enterTrap(cause, pc);
    const insn = this.code.decodedAt(pc);
    const inLoopState = this.decodesInLoopState(pc);
    // Flushed for at once, it never waited in decode for the load: no load-use event.
    const waitedForLoad = insn !== undefined && !rejectedAtOnce(cause, inLoopState) && this.timing.loadStallEvent(insn);
    if (this.events.perInstruction !== 0) this.events.trapped(insn, waitedForLoad);
    const cycles = this.timing.trap(cause, insn, inLoopState, this);
    this.stats.cycles += cycles;
    this.resumedAt = -1;
    this.resumedBackEdge = -1;
    this.arrival = this.stats.cycles + 1;
    this.pc = vector;
    this.onTrap?.({ core: this.hartId, pc, ...this.code.describe(pc), cause, cycle: this.stats.cycles, cycles, handler: vector });
  }

  /**
   * After an error stopped a run, wrap a Fault with the pc, instruction, cycle and core it
   * happened at (a compiled block commits its counters before every instruction that can fault).
   */
  locate(error: unknown): unknown {
    // pc still names the faulting instruction.
    return error instanceof Fault ? locateFault(error, this.site()) : error;
  }

  /** The core, pc, instruction there and cycle: where a fault happened, or where a stopped run goes on. */
  site(): FaultSite {
    return { core: this.hartId, pc: this.pc, ...this.code.describe(this.pc), cycle: this.stats.cycles };
  }
}
