/**
 * One CV32E40P hart at run time: the run loops (a whole program's run, the cluster's step and
 * run-ahead, pausing), the interpreter's step for one instruction (semantics between the timing
 * model's issue and complete, then the hardware-loop end rule and the counters), the choice
 * between that step and a compiled block, and where a fault happened. What the instructions see
 * of the hart is its base class, ArchitecturalState; which instruction or block is at pc is the
 * CodeCache's business.
 */
import type { DecodedInstruction } from '../../isa/definition.js';
import { Fault } from '../../isa/fault.js';
import { CV32E40P_TABLE, type InstructionTable } from '../../isa/table.js';
import type { Addr, Cycles } from '../../isa/types.js';
import { ArchitecturalState, type ArchitecturalOptions } from './architectural-state.js';
import type { Block, BlockHost } from './block.js';
import type { Bus } from './bus.js';
import { CodeCache, type ImplementedRows } from './code-cache.js';
import type { HaltReason } from './environment.js';
import { locateFault, type FaultSite } from './errors.js';
import { CV32E40P_TIMING, TimingModel, type TimingConfig } from './timing.js';

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
  /** The run stops after the instruction that brings mcycle to this value; see pause(). */
  stopAt: Cycles = Number.POSITIVE_INFINITY;
  /** In runAhead: instructions other than local ones issue only before this cycle. */
  sharedLimit: Cycles = Number.POSITIVE_INFINITY;

  private readonly code: CodeCache;
  private readonly blocksEnabled: boolean;
  /** The block being run, so that a fault inside it can settle its counters. */
  private runningBlock: Block | undefined;

  constructor(memory: Bus, options: HartOptions) {
    const table = options.table ?? CV32E40P_TABLE;
    super(memory, { ...options, accumulatorCsrs: table.hasAccumulators });
    this.table = table;
    this.timing = new TimingModel(options.timing ?? CV32E40P_TIMING, this.stats);
    this.code = new CodeCache(memory, this.table, this.hwloop, options.implemented);
    this.blocksEnabled = options.blocks ?? true;
  }

  // --- running ----------------------------------------------------------------------------

  /** Execute one instruction (the cluster's lock-step rounds, tests). */
  step(): void {
    try {
      this.stepOne();
    } catch (error) {
      throw this.locate(error);
    }
  }

  /** Run until the program halts or mcycle reaches `maxCycles`. */
  run(maxCycles: Cycles = Number.POSITIVE_INFINITY): RunResult {
    const stats = this.stats;
    this.stopAt = maxCycles;
    this.sharedLimit = Number.POSITIVE_INFINITY;
    try {
      while (this.halted === undefined && stats.cycles < this.stopAt) this.dispatch();
    } catch (error) {
      throw this.locate(error);
    }
    return { stop: this.halted ?? { kind: 'cycle-limit' }, cycles: stats.cycles, instret: stats.instret };
  }

  /**
   * The cluster's step: run the instruction at pc (the core's turn has come), then go on while
   * mcycle is below `stopAt` and nothing paused the hart, with any instruction while mcycle is
   * below `sharedLimit` (no other core can act before) and after that with local instructions only
   * (isLocal: what other cores do cannot change their outcome, nor they theirs).
   */
  runAhead(sharedLimit: Cycles, stopAt: Cycles): void {
    const stats = this.stats;
    this.stopAt = stopAt;
    this.sharedLimit = sharedLimit;
    try {
      // Compiled single-instruction form: cores in lock-step mostly get just this one.
      this.stepOne();
      while (this.halted === undefined && stats.cycles < this.stopAt) {
        if (stats.cycles < this.sharedLimit) this.dispatch();
        else if (this.code.isLocalAt(this.pc)) this.dispatch(true);
        else break;
      }
    } catch (error) {
      throw this.locate(error);
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
   * Run the compiled block starting at pc if there is one that fits the loop state, else one
   * instruction. With `localOnly` (a cluster core past its shared limit), a block whose local
   * instructions end after the first would stop there anyway: its first instruction alone is quicker.
   */
  private dispatch(localOnly = false): void {
    const block = this.hotBlock();
    if (!block) this.execute();
    else if ((localOnly && block.localRun < 2) || (this.hwloop.active && !block.fitsLoops(this.hwloop))) block.step(this);
    else {
      this.runningBlock = block;
      block.run(this);
      this.runningBlock = undefined;
    }
  }

  /** Whether the hart runs compiled code at all: not when disabled, nor with a retire hook (the blocks report nothing). */
  get compiles(): boolean {
    return this.blocksEnabled && this.onRetire === undefined;
  }

  /** The compiled block starting at pc, when the hart compiles (see CodeCache.blockAt). */
  hotBlock(): Block | undefined {
    return this.compiles ? this.code.blockAt(this.pc) : undefined;
  }

  /** Interpret the instruction at pc. */
  private execute(): void {
    const pc = this.pc;
    const insn = this.code.at(pc);
    const sequential = pc + insn.length;
    this.npc = sequential;
    this.redirected = false;
    const timing = this.timing;
    timing.issue(insn, this.regs);
    insn.execute(this, insn);
    this.regs[0] = 0;
    const cycles = timing.complete(insn, this);
    let next = this.npc;
    if (this.hwloop.active) {
      if (!this.redirected) next = this.hwloop.next(sequential);
      else if (insn.timing !== 'system') this.hwloop.checkEntry(next);
    }
    const stats = this.stats;
    stats.cycles += cycles;
    stats.instret++;
    if (this.onRetire) this.retire(insn, cycles);
    this.pc = next >>> 0;
  }

  protected override fetch(addr: Addr): DecodedInstruction {
    return this.code.fetch(addr);
  }

  /**
   * After an error stopped a run: settle the counters of the block that was running, and wrap a
   * Fault with the pc, instruction, cycle and core it happened at.
   */
  locate(error: unknown): unknown {
    this.runningBlock?.abandon(this);
    this.runningBlock = undefined;
    // pc still names the faulting instruction.
    return error instanceof Fault ? locateFault(error, this.site()) : error;
  }

  /** The core, pc, instruction there and cycle: where a fault happened, or where a stopped run goes on. */
  site(): FaultSite {
    return { core: this.hartId, pc: this.pc, ...this.code.describe(this.pc), cycle: this.stats.cycles };
  }
}
