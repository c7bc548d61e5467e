/**
 * The events of the CV32E40P's programmable performance counter mhpmcounter3, as the hart counts
 * them instruction by instruction while mhpmevent3 selects any event but the cycle
 * (docs/cv32e40p.md#performance-counter). The counter adds one per cycle in which a selected event
 * is active, so an instruction adds one per distinct cycle of its events:
 *
 * - the first cycle it waits in decode, for a load (load-use stall) or, a jalr, for its base;
 * - the cycle it leaves decode: retired, load, store, jump, branch, compressed;
 * - the cycle after: a taken branch (decided in EX), or the jalr whose link register is its base,
 *   which stalls on its own link write while the target is fetched. The core's jalr stall looks at
 *   the word in decode whether it runs or not, so it is also active in a taken branch's EX cycle
 *   when the word after the branch, fetched meanwhile, is a jalr whose base the load just before
 *   the branch writes back then.
 *
 * The instruction-fetch miss stays inactive: with the single-cycle instruction memory the ISS
 * models, the core's prefetcher always has the next instruction when decode wants it (measured on
 * the RTL, docs/cv32e40p.md#performance-counter).
 *
 * The hart asks nothing of this class while only the cycle event or none is selected, the common
 * case: mhpmcounter3 is then derived from mcycle or constant (CsrFile).
 */
import { HPM_EVENT } from '../../isa/csr-values.js';
import type { DecodedInstruction } from '../../isa/definition.js';

const bit = (event: number): number => 1 << event;
/** The events of the cycle an instruction leaves decode; every one implies a retirement. */
const RETIREMENT_EVENTS = bit(HPM_EVENT.instret) | bit(HPM_EVENT.load) | bit(HPM_EVENT.store) | bit(HPM_EVENT.jump) | bit(HPM_EVENT.branch) | bit(HPM_EVENT.compressed);

/** The events the hart counts per instruction (the fetch miss never fires; bits 11 to 15 have no event). */
const COUNTED_EVENTS = RETIREMENT_EVENTS | bit(HPM_EVENT.loadStall) | bit(HPM_EVENT.jumpRegisterStall) | bit(HPM_EVENT.branchTaken);

/**
 * The events of the cycle `insn` leaves decode (a subset of RETIREMENT_EVENTS). An ecall the
 * environment serves (exit, write) retires on the ISS, as minstret counts it on the RTL testbench,
 * but the core counts no event for it: it takes an ecall as a trap.
 */
function retirementEvents(insn: DecodedInstruction): number {
  const system = insn.def.effects.system;
  if (system === 'ecall' || system === 'ebreak') return 0;
  let events = bit(HPM_EVENT.instret);
  if (insn.length === 2) events |= bit(HPM_EVENT.compressed);
  switch (insn.timing) {
    case 'load': events |= bit(HPM_EVENT.load); break;
    case 'store': events |= bit(HPM_EVENT.store); break;
    case 'branch': events |= bit(HPM_EVENT.branch); break;
    case 'jump': case 'jumpRegister':
      // mret jumps too, but the core does not count it among the jumps (jal and jalr only).
      if (system !== 'mret') events |= bit(HPM_EVENT.jump);
      break;
    default: break;
  }
  return events;
}

/** What happened to one instruction that the events depend on, besides the instruction itself. */
export interface InstructionOutcome {
  /** It waited in decode for the load just before it, a load-use event (TimingModel.loadStallEvent). */
  readonly loadStall: boolean;
  /** It transferred control (a taken branch). */
  readonly redirected: boolean;
  /** A jalr that stalled on its own link write after jumping (TimingModel.linkStalled). */
  readonly linkStall: boolean;
  /** A load that stalled on itself after taking a back edge from decode (TimingModel.staleLoadStall): a load-use event. */
  readonly selfStall: boolean;
  /** The next instruction reaches decode in the next cycle: no jump, taken branch or pipeline flush. */
  readonly sequential: boolean;
  /** A taken branch: the instruction after it, which decode holds while the branch is in EX (when it decodes). */
  readonly fallThrough?: DecodedInstruction;
}

export class PerformanceEvents {
  /**
   * The events selected in mhpmevent3 when the hart counts them per instruction: the selection less
   * the cycle event, or 0 while the cycle event (active in every cycle) or nothing is selected.
   */
  perInstruction = 0;
  /** Cycles with a counted event active, since the hart was created. */
  count = 0;
  /**
   * The load-use stall of the instruction issuing, set by the timing model on its slow path, which
   * every CSR instruction takes: a counter read in EX comes after it, so it sees that stall's cycle.
   */
  decodeStall = 0;
  /** That stall waits for a load (the load-use event), not for Xnmsparse's sums or lanes. */
  decodeStallForLoad = false;
  /** Registers written by the previous instruction, and loaded two back with a one-cycle decode between. */
  private writtenByPrevious = 0;
  private loadedByPrevious = 0;
  private loadedTwoBack = 0;

  /** mhpmevent3 was written (its event bits): count per instruction from the next one on. */
  select(events: number): void {
    this.perInstruction = (events & bit(HPM_EVENT.cycle)) !== 0 ? 0 : events & COUNTED_EVENTS;
    this.forget();
  }

  /** The pipeline was flushed (a trap): nothing older is left to stall the next instruction. */
  forget(): void {
    this.writtenByPrevious = 0;
    this.loadedByPrevious = 0;
    this.loadedTwoBack = 0;
  }

  /**
   * The stall event of `insn` in decode: its load-use stall, or a jalr's wait for a base that an
   * older instruction still writes. The core counts only the first cycle of a stall, in which both
   * may be active together. A jalr waits for a load two instructions back even when the
   * instruction between holds EX longer (mulh, a divide, a split access): the cycle is then hidden,
   * but the event is active.
   */
  private stallEvent(insn: DecodedInstruction, loadStall: boolean): boolean {
    const selected = this.perInstruction;
    if (loadStall && (selected & bit(HPM_EVENT.loadStall)) !== 0) return true;
    if ((selected & bit(HPM_EVENT.jumpRegisterStall)) === 0 || insn.timing !== 'jumpRegister') return false;
    return ((this.writtenByPrevious | this.loadedTwoBack) & insn.sourceMask) !== 0;
  }

  /** `insn` left decode (retired). */
  retired(insn: DecodedInstruction, outcome: InstructionOutcome): void {
    const selected = this.perInstruction;
    let cycles = this.stallEvent(insn, outcome.loadStall) ? 1 : 0;
    if ((selected & RETIREMENT_EVENTS & retirementEvents(insn)) !== 0) cycles++;
    const taken = outcome.redirected && insn.timing === 'branch';
    const jalrStall = outcome.linkStall || (taken && !outcome.loadStall && this.stallsJalrLeftBehind(outcome.fallThrough));
    if ((taken && (selected & bit(HPM_EVENT.branchTaken)) !== 0) || (jalrStall && (selected & bit(HPM_EVENT.jumpRegisterStall)) !== 0)) cycles++;
    if (outcome.selfStall && (selected & bit(HPM_EVENT.loadStall)) !== 0) cycles++;
    this.count += cycles;
    this.loadedTwoBack = outcome.sequential && !outcome.loadStall ? this.loadedByPrevious : 0;
    this.loadedByPrevious = insn.loadedMask;
    this.writtenByPrevious = insn.destinationMask;
  }

  /** `word`, left in decode behind a taken branch, is a jalr whose base the load before the branch writes back. */
  private stallsJalrLeftBehind(word: DecodedInstruction | undefined): boolean {
    return word !== undefined && word.timing === 'jumpRegister' && (word.sourceMask & this.loadedByPrevious) !== 0;
  }

  /** `insn` (undefined: a word the decoder rejects) trapped in decode: only its load-use stall counts. */
  trapped(insn: DecodedInstruction | undefined, loadStall: boolean): void {
    if (insn && this.stallEvent(insn, loadStall)) this.count++;
    this.forget();
  }
}
