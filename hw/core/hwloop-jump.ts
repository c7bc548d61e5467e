// The zero-overhead back edge of the CORE-V hardware loops, decided on the instruction the fetch
// stage offers: it is the last of a loop body when the address after it is that loop's end and the
// loop's count is not zero. Loop 0 is looked at first and only one loop counts per instruction, as
// in the ISS (HardwareLoops.next in sim/core/hwloop.ts): that loop's counter is decremented when the
// instruction leaves decode (`dec`), and while it is 2 or more fetch continues at the loop's start
// (`jump`) instead of at the end. The body rules (at least three 32-bit instructions, no jumps)
// guarantee the counts seen here already include the decrement of the previous iteration's last
// instruction, which has left decode by the time the next iteration's last one is offered.
import { cat, defineModule, mux, UInt } from '../hdl/index.js';

export const HwloopJump = defineModule('HwloopJump', (m) => {
  /** The offered instruction's pc + 2 and pc + 4, and whether it is a 32-bit one. */
  const pcPlus2 = m.input('pc_plus2', UInt(32));
  const pcPlus4 = m.input('pc_plus4', UInt(32));
  const wide = m.input('wide', UInt(1));
  const start0 = m.input('start0', UInt(32));
  const start1 = m.input('start1', UInt(32));
  const end0 = m.input('end0', UInt(32));
  const end1 = m.input('end1', UInt(32));
  const count0 = m.input('count0', UInt(32));
  const count1 = m.input('count1', UInt(32));
  const dec = m.output('dec', UInt(2));
  const jump = m.output('jump', UInt(1));
  const target = m.output('target', UInt(32));

  // The address after the instruction compared both ways, the length choosing late (see Aligner).
  const ends0 = m.node('ends0', mux(wide, pcPlus4.eq(end0), pcPlus2.eq(end0)));
  const ends1 = m.node('ends1', mux(wide, pcPlus4.eq(end1), pcPlus2.eq(end1)));
  const last0 = m.node('last0', count0.ne(0).and(ends0));
  const last1 = m.node('last1', count1.ne(0).and(ends1).and(last0.not()));
  dec.assign(cat(last1, last0));
  // count >= 2: the count stays non-zero after this decrement.
  jump.assign(mux(last0, count0.bits(31, 1).ne(0), last1.and(count1.bits(31, 1).ne(0))));
  target.assign(mux(last0, start0, start1));
  return { pcPlus2, pcPlus4, wide, start0, start1, end0, end1, count0, count1, dec, jump, target };
});
