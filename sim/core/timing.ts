/**
 * The CV32E40P cycle model (docs/cv32e40p.md#timing), kept apart from the functional semantics: the hart runs an
 * instruction's semantics, then asks this model what it cost. The model sees only the decoded
 * instruction, the register state before execution (for operand-dependent latencies), the outcome
 * (next pc, data access) and what the previous instruction wrote (for hazards).
 */
import { CV32E40P_STATUS_CSRS } from '../../isa/csr-names.js';
import { SUMS_LOADED, type DecodedInstruction } from '../../isa/definition.js';
import { TRAP_CAUSE } from '../../isa/fault.js';
import type { CsrAddr, Cycles } from '../../isa/types.js';
import { PerformanceEvents } from './performance-events.js';

const isAccessFault = (cause: number): boolean =>
  cause === TRAP_CAUSE.instructionAccessFault || cause === TRAP_CAUSE.loadAccessFault || cause === TRAP_CAUSE.storeAccessFault;

/** Every timing parameter, with CV32E40P defaults. Cycles are totals unless named as extra. */
export interface TimingConfig {
  /**
   * Extra cycles when an instruction uses the result of the load just before it, or overwrites it
   * from EX (DecodedInstruction.loadStallMask).
   */
  readonly loadUseStall: Cycles;
  /**
   * Extra cycles of an instruction that names one of x28..x31 right after an nm.mac4 or nm.mul4
   * (DecodedInstruction.namesSums): it waits in ID while that instruction is in EX and in WB. One
   * fewer with one single-cycle instruction between them.
   */
  readonly sumUseStall: Cycles;
  /** Extra cycles of an instruction on the multiplier right after an nm.mac4 or nm.mul4 (its byte lanes are busy in WB). */
  readonly macMultiplierStall: Cycles;
  readonly takenBranch: Cycles;
  readonly jump: Cycles;
  /** mret: the controller flushes EX and WB (FLUSH_EX, FLUSH_WB), then jumps to mepc (XRET_JUMP). */
  readonly trapReturn: Cycles;
  /** Extra cycles when a jump or taken branch lands on a 32-bit instruction at an address = 2 mod 4. */
  readonly unalignedTargetPenalty: Cycles;
  /**
   * Extra cycles when jalr's rs1 was written by the instruction just before it, or loaded by the
   * one before that (still in writeback when jalr is decoded).
   */
  readonly jalrDependencyStall: Cycles;
  /**
   * Extra cycles of a jalr whose link register is its rs1 (x0 aside): the jalr, moved on to EX,
   * still sits in the ID register while the target is fetched, and stalls on its own link write.
   */
  readonly jalrLinkIsBaseStall: Cycles;
  readonly mulh: Cycles;
  /** div/rem take divBase + the divider's shift (divideCycles), or divByZero. */
  readonly divBase: Cycles;
  readonly divByZero: Cycles;
  /** A misaligned word, or a halfword crossing a word boundary (two bus transactions). */
  readonly splitAccess: Cycles;
  /** Access to a status CSR, after which the decoder flushes the pipeline. */
  readonly statusCsrAccess: Cycles;
  readonly statusCsrs: ReadonlySet<CsrAddr>;
  /** fence and fence.i: the pipeline is flushed, then fetch jumps to the next instruction. */
  readonly fence: Cycles;
  /**
   * A decoded instruction taken as a trap (ecall, ebreak, an illegal CSR access): from decode
   * through FLUSH_EX and FLUSH_WB, which jumps to mtvec; the cycles until the handler's first
   * instruction may leave decode.
   */
  readonly exceptionEntry: Cycles;
  /**
   * An instruction word the decoder rejects (an illegal encoding) taken as a trap: one more, except
   * in the controller's hardware-loop decode state (HardwareLoops.decodesInLoopState), where it
   * costs exceptionEntry.
   */
  readonly illegalEncodingEntry: Cycles;
  /**
   * Cycles a trap on an instruction the decoder rejects (an illegal word or CSR access) saves when
   * it is decoded in the controller's hardware-loop state right after an instruction that holds EX
   * for more than a cycle: that state flushes at once, without waiting in decode, so FLUSH_EX
   * overlaps the older instruction's last cycle in EX (rejectedAtOnce).
   */
  readonly loopStateFlushOverlap: Cycles;
  /**
   * Extra cycles of a hardware loop's back edge taken in plain decode, as a jump: after a pipeline
   * flush (mret, an access to a status CSR) onto the last or second-last instruction of a body with
   * iterations left (HardwareLoops.backEdgeFromDecodeAfter).
   */
  readonly resumedLoopBackEdge: Cycles;
  /**
   * An instruction fetch, load or store outside memory taken as a trap. The CV32E40P v2 ties its
   * bus-error inputs low and has no PMP, so it never raises one: the ISS charges what an exception
   * in decode costs.
   */
  readonly accessFaultEntry: Cycles;
  /**
   * A misaligned nm.mac4 / nm.mul4 (Xnmsparse revision 2, cause 4) taken as a trap: our core raises
   * it as the instruction issues in EX, through the path an access fault takes from WB, a cycle
   * earlier (docs/core.md#xnmsparse-in-the-pipeline).
   */
  readonly misalignedMacEntry: Cycles;
}

export const CV32E40P_TIMING: TimingConfig = {
  loadUseStall: 1,
  sumUseStall: 2,
  macMultiplierStall: 1,
  takenBranch: 3,
  jump: 2,
  trapReturn: 5,
  unalignedTargetPenalty: 1,
  jalrDependencyStall: 1,
  jalrLinkIsBaseStall: 1,
  mulh: 5,
  divBase: 3,
  divByZero: 35,
  splitAccess: 2,
  statusCsrAccess: 4,
  statusCsrs: CV32E40P_STATUS_CSRS,
  fence: 4,
  exceptionEntry: 4,
  illegalEncodingEntry: 5,
  loopStateFlushOverlap: 1,
  resumedLoopBackEdge: 1,
  accessFaultEntry: 4,
  misalignedMacEntry: 3,
};

/** Where the cycles went; `cycles` is the total (and mcycle). */
export class CoreStats {
  cycles: Cycles = 0;
  instret = 0;
  /**
   * Stalls after a load: its result used, or overwritten, by the next instruction; and the waits
   * after an nm.mac4 or nm.mul4 for its sums (x28..x31) or for the multiplier.
   */
  loadUseStalls: Cycles = 0;
  /** Extra cycles of taken branches over a not-taken one. */
  branchPenalty: Cycles = 0;
  /** Extra cycles of jumps (jal, jalr, mret) over one cycle. */
  jumpPenalty: Cycles = 0;
  jalrStalls: Cycles = 0;
  /** Extra cycles of mulh* and div/rem over one cycle. */
  multiCycle: Cycles = 0;
  splitAccessStalls: Cycles = 0;
  csrFlushStalls: Cycles = 0;
  fenceStalls: Cycles = 0;
  /** Cycles of instructions that trapped (the trap entry); they do not retire. */
  trapCycles: Cycles = 0;
  /** Data accesses waiting for the memory system (in a cluster: TCDM conflicts, L2, peripherals). */
  memoryWait: Cycles = 0;
}

/** What the model needs to know about the hart around one instruction. */
export interface TimingProbe {
  readonly regs: Int32Array;
  readonly npc: number;
  /** The instruction transferred control (a taken branch even when its target is pc + 4). */
  readonly redirected: boolean;
  /** True when the instruction's data access needed two bus transactions. */
  readonly splitAccess: boolean;
  /** Cycles the memory system delayed the data access (grant delay, L2 latency). */
  readonly dataWait: Cycles;
  /** Of dataWait, those of a split access's second transaction. */
  readonly secondWait: Cycles;
  /** Whether a jump target at `addr` is a 32-bit instruction at a non-word-aligned address. */
  isUnalignedWideTarget(addr: number): boolean;
}

export class TimingModel {
  /**
   * Registers (bit mask) loaded by the previous instruction: the load-use hazard (SUMS_LOADED after
   * an nm.mac4 or nm.mul4).
   */
  loadedByPrevious = 0;
  /**
   * Registers loaded two instructions back, when the instruction in between took one cycle: that
   * load is still in writeback when the next instruction reaches decode, which stalls a jalr once
   * more, and an instruction naming x28..x31 after an nm.mac4 (SUMS_LOADED) once.
   */
  loadedTwoBack = 0;
  /** Registers written by the previous instruction: the jalr dependency. */
  private writtenByPrevious = 0;
  /**
   * The previous instruction held EX for more than one cycle (mulh, div/rem, a split or delayed
   * data access). A jump right after it redirects fetch from ID meanwhile (cv32e40p_controller.sv
   * takes a jump in DECODE whatever id_ready_i says), which hides part of the jump's cost.
   */
  private exBusyByPrevious = false;
  /**
   * The data access just timed (memoryExtra), then the previous instruction's (retire), when it was
   * split and its first transaction waited for its grant: the wait of its second; else -1. A trap
   * flushed for at once ends FLUSH_EX at that first grant, not at the second (rejectedAtOnce).
   */
  private splitSecondWait = -1;
  private splitSecondWaitByPrevious = -1;
  /** The data access just timed (memoryExtra) was split, then: the previous instruction's was (retire). */
  private split = false;
  private splitByPrevious = false;
  /** The current jalr waited in ID for its rs1 (the dependency stall): its jump starts after the wait. */
  private jalrWaited = false;
  /** Latency of the current instruction known before execution (divisor may be overwritten). */
  private pending: Cycles = 0;
  /** The last jump was a jalr that stalled on its own link write (jalrLinkIsBaseStall). */
  linkStalled = false;

  constructor(
    readonly config: TimingConfig,
    readonly stats: CoreStats,
    /** Where the decode stall of an issuing CSR instruction is left for the counters' reads. */
    private readonly events: PerformanceEvents = new PerformanceEvents(),
  ) {}

  /**
   * `insn`, about to issue, waits in decode for the register the load just before it writes, and
   * that wait is a load-use event of mhpmcounter3. Not when `insn` only writes the register a split
   * access loads: the CV32E40P compares the write with the load's destination only while no first
   * half is in EX, so the stall comes in the cycle after, when nothing left decode the cycle before
   * (the event's condition), and its cycle is hidden under the split's second half anyway.
   */
  loadStallEvent(insn: DecodedInstruction): boolean {
    const loaded = this.loadedByPrevious;
    return (insn.loadReadMask & loaded) !== 0 || (!this.splitByPrevious && (insn.loadStallMask & loaded) !== 0);
  }

  /** Before the semantics run: hazards and operand-dependent latencies. */
  issue(insn: DecodedInstruction, regs: Int32Array): void {
    // Small enough to be inlined into the hart's loop: most instructions take this exit.
    if (insn.timing === 'alu' && this.loadedTwoBack !== SUMS_LOADED && !hasLoadStall(insn, this.loadedByPrevious)) {
      this.pending = 1;
      return;
    }
    this.issueSlow(insn, regs);
  }

  private issueSlow(insn: DecodedInstruction, regs: Int32Array): void {
    const stall = this.loadUseStall(insn, this.loadedByPrevious, this.loadedTwoBack);
    this.events.decodeStall = stall;
    this.events.decodeStallForLoad = this.loadStallEvent(insn);
    let cycles = 1 + stall;
    this.jalrWaited = this.jalrWaits(insn);
    if (this.jalrWaited) {
      cycles += this.config.jalrDependencyStall;
      this.stats.jalrStalls += this.config.jalrDependencyStall;
    }
    this.pending = cycles + this.latencyExtra(insn, regs);
  }

  /**
   * Stall cycles of `insn` in ID after an instruction that loaded the registers in `loaded`, the one
   * before that having loaded `loadedTwoBack` (see the field), counted in the stats.
   */
  loadUseStall(insn: DecodedInstruction, loaded: number, loadedTwoBack: number): Cycles {
    const stall = idStall(this.config, insn, loaded, loadedTwoBack);
    this.stats.loadUseStalls += stall;
    return stall;
  }

  /** Cycles of a multi-cycle instruction (mulh*, div/rem) beyond the first, counted in the stats; 0 for others. */
  latencyExtra(insn: DecodedInstruction, regs: Int32Array): Cycles {
    const c = this.config;
    let extra = 0;
    if (insn.timing === 'mulh') extra = c.mulh - 1;
    else if (insn.timing === 'divSigned' || insn.timing === 'divUnsigned') extra = divideCycles(c, regs[insn.rs2]!, insn.timing === 'divSigned') - 1;
    this.stats.multiCycle += extra;
    return extra;
  }

  /** After a load or store: the cycles its data access added (split transaction, memory wait), counted in the stats. */
  memoryExtra(probe: TimingProbe): Cycles {
    if (!probe.splitAccess) return this.singleAccess(probe.dataWait);
    this.splitSecondWait = probe.dataWait > probe.secondWait ? probe.secondWait : -1;
    this.split = true;
    this.stats.memoryWait += probe.dataWait;
    this.stats.splitAccessStalls += this.config.splitAccess - 1;
    return probe.dataWait + this.config.splitAccess - 1;
  }

  /**
   * A data access in one transaction that waited `wait` cycles for its grant (also a compiled
   * block's direct access, DataAccess): the cycles it added, counted in the stats.
   */
  singleAccess(wait: Cycles): Cycles {
    this.splitSecondWait = -1;
    this.split = false;
    if (wait !== 0) this.stats.memoryWait += wait;
    return wait;
  }

  /** After the semantics: outcome-dependent costs. Returns the instruction's total cycles. */
  complete(insn: DecodedInstruction, probe: TimingProbe): Cycles {
    const cycles = insn.timing === 'alu' ? this.pending : this.outcome(insn, probe, this.pending);
    this.retire(insn, cycles);
    return cycles;
  }

  /** Record what a retired instruction leaves for the hazards of the next ones. */
  retire(insn: DecodedInstruction, cycles: Cycles): void {
    // A data access held EX when it took longer than its stall in ID (a split or delayed access).
    this.exBusyByPrevious = insn.multiCycle || (insn.accessesMemory && cycles > 1 + this.idStall(insn));
    this.splitSecondWaitByPrevious = insn.accessesMemory ? this.splitSecondWait : -1;
    this.splitByPrevious = insn.accessesMemory && this.split;
    this.loadedTwoBack = cycles === 1 ? this.loadedByPrevious : 0;
    this.loadedByPrevious = insn.loadedMask;
    this.writtenByPrevious = insn.destinationMask;
  }

  private outcome(insn: DecodedInstruction, probe: TimingProbe, issued: Cycles): Cycles {
    const c = this.config;
    const s = this.stats;
    let cycles = issued;
    switch (insn.timing) {
      case 'load':
      case 'store':
        cycles += this.memoryExtra(probe);
        break;
      case 'branch':
        if (probe.redirected) cycles += this.takenBranchExtra(probe);
        break;
      case 'jump':
      case 'jumpRegister':
        cycles += insn.def.effects.system === 'mret' ? this.trapReturnExtra(probe) : this.jumpExtra(insn, probe);
        break;
      case 'csr':
        if (c.statusCsrs.has(insn.imm)) {
          cycles += c.statusCsrAccess - 1;
          s.csrFlushStalls += c.statusCsrAccess - 1;
        }
        break;
      case 'fence': {
        // The flush ends with a jump to the next instruction, which pays for a misaligned target.
        const extra = c.fence - 1 + this.targetPenalty(probe);
        cycles += extra;
        s.fenceStalls += extra;
        break;
      }
      default:
        break;
    }
    return cycles;
  }

  /** Cycles of a taken branch beyond a branch not taken, counted in the stats. */
  takenBranchExtra(probe: TimingProbe): Cycles {
    return this.takenBranchTo(probe.isUnalignedWideTarget(probe.npc));
  }

  /**
   * takenBranchExtra for a target known to be, or not to be, a 32-bit instruction at an address
   * that is 2 mod 4 (a compiled block's branch: Block.unalignedTargets).
   */
  takenBranchTo(unalignedWideTarget: boolean): Cycles {
    const extra = this.config.takenBranch - 1 + this.unalignedPenalty(unalignedWideTarget);
    this.stats.branchPenalty += extra;
    return extra;
  }

  /** Cycles of jal/jalr beyond the first, counted in the stats. */
  private jumpExtra(insn: DecodedInstruction, probe: TimingProbe): Cycles {
    const c = this.config;
    let redirect = c.jump - 1;
    const unaligned = this.targetPenalty(probe);
    let link = insn.timing === 'jumpRegister' && insn.rd === insn.rs1 && insn.rd !== 0 ? c.jalrLinkIsBaseStall : 0;
    // Taken while the previous instruction held EX, the jump has fetched its target by the time it
    // leaves ID; an aligned target then replaces the jalr's word in ID at once (no link stall).
    // Not when that instruction is a load into the jump's link register (x0 included): measured.
    if (this.exBusyByPrevious && !this.jalrWaited && (this.loadedByPrevious & (1 << insn.rd)) === 0) {
      redirect = 0;
      if (unaligned === 0) link = 0;
    }
    this.stats.jumpPenalty += redirect + unaligned;
    this.stats.jalrStalls += link;
    this.linkStalled = link !== 0;
    return redirect + unaligned + link;
  }

  private trapReturnExtra(probe: TimingProbe): Cycles {
    const extra = this.config.trapReturn - 1 + this.targetPenalty(probe);
    this.stats.jumpPenalty += extra;
    return extra;
  }

  /**
   * An instruction trapped with mcause `cause`: `insn` as decoded, undefined when its fetch faulted
   * or the decoder rejected its word; `inLoopState` when the core decoded it in its hardware-loop
   * state. Returns its cycles: the trap entry, after the load-use stall it waited in decode (counted
   * in the stats when it issued), unless the core flushed for it at once (rejectedAtOnce): then
   * without that stall, and one cycle sooner after an instruction that held EX for more than one.
   * The pipeline is flushed, so nothing before it is left to stall the handler's first instruction.
   * A load or store outside memory (`access`: its data access) first waits for the grants of the
   * transactions the core sends, as the project's core does: a split access sends its second only
   * when the first word is mapped (DelayedGrantBus) and holds EX a cycle more.
   */
  trap(cause: number, insn: DecodedInstruction | undefined, inLoopState: boolean, access?: TimingProbe): Cycles {
    const c = this.config;
    let entry =
      cause === TRAP_CAUSE.loadAddressMisaligned ? c.misalignedMacEntry
      : isAccessFault(cause) ? c.accessFaultEntry
      : insn || inLoopState ? c.exceptionEntry
      : c.illegalEncodingEntry;
    if (access && (cause === TRAP_CAUSE.loadAccessFault || cause === TRAP_CAUSE.storeAccessFault)) entry += this.memoryExtra(access);
    let stall = insn ? this.idStall(insn) : 0;
    if (rejectedAtOnce(cause, inLoopState)) {
      // After a split access whose first grant came after the flush began, the handler's first
      // instruction would reach decode exceptionEntry - 1 cycles after that grant, but the second
      // transaction (splitAccess - 1 cycles and its own wait) still holds EX, and decode takes an
      // instruction only in the cycle after EX is free; a cycle later when the trapping word, left
      // in decode, reads what that load loads: its load-use stall, not gated by validity, holds
      // decode while the load is still in EX.
      const second = this.splitSecondWaitByPrevious;
      const staleStall = insn ? this.staleWordStall(insn) : 0;
      if (second >= 0) entry = Math.max(c.exceptionEntry - c.splitAccess - second, 1 + staleStall);
      else if (this.exBusyByPrevious) entry -= c.loopStateFlushOverlap;
      // The stall counted when the instruction issued did not happen.
      this.stats.loadUseStalls -= stall;
      stall = 0;
    }
    this.flushed(entry);
    return entry + stall;
  }

  /**
   * A hardware loop's back edge taken in plain decode (resumedLoopBackEdge): its extra cycles,
   * counted in the stats. The body's first instruction reaches decode after the bubble, as after a
   * one-cycle instruction that writes nothing: what the body's last instruction loaded is then
   * forwarded from WB without a load-use stall, and only a jalr would still wait for it (measured
   * on the CV32E40P RTL: test/cv32e40p/trap-programs.ts, a load as the body's last instruction).
   */
  loopBackEdgeFromDecode(last: DecodedInstruction, hidden: boolean): Cycles {
    // The controller sets the fetch to the body's start in the first cycle the last instruction is
    // in decode, so the target arrives while that instruction waits there (a load-use stall, an
    // older instruction holding EX): then no bubble. Its own multi-cycle EX does not hide it
    // (measured on the RTL: test/cv32e40p/trap-programs.ts and the random programs with traps).
    if (hidden) return 0;
    // The bubble leaves the last instruction's word in decode while that instruction is in EX: a
    // load reading the register it loads then stalls on itself (the load-use check reads the word
    // whether valid or not), which keeps the start out of decode a cycle more (measured on the RTL).
    const stale = this.staleLoadStall(last);
    this.loadedTwoBack = this.loadedByPrevious;
    this.loadedByPrevious = 0;
    this.writtenByPrevious = 0;
    // Decode takes no instruction while EX is busy: the start arrives once the last has left EX.
    this.exBusyByPrevious = false;
    this.splitSecondWaitByPrevious = -1;
    this.stats.jumpPenalty += this.config.resumedLoopBackEdge;
    this.stats.loadUseStalls += stale;
    return this.config.resumedLoopBackEdge + stale;
  }

  /** A load whose word, left alone in decode while it is in EX, waits for itself: it reads what it loads. */
  staleLoadStall(insn: DecodedInstruction): Cycles {
    return (insn.loadedMask & insn.sourceMask) !== 0 ? this.config.loadUseStall : 0;
  }

  /** `insn`, about to issue, waits in decode: a load stall, or an older instruction holding EX. */
  waitsInDecode(insn: DecodedInstruction): boolean {
    return this.exBusyByPrevious || this.idStall(insn) > 0;
  }

  /** The stall `insn` waited in ID after the instructions before it (not counted again). */
  private idStall(insn: DecodedInstruction): Cycles {
    return idStall(this.config, insn, this.loadedByPrevious, this.loadedTwoBack);
  }

  /**
   * The cycles `insn`, about to issue, waits in decode before it leaves: its load-use stall and
   * its jalr dependency stall (the window in which an interrupt can still take its place).
   */
  decodeWait(insn: DecodedInstruction): Cycles {
    return this.idStall(insn) + (this.jalrWaits(insn) ? this.config.jalrDependencyStall : 0);
  }

  /**
   * The cycles the word of `insn`, dropped from decode by an interrupt, still keeps the next
   * instruction out of decode: the CV32E40P's load-use check compares the read fields of the word
   * in decode whatever the controller does (its write-after-load check only while it decodes), and
   * its jalr check looks at the word's kind and base alone.
   */
  heldByDroppedWord(insn: DecodedInstruction): Cycles {
    if (this.loadedByPrevious === SUMS_LOADED) return 0;
    return this.staleWordStall(insn) + (this.jalrWaits(insn) ? this.config.jalrDependencyStall : 0);
  }

  /** A jalr whose base the previous instruction writes, or the one before it loaded: it waits in decode. */
  private jalrWaits(insn: DecodedInstruction): boolean {
    return insn.timing === 'jumpRegister' && ((this.writtenByPrevious | this.loadedTwoBack) & insn.sourceMask) !== 0;
  }

  /**
   * The load-use stall of a word left in decode that no longer decodes (dropped by a trap or an
   * interrupt): the CV32E40P compares the word's read fields with the load's destination whatever
   * the controller does.
   */
  private staleWordStall(insn: DecodedInstruction): Cycles {
    return (insn.loadReadMask & this.loadedByPrevious) !== 0 ? this.config.loadUseStall : 0;
  }

  /**
   * The last instruction's cycles after it left decode were its own in EX (a multi-cycle unit, a
   * split or delayed access), during which the next instruction already waits in decode; else they
   * were bubbles (a jump, a taken branch, a flush), and the next instruction reaches decode after them.
   */
  get lastHeldEx(): boolean {
    return this.exBusyByPrevious;
  }

  /**
   * A trap, or an interrupt replacing the next instruction, took `entry` cycles and emptied the
   * pipeline: nothing older stalls the handler's first instruction.
   */
  flushed(entry: Cycles): void {
    this.stats.trapCycles += entry;
    this.loadedByPrevious = 0;
    this.loadedTwoBack = 0;
    this.writtenByPrevious = 0;
    this.exBusyByPrevious = false;
    this.splitSecondWaitByPrevious = -1;
    this.splitByPrevious = false;
  }

  private targetPenalty(probe: TimingProbe): Cycles {
    return this.unalignedPenalty(probe.isUnalignedWideTarget(probe.npc));
  }

  /** The fetch cycle more that a 32-bit target at an address that is 2 mod 4 costs. */
  private unalignedPenalty(unalignedWideTarget: boolean): Cycles {
    return unalignedWideTarget ? this.config.unalignedTargetPenalty : 0;
  }
}

/**
 * The CV32E40P's controller, in its hardware-loop decode state (DECODE_HWLOOP), goes to FLUSH_EX
 * for an instruction its decoder rejects (an illegal word, an illegal CSR access: both raise
 * `illegal_insn`) in the first cycle that instruction is in decode and keeps it out of EX, without
 * waiting for decode to be ready; in plain DECODE, as for ecall and ebreak in either state, it
 * waits for a load-use stall or an older instruction holding EX first (cv32e40p_controller.sv).
 */
export function rejectedAtOnce(cause: number, inLoopState: boolean): boolean {
  return inLoopState && cause === TRAP_CAUSE.illegalInstruction;
}

/**
 * `insn` reads, or writes from EX, a register that the instruction before it loaded from memory, or
 * names x28..x31 or runs on the multiplier right after an nm.mac4 or nm.mul4: it waits in ID.
 */
export function hasLoadStall(insn: DecodedInstruction, loaded: number): boolean {
  return (insn.loadStallMask & loaded) !== 0 || (loaded === SUMS_LOADED && (insn.namesSums || insn.onMultiplier));
}

/**
 * The cycles `insn` waits in ID after an instruction that loaded `loaded`, the one before that
 * having loaded `loadedTwoBack` when the one in between took a single cycle (else 0). An nm.mac4 or
 * nm.mul4 writes x28..x31 at the end of WB, without forwarding: an instruction naming them waits
 * while it is in EX and in WB, two cycles right after it, one with a single-cycle instruction
 * between (docs/isa-extension.md R2.6). The waits start when the nm.mac4 leaves EX: its own
 * memory wait is part of its cycles, as a load's is.
 */
export function idStall(c: TimingConfig, insn: DecodedInstruction, loaded: number, loadedTwoBack: number): Cycles {
  if (loaded === SUMS_LOADED) return insn.namesSums ? c.sumUseStall : insn.onMultiplier ? c.macMultiplierStall : 0;
  const load = (insn.loadStallMask & loaded) !== 0 ? c.loadUseStall : 0;
  return loadedTwoBack === SUMS_LOADED && insn.namesSums ? Math.max(load, c.sumUseStall - 1) : load;
}

/**
 * The CV32E40P divider (cv32e40p_alu.sv, div_shift; cv32e40p_alu_div.sv) first shifts the divisor
 * left by its leading zeros, then takes one cycle per shift position: divBase + the shift. For a
 * negative divisor of div/rem it counts the leading zeros of the one's complement ~d = |d| - 1 and
 * shifts one place less, so a negative divisor whose magnitude is not a power of two is one cycle
 * faster than its magnitude. A zero divisor takes divByZero.
 */
export function divideCycles(c: TimingConfig, divisor: number, signed: boolean): Cycles {
  if (divisor === 0) return c.divByZero;
  if (signed && divisor < 0) return c.divBase - 1 + Math.clz32(~divisor);
  return c.divBase + Math.clz32(divisor);
}
