// The core's controller: the few multi-cycle sequences of a CV32E40P-class pipeline. In DECODE the
// pipeline flows; an instruction that must see everything older finish before anything younger is
// fetched (a trap: illegal instruction, ecall, ebreak, a fetch error; mret; fence; an access to a
// status CSR) halts fetch when it leaves decode, and the controller walks through FLUSH_EX (it
// executes) and FLUSH_WB (older results are written) before it redirects fetch: to mtvec for a
// trap, to the next instruction for a fence, to mepc one state later (XRET_JUMP) for mret, and
// nowhere for a status CSR, whose successor is still waiting in fetch. Costs (docs/cv32e40p.md#timing):
// status CSR 4 cycles, fence 4, mret 5, ecall and ebreak 4 to the handler's first instruction in
// decode, a word the decoder rejects 5 (FLUSH_EX takes one cycle more for it, as measured on the
// CV32E40P), or 4 when decoded in the CV32E40P's hardware-loop state (loop-decode.ts). In that
// state a rejected word or CSR access does not wait in decode at all, as the CV32E40P's
// DECODE_HWLOOP sends it to FLUSH_EX in its first cycle there: it never enters EX, so it waits for
// no load-use stall, and FLUSH_EX ends with whatever older instruction holds EX (docs/cv32e40p.md#timing).
//
// Two traps come from later stages. Outside the loop state an illegal CSR access is found in EX;
// the controller kills the instruction that entered decode meanwhile and goes on to
// FLUSH_WB, which makes the same 4 cycles as a trap found in decode. A load or store access fault
// arrives with the response in WB; fetch is redirected to mtvec at once (4 cycles from decode, the
// ISS's choice: the CV32E40P has no access faults) and the younger instructions are killed.
//
// Interrupts (docs/cv32e40p.md#interrupts), as the CV32E40P's controller takes them: in DECODE, in
// any cycle the decode register holds a valid instruction that is not being dropped for a taken
// branch or a later stage's trap, a request replaces that instruction: it does not execute, mepc
// names it, and fetch goes to the vector at once (the handler's first instruction is in decode two
// cycles later, as a jump's target). wfi passes FLUSH_EX and FLUSH_WB like the other flushes, then
// WAIT_SLEEP and SLEEP, where the core waits for a line enabled in mie (mstatus.MIE aside); a wake-up
// goes through FIRST_FETCH, in which the instruction after wfi moves into decode unless an interrupt
// is taken there, with mepc naming that instruction (the fetch stage's pc). While the core sleeps
// the CV32E40P gates its clock, so its counters do not count those cycles.
import { type Expr, type ModuleBuilder, mux, U, UInt } from '../hdl/index.js';

export const ControllerState = { decode: 0, flushEx: 1, flushExIllegal: 2, flushWb: 3, xretJump: 4, sleep: 5, waitSleep: 6, firstFetch: 7 } as const;

/** What the decode stage tells the controller about the instruction it holds (valid or not). */
export interface DecodeView {
  /** The decode register holds a valid instruction. */
  readonly valid: Expr;
  /** Its kind, decoded from the word the decode register holds (valid or not: the word stays). */
  readonly illegalWord: Expr;
  readonly fetchError: Expr;
  readonly ecall: Expr;
  readonly ebreak: Expr;
  readonly mret: Expr;
  readonly fence: Expr;
  readonly wfi: Expr;
  readonly statusCsr: Expr;
  /** A CSR access the CSR file rejects (its address and op as decoded). */
  readonly illegalCsr: Expr;
  /** It is decoded in the CV32E40P's hardware-loop state, where a rejected word traps a cycle sooner (loop-decode.ts). */
  readonly inLoopState: Expr;
  /** Decode may pass its instruction to execute this cycle (no hazard, execute free). */
  readonly ready: Expr;
}

/** A trap raised by a later stage this cycle. */
export interface LateTrap {
  readonly valid: Expr;
  readonly cause: Expr;
}

export interface ControllerInputs {
  readonly decode: DecodeView;
  /** A taken branch in execute: fetch goes to its target and the instruction in decode is dropped. */
  readonly branchTaken: Expr;
  /**
   * Execute finishes the instruction it holds this cycle, or holds none, and writeback is ready;
   * for a load or store: one of its transactions is granted, as the CV32E40P's EX stage reports a
   * split access valid after its first half, which ends a flush for a trap taken at once while the
   * second half goes on (the handler's first instruction then waits for EX in fetch).
   */
  readonly exDone: Expr;
  /** An illegal CSR access in EX. */
  readonly exTrap: LateTrap;
  /** An access fault answered in WB. */
  readonly wbTrap: LateTrap;
  /** The interrupt controller's request (a line pending, enabled, mstatus.MIE) and its wake-up. */
  readonly irq: { readonly request: Expr; readonly wake: Expr; readonly id: Expr };
}

export interface ControllerOutputs {
  readonly state: Expr;
  /** The instruction in decode is being decoded (it may leave when `decode.ready`). */
  readonly isDecoding: Expr;
  /** Nothing may enter decode from fetch this cycle. */
  readonly haltFetch: Expr;
  /** Outside DECODE: what the decode register holds is dropped. */
  readonly haltDecode: Expr;
  /** Trap entry this cycle: the CSRs save pc, cause; `trapFrom` says whose pc. */
  readonly trapSave: Expr;
  readonly trapCause: Expr;
  readonly trapFrom: { readonly ex: Expr; readonly wb: Expr };
  /** The instructions in EX (and decode) are killed: a trap from EX or WB. */
  readonly kill: Expr;
  /** mret's mstatus restore this cycle (FLUSH_WB). */
  readonly mretRestore: Expr;
  /** Redirects: to the trap vector, the next instruction (fence), mepc. */
  readonly jumpTrap: Expr;
  readonly jumpNext: Expr;
  readonly jumpMepc: Expr;
  /** The core sleeps in wfi (SLEEP). */
  readonly sleeping: Expr;
  /** The CV32E40P's clock would be gated this cycle (asleep, not waking): the counters stand still. */
  readonly clockGated: Expr;
  /** An interrupt is taken this cycle (with `trapSave` and `jumpTrap`); from FIRST_FETCH, mepc is the fetch stage's pc. */
  readonly interrupt: Expr;
  readonly interruptFromFetch: Expr;
}

/** RISC-V exception codes the controller raises itself. */
export const ExceptionCause = { instructionFault: 1, illegal: 2, breakpoint: 3, loadMisaligned: 4, ecallM: 11 } as const;

export function controller(m: ModuleBuilder, inputs: ControllerInputs): ControllerOutputs {
  const { decode, branchTaken, exDone, exTrap, wbTrap, irq } = inputs;
  const state = m.reg('ctrl_state', UInt(3), { reset: ControllerState.decode });
  // A trap from EX is on its way through FLUSH_WB (the decode register's word is not its cause).
  const exTrapPending = m.reg('ex_trap_pending', UInt(1), { reset: 0 });
  // The flush is for a word the decoder rejected, outside the loop state: one cycle more.
  const slowIllegal = m.reg('slow_illegal', UInt(1), { reset: 0 });
  // The flush is for an illegal CSR access taken at once in the loop state (it never reached EX).
  const csrTrapAtOnce = m.reg('csr_trap_at_once', UInt(1), { reset: 0 });
  const inDecode = m.node('ctrl_in_decode', state.eq(ControllerState.decode));
  // An illegal CSR access is in EX in DECODE, or in FLUSH_EX when it is itself a status CSR.
  const inFlushing = m.node('ctrl_in_flush_ex_any', state.eq(ControllerState.flushEx).or(state.eq(ControllerState.flushExIllegal)));
  const fromWb = m.node('trap_from_wb', wbTrap.valid);
  const fromEx = m.node('trap_from_ex', exTrap.valid.and(wbTrap.valid.not()).and(inDecode.or(inFlushing)));
  const lateTrap = m.node('late_trap', fromWb.or(fromEx));
  const decodeValid = m.node('ctrl_decode_valid', inDecode.and(decode.valid).and(branchTaken.not()).and(lateTrap.not()));
  const inFirstFetch = m.node('ctrl_in_first_fetch', state.eq(ControllerState.firstFetch));
  const interruptFromFetch = m.node('irq_from_fetch', inFirstFetch.and(irq.request));
  // An interrupt replaces the instruction in decode before it is looked at, an illegal one included.
  const interrupt = m.node('irq_take', decodeValid.and(irq.request).or(interruptFromFetch));
  const decodable = m.node('ctrl_decodable', decodeValid.and(irq.request.not()));
  const trapAtOnce = m.node('ctrl_trap_at_once', decodable.and(decode.inLoopState).and(decode.illegalWord.or(decode.illegalCsr)));
  const isDecoding = m.node('is_decoding', decodable.and(trapAtOnce.not()));
  const trapping = m.node('ctrl_trapping', decode.illegalWord.or(decode.fetchError).or(decode.ecall).or(decode.ebreak).or(csrTrapAtOnce));
  const flushing = m.node('ctrl_flushing', trapping.or(decode.mret).or(decode.fence).or(decode.statusCsr).or(decode.wfi));
  const startFlush = m.node('ctrl_start_flush', isDecoding.and(flushing));

  m.switch(state)
    .is(ControllerState.decode, () => {
      m.when(trapAtOnce, () => {
        state.assign(ControllerState.flushEx);
        slowIllegal.assign(0);
        csrTrapAtOnce.assign(decode.illegalWord.not());
      }).elseWhen(startFlush.and(decode.ready), () => {
        state.assign(ControllerState.flushEx);
        slowIllegal.assign(decode.illegalWord.and(decode.inLoopState.not()));
      });
    })
    .is(ControllerState.flushEx, () => m.when(exDone, () => state.assign(mux(slowIllegal, U(ControllerState.flushExIllegal, 3), U(ControllerState.flushWb, 3)))))
    .is(ControllerState.flushExIllegal, () => state.assign(ControllerState.flushWb))
    .is(ControllerState.flushWb, () => {
      exTrapPending.assign(0);
      csrTrapAtOnce.assign(0);
      m.when(exTrapPending.not().and(trapping.not()).and(decode.mret), () => state.assign(ControllerState.xretJump))
        .elseWhen(exTrapPending.not().and(trapping.not()).and(decode.wfi), () => state.assign(ControllerState.waitSleep))
        .otherwise(() => state.assign(ControllerState.decode));
    })
    .is(ControllerState.xretJump, () => state.assign(ControllerState.decode))
    .is(ControllerState.waitSleep, () => state.assign(ControllerState.sleep))
    .is(ControllerState.sleep, () => m.when(irq.wake, () => state.assign(ControllerState.firstFetch)))
    .is(ControllerState.firstFetch, () => state.assign(ControllerState.decode))
    .default(() => {});
  // Traps from later stages override the sequence above: the oldest instruction traps first.
  m.when(fromWb, () => {
    state.assign(ControllerState.decode);
    exTrapPending.assign(0);
  }).elseWhen(fromEx, () => {
    state.assign(ControllerState.flushWb);
    exTrapPending.assign(1);
  });

  const inFlushEx = m.node('ctrl_in_flush_ex', state.eq(ControllerState.flushEx));
  const inFlushWb = m.node('ctrl_in_flush_wb', state.eq(ControllerState.flushWb));
  const decodeCause = mux(decode.illegalWord.or(csrTrapAtOnce), U(ExceptionCause.illegal, 5),
    mux(decode.fetchError, U(ExceptionCause.instructionFault, 5), mux(decode.ebreak, U(ExceptionCause.breakpoint, 5), U(ExceptionCause.ecallM, 5))));
  const fromDecode = inFlushEx.and(exDone).and(trapping).and(lateTrap.not());
  const plainFlushWb = inFlushWb.and(exTrapPending.not());
  const inSleep = m.node('ctrl_in_sleep', state.eq(ControllerState.sleep));
  return {
    state,
    isDecoding,
    // FIRST_FETCH moves the instruction after wfi into decode, unless an interrupt is taken.
    haltFetch: m.node('halt_fetch', startFlush.or(trapAtOnce).or(inDecode.or(inFirstFetch).not()).or(lateTrap).or(interrupt)),
    haltDecode: m.node('halt_decode', inDecode.not().or(lateTrap).or(trapAtOnce).or(interrupt)),
    trapSave: m.node('trap_save', fromDecode.or(fromEx).or(fromWb).or(interrupt)),
    trapCause: m.node('trap_cause', mux(fromWb, wbTrap.cause, mux(fromEx, exTrap.cause, mux(interrupt, irq.id, decodeCause)))),
    trapFrom: { ex: fromEx, wb: fromWb },
    kill: lateTrap,
    mretRestore: m.node('mret_restore', plainFlushWb.and(decode.mret).and(trapping.not())),
    jumpTrap: m.node('jump_trap', fromWb.or(inFlushWb.and(exTrapPending.or(trapping))).or(interrupt)),
    jumpNext: m.node('jump_next', plainFlushWb.and(decode.fence).and(trapping.not())),
    jumpMepc: m.node('jump_mepc', state.eq(ControllerState.xretJump)),
    sleeping: inSleep,
    clockGated: m.node('clock_gated', inSleep.and(irq.wake.not())),
    interrupt,
    interruptFromFetch,
  };
}
