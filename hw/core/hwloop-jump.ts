// The zero-overhead back edge of the CORE-V hardware loops. An instruction is the last of a loop
// body when the address after it is that loop's end and the loop's count is not zero. Loop 0 is
// looked at first and only one loop counts per instruction, as in the ISS (HardwareLoops.next in
// sim/core/hwloop.ts): that loop's counter is decremented when the instruction leaves decode
// (`dec`), and while it is 2 or more execution continues at the loop's start (`jump`, `target`)
// instead of at the end. The fetch stage applies the rule twice: to the instruction it offers (for
// `dec` and the aligner's next pc) and to the next word it fetches (to fetch the start in its place).
//
// Only 32-bit instructions are compared: the loop rules keep compressed instructions out of bodies
// (HardwareLoops.validate stops the ISS at the setup of such a loop), and a compressed instruction
// outside a body cannot end at its end, so in every run the ISS completes the rule never applies to
// a compressed one. This saves the comparisons of pc + 2, which the real core does not make either.
import { cat, type Expr, type ModuleBuilder, mux } from '../hdl/index.js';

/** The loop registers, loop 0 first. */
export interface LoopRegisters {
  readonly start: readonly [Expr, Expr];
  readonly end: readonly [Expr, Expr];
  readonly count: readonly [Expr, Expr];
}

/** The instruction's pc + 4 and, when it may be compressed, whether it is a 32-bit one. */
export interface InstructionEnd {
  readonly pcPlus4: Expr;
  readonly wide?: Expr;
}

export interface LoopEnd {
  /** Counters to decrement when the instruction leaves decode (bit l: loop l). */
  readonly dec: Expr;
  /** The loop goes round again: the next instruction is at `target`. */
  readonly jump: Expr;
  readonly target: Expr;
}

/** The rule for one instruction (or word); `name` prefixes the nodes it declares in `m`. */
export function loopEnd(m: ModuleBuilder, name: string, at: InstructionEnd, loops: LoopRegisters): LoopEnd {
  const endsAt = (end: Expr): Expr => (at.wide ? at.wide.and(at.pcPlus4.eq(end)) : at.pcPlus4.eq(end));
  const last0 = m.node(`${name}_last0`, loops.count[0].ne(0).and(endsAt(loops.end[0])));
  const last1 = m.node(`${name}_last1`, loops.count[1].ne(0).and(endsAt(loops.end[1])).and(last0.not()));
  // count >= 2: the count stays non-zero after this decrement.
  const again = (count: Expr): Expr => count.bits(31, 1).ne(0);
  return {
    dec: cat(last1, last0),
    jump: mux(last0, again(loops.count[0]), last1.and(again(loops.count[1]))),
    target: mux(last0, loops.start[0], loops.start[1]),
  };
}
