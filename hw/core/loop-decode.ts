// The CV32E40P's controller decodes inside an active hardware-loop body in a state of its own
// (DECODE_HWLOOP) and elsewhere in plain DECODE. The core's fetch unit takes back edges by itself, so
// the pipeline does not need the state, except for the two costs it changes (docs/cv32e40p.md#timing,
// the ISS's HardwareLoops.decodesInLoopState and Hart.resume, which follow the RTL):
//
// - a word the decoder rejects traps in 4 cycles, not 5, when decoded in the loop state: inside a
//   body once its first instruction was decoded with iterations left, until the second-last
//   instruction of the final iteration; there a rejected word or CSR access traps at once (controller.ts);
// - after a pipeline flush (mret, a status CSR) the controller is in plain DECODE: the instruction
//   after the flush is decoded there, and so is the rest of a final iteration (only an instruction
//   inside a body with iterations left switches it over); when the instruction after the flush is
//   one of a body's last two (iterations left) the last one is reached in plain DECODE too and takes its back edge as a jump from decode (+1),
//   set in the first cycle that instruction is in decode, so that a wait there hides the bubble.
import { type Expr, type ModuleBuilder, mux, U, UInt } from '../hdl/index.js';

export interface LoopRegisters {
  readonly start: Expr;
  readonly end: Expr;
  readonly count: Expr;
}

export interface LoopDecodeInputs {
  readonly loops: readonly LoopRegisters[];
  /** The pc of the instruction in decode. */
  readonly pc: Expr;
  /** It leaves decode this cycle. */
  readonly leaves: Expr;
  /** The loop counters it decrements (its back edge, or the final iteration's end). */
  readonly decrements: Expr;
  /** It flushes the pipeline (mret, a status CSR), and where the program goes on after it. */
  readonly flushes: Expr;
  readonly flushTarget: Expr;
  /** A hardware-loop instruction writes loop l's registers this cycle (bit l). */
  readonly written: Expr;
}

export interface LoopDecodeOutputs {
  /** The instruction in decode is decoded in the loop state. */
  readonly inLoopState: Expr;
  /** It takes its back edge as a jump from decode (to `backEdgeTarget`), once, while it is there. */
  readonly backEdgeDue: Expr;
  readonly backEdgeTarget: Expr;
}

export function loopDecode(m: ModuleBuilder, s: LoopDecodeInputs): LoopDecodeOutputs {
  const active = m.node('hwlp_active', s.loops.map((l) => l.count.ne(0)).reduce((a, b) => a.or(b)));
  // A loop has iterated since it was armed: a decrement since its registers were last written.
  const iterated = s.loops.map((_, l) => {
    const flag = m.reg(`hwlp_iterated${l}`, UInt(1), { reset: 0 });
    m.when(s.written.bit(l), () => flag.assign(0)).elseWhen(s.leaves.and(s.decrements.bit(l)), () => flag.assign(1));
    return flag;
  });

  // After a flush: the instruction at the target is decoded in plain DECODE; the flush is registered
  // first, so that the loop counters are the ones after the flushing instruction's own decrement.
  const flushPending = m.reg('flush_pending', UInt(1), { reset: 0 });
  const resumeAt = m.reg('resume_at', UInt(32));
  const resumeAtValid = m.reg('resume_at_valid', UInt(1), { reset: 0 });
  const lastValid = m.reg('resume_last_valid', UInt(1), { reset: 0 });
  // Which loop's last instruction: its address and start are read from the loop registers live,
  // as the CV32E40P's controller compares them.
  const lastLoop = m.reg('resume_last_loop', UInt(1));
  m.when(s.leaves.and(s.flushes).and(active), () => {
    flushPending.assign(1);
    resumeAt.assign(s.flushTarget);
  }).otherwise(() => flushPending.assign(0));

  // The loop whose last two instructions the target is one of (iterations left): its last one.
  const window = s.loops.map((l, i) =>
    m.node(`resume_window${i}`, l.count.gt(1).and(resumeAt.ge(l.start)).and(resumeAt.ge(l.end.sub(8))).and(resumeAt.lt(l.end))));
  const inWindow = window.reduce<Expr>((a, b) => a.or(b), U(0, 1));
  const last = mux(lastLoop, s.loops[1]!.end.sub(4), s.loops[0]!.end.sub(4));

  const inBodyOf = s.loops.map((l, i) => m.node(`in_body${i}`, l.count.ne(0).and(s.pc.ge(l.start)).and(s.pc.lt(l.end))));
  const inBodies = m.node('in_bodies', inBodyOf.reduce<Expr>((a, b) => a.or(b), U(0, 1)));
  // The CV32E40P's controller moves from plain DECODE to its loop state at such an instruction.
  const iterating = m.node('in_body_iterating', inBodyOf.map((inBody, i) => inBody.and(s.loops[i]!.count.gt(1))).reduce<Expr>((a, b) => a.or(b), U(0, 1)));
  const atLast = m.node('resume_at_last', lastValid.and(s.pc.eq(last)));
  const beforeLast = m.node('resume_before_last', lastValid.and(s.pc.eq(last.sub(4))));
  const decrementing = s.loops.map((l, i) => s.decrements.bit(i).and(l.count.gt(1))).reduce((a, b) => a.or(b));
  const backEdgeDue = m.node('resume_back_edge_due', atLast.and(decrementing));

  m.when(flushPending, () => {
    resumeAtValid.assign(1);
    lastValid.assign(inWindow);
    lastLoop.assign(window[0]!.not());
  }).elseWhen(s.leaves, () => {
    // Plain DECODE lasts through a final iteration (inside a body, in none with iterations left).
    m.when(iterating.or(inBodies.not()), () => resumeAtValid.assign(0));
    m.when(atLast.or(beforeLast.not()), () => lastValid.assign(0));
  });

  const plain = m.node('decode_plain', resumeAtValid.or(atLast).or(beforeLast));
  const states = s.loops.map((l, i) => {
    const inBody = inBodyOf[i]!;
    const firstOfFirst = s.pc.eq(l.start).and(iterated[i]!.not());
    return m.node(`loop_state${i}`, inBody.and(firstOfFirst.not()).and(l.count.gt(1).or(iterated[i]!.and(s.pc.lt(l.end.sub(4))))));
  });
  return {
    inLoopState: m.node('in_loop_state', plain.not().and(active).and(states.reduce<Expr>((a, b) => a.or(b), U(0, 1)))),
    backEdgeDue,
    backEdgeTarget: mux(lastLoop, s.loops[1]!.start, s.loops[0]!.start),
  };
}
