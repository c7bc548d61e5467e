// The core's controller: the few multi-cycle sequences of a CV32E40P-class pipeline. In DECODE the
// pipeline flows; an instruction that must see everything older finish before anything younger is
// fetched (a trap: illegal instruction, ecall, ebreak; mret; fence; an access to a status CSR)
// halts fetch when it leaves decode, and the controller walks through FLUSH_EX (it executes) and
// FLUSH_WB (older results are written) before it redirects fetch: to mtvec for a trap, to the next
// instruction for a fence, to mepc one state later (XRET_JUMP) for mret, and nowhere for a status
// CSR, whose successor is still waiting in fetch. These are the costs of docs/cv32e40p.md#timing:
// status CSR 4 cycles, fence 4, mret 5, a trap 4 to the handler's first instruction in decode.
import { type Expr, type ModuleBuilder, mux, U, UInt } from '../hdl/index.js';

export const ControllerState = { decode: 0, flushEx: 1, flushWb: 2, xretJump: 3, sleep: 4 } as const;

/** What the decode stage tells the controller about the instruction it holds (valid or not). */
export interface DecodeView {
  /** The decode register holds a valid instruction. */
  readonly valid: Expr;
  /** Its kind, decoded from the word the decode register holds (valid or not: the word stays). */
  readonly illegal: Expr;
  readonly ecall: Expr;
  readonly ebreak: Expr;
  readonly mret: Expr;
  readonly fence: Expr;
  readonly wfi: Expr;
  readonly statusCsr: Expr;
  /** Decode may pass its instruction to execute this cycle (no hazard, execute free). */
  readonly ready: Expr;
}

export interface ControllerInputs {
  readonly decode: DecodeView;
  /** A taken branch in execute: fetch goes to its target and the instruction in decode is dropped. */
  readonly branchTaken: Expr;
  /** The instruction in execute finishes this cycle. */
  readonly exDone: Expr;
}

export interface ControllerOutputs {
  readonly state: Expr;
  /** The instruction in decode is being decoded (it may leave when `decode.ready`). */
  readonly isDecoding: Expr;
  /** Nothing may enter decode from fetch this cycle. */
  readonly haltFetch: Expr;
  /** Outside DECODE: what the decode register holds is dropped. */
  readonly haltDecode: Expr;
  /** Trap entry this cycle (FLUSH_EX): the CSRs save pc, cause. */
  readonly trapSave: Expr;
  /** The trap's cause (valid with trapSave). */
  readonly trapCause: Expr;
  /** mret's mstatus restore this cycle (FLUSH_WB). */
  readonly mretRestore: Expr;
  /** Redirects of FLUSH_WB and XRET_JUMP: to the trap vector, the next instruction, mepc. */
  readonly jumpTrap: Expr;
  readonly jumpNext: Expr;
  readonly jumpMepc: Expr;
  /** The core executes wfi with nothing to wake it: it sleeps for good. */
  readonly sleeping: Expr;
}

/** RISC-V exception codes the core raises. */
export const ExceptionCause = { illegal: 2, breakpoint: 3, ecallM: 11 } as const;

export function controller(m: ModuleBuilder, inputs: ControllerInputs): ControllerOutputs {
  const { decode, branchTaken, exDone } = inputs;
  const state = m.reg('ctrl_state', UInt(3), { reset: ControllerState.decode });
  const inDecode = m.node('ctrl_in_decode', state.eq(ControllerState.decode));
  const isDecoding = m.node('is_decoding', inDecode.and(decode.valid).and(branchTaken.not()));
  const trapping = m.node('ctrl_trapping', decode.illegal.or(decode.ecall).or(decode.ebreak));
  const flushing = m.node('ctrl_flushing', trapping.or(decode.mret).or(decode.fence).or(decode.statusCsr).or(decode.wfi));
  const startFlush = m.node('ctrl_start_flush', isDecoding.and(flushing));

  m.switch(state)
    .is(ControllerState.decode, () => m.when(startFlush.and(decode.ready), () => state.assign(ControllerState.flushEx)))
    .is(ControllerState.flushEx, () => m.when(exDone, () => state.assign(ControllerState.flushWb)))
    .is(ControllerState.flushWb, () => {
      m.when(decode.mret, () => state.assign(ControllerState.xretJump))
        .elseWhen(decode.wfi.and(trapping.not()), () => state.assign(ControllerState.sleep))
        .otherwise(() => state.assign(ControllerState.decode));
    })
    .is(ControllerState.xretJump, () => state.assign(ControllerState.decode))
    .default(() => {});

  const inFlushEx = m.node('ctrl_in_flush_ex', state.eq(ControllerState.flushEx));
  const inFlushWb = m.node('ctrl_in_flush_wb', state.eq(ControllerState.flushWb));
  const cause = mux(decode.illegal, U(ExceptionCause.illegal, 5), mux(decode.ebreak, U(ExceptionCause.breakpoint, 5), U(ExceptionCause.ecallM, 5)));
  return {
    state,
    isDecoding,
    haltFetch: m.node('halt_fetch', startFlush.or(inDecode.not())),
    haltDecode: m.node('halt_decode', inDecode.not()),
    trapSave: m.node('trap_save', inFlushEx.and(exDone).and(trapping)),
    trapCause: m.node('trap_cause', cause),
    mretRestore: m.node('mret_restore', inFlushWb.and(decode.mret).and(trapping.not())),
    jumpTrap: m.node('jump_trap', inFlushWb.and(trapping)),
    jumpNext: m.node('jump_next', inFlushWb.and(decode.fence).and(trapping.not())),
    jumpMepc: m.node('jump_mepc', state.eq(ControllerState.xretJump)),
    sleeping: m.node('sleeping', state.eq(ControllerState.sleep)),
  };
}
