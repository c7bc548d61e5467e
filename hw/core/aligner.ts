// The aligner: cuts the word stream of the prefetch buffer into instructions of 16 and 32 bits at
// any halfword address. It keeps the upper halfword of the last word it took when an instruction
// starts there, so a 32-bit instruction straddling two words is complete as soon as the second
// word arrives, and a compressed one in that halfword needs no word at all: one instruction per
// cycle whatever the mix, as long as one word per cycle comes in.
//
// After a redirect to an address = 2 mod 4 the instruction starts in the upper half of the first
// word. A compressed one is offered from that word at once; a 32-bit one needs the next word, so
// the aligner keeps the upper half without offering anything, and the target comes one cycle later.
import { cat, defineModule, mux, U, UInt } from '../hdl/index.js';

export const Aligner = defineModule('Aligner', (m) => {
  const redirect = m.input('redirect', UInt(1));
  const redirectPc = m.input('redirect_pc', UInt(32));
  const wordValid = m.input('word_valid', UInt(1));
  const word = m.input('word', UInt(32));
  const wordErr = m.input('word_err', UInt(1));
  /** The offered instruction is taken this cycle (only meaningful while `valid`). */
  const take = m.input('take', UInt(1));
  // Decode can take an instruction this cycle (whether one is offered or not): the first half of a
  // 32-bit instruction at an address = 2 mod 4 is kept only then, as the CV32E40P's aligner leaves
  // its misaligned-target state only when its instruction moves on, so a jump held in decode pays
  // its target's extra fetch after the hold (docs/cv32e40p.md#timing).
  const ready = m.input('ready', UInt(1));
  const pop = m.output('pop', UInt(1));
  const valid = m.output('valid', UInt(1));
  const instr = m.output('instr', UInt(32));
  const err = m.output('err', UInt(1));
  const pc = m.output('pc', UInt(32));
  const wide = m.output('wide', UInt(1));
  const pcPlus4 = m.output('pc_plus4', UInt(32));

  // No reset for the pc and the kept halfword: boot is a redirect, which sets both.
  const pcQ = m.reg('pc_q', UInt(31));
  const haveHalf = m.reg('have_half', UInt(1), { reset: 0 });
  const half = m.reg('half', UInt(16));
  const halfErr = m.reg('half_err', UInt(1));

  const upperStart = m.node('upper_start', pcQ.bit(0));
  const low = m.node('low', mux(haveHalf, half, mux(upperStart, word.bits(31, 16), word.bits(15, 0))));
  const high = m.node('high', mux(haveHalf, word.bits(15, 0), word.bits(31, 16)));
  wide.assign(low.bits(1, 0).eq(0b11));
  // A 32-bit instruction starting in the upper half of a word just fetched: keep that half.
  const splitStart = m.node('split_start', haveHalf.not().and(upperStart).and(wide));
  valid.assign(mux(wide, wordValid.and(splitStart.not()), haveHalf.or(wordValid)));
  instr.assign(cat(high, low));
  err.assign(mux(haveHalf, halfErr, wordErr).or(wide.and(wordErr)));
  pc.assign(cat(pcQ, U(0, 1)));
  // Both successors from the pc register alone, so the instruction's length (which comes with the
  // word from memory) only selects between them and is not on an adder's carry chain.
  pcPlus4.assign(pc.add(4));
  const nextPc = m.node('next_pc', mux(wide, pcPlus4, pc.add(2)));

  const taken = m.node('taken', take.and(valid));
  const absorb = m.node('absorb', splitStart.and(wordValid).and(ready));
  // A taken compressed instruction from the kept half leaves the word for the next instruction.
  pop.assign(wordValid.and(absorb.or(taken.and(haveHalf.and(wide.not()).not()))));
  m.when(pop, () => {
    half.assign(word.bits(31, 16));
    halfErr.assign(wordErr);
  });
  m.when(absorb, () => haveHalf.assign(1));
  m.when(taken, () => {
    pcQ.assign(nextPc.bits(31, 1));
    // The next instruction starts in the upper half of the word just taken from.
    haveHalf.assign(mux(haveHalf, wide, upperStart.not().and(wide.not())));
  });
  // Instructions are halfword-aligned: bit 0 of a pc is always 0.
  m.unused(redirectPc.bit(0), nextPc.bit(0));
  m.when(redirect, () => {
    pcQ.assign(redirectPc.bits(31, 1));
    haveHalf.assign(0);
  });

  return { redirect, redirectPc, wordValid, word, wordErr, take, ready, pop, valid, instr, err, pc, wide, pcPlus4 };
});
