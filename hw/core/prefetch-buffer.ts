// The instruction prefetcher: fetches consecutive words on the OBI instruction port and hands them
// to the aligner in order, through a two-word FIFO. With single-cycle memory (grant in the request's
// cycle, data the next) it keeps one word per cycle flowing, which is what a stream of 32-bit
// instructions consumes: a word arriving while the FIFO is empty passes straight through in its
// cycle, and a new request goes out whenever the FIFO and the requests in flight together hold
// fewer than two words, so the FIFO can never overflow, and the next word requested is never more
// than one word after the word of the instruction on offer (in a hardware-loop body, where every
// instruction is a word).
//
// A redirect (jump, branch, boot) requests the target's word in the same cycle, so its data arrives
// in the next one; the FIFO is emptied and responses still due for the old stream are counted and
// dropped when they arrive (OBI answers in order). OBI does not let a request be withdrawn: one
// presented without a grant stays on the bus, address unchanged, until granted, even when a
// redirect has made it useless; its response is then dropped too.
//
// A hardware-loop back edge is no redirect: when the next sequential word (`seq_addr`) is a loop's
// end and the loop goes round again (`loop_back`, decided by the caller from the loop registers),
// the loop's start is requested in its place, so the stream itself wraps and nothing is dropped.
import { cat, defineModule, mux, U, UInt } from '../hdl/index.js';
import { instructionPort } from './instr-port.js';

/** Words the FIFO holds; also the most words in the FIFO and in flight together. */
const DEPTH = 2;

export const PrefetchBuffer = defineModule('PrefetchBuffer', (m) => {
  const redirect = m.input('redirect', UInt(1));
  const redirectAddr = m.input('redirect_addr', UInt(32));
  const pop = m.input('pop', UInt(1));
  const seqAddr = m.output('seq_addr', UInt(32));
  const loopBack = m.input('loop_back', UInt(1));
  const loopStart = m.input('loop_start', UInt(32));
  const { instrReq, instrAddr, instrGnt, instrRvalid, instrRdata, instrErr } = instructionPort(m);
  const wordValid = m.output('word_valid', UInt(1));
  const word = m.output('word', UInt(32));
  const wordErr = m.output('word_err', UInt(1));

  // Word addresses (bits 31:2) of the next request of the current stream and of a held request.
  const nextAddr = m.reg('next_addr', UInt(30));
  const held = m.reg('held', UInt(1), { reset: 0 });
  const heldAddr = m.reg('held_addr', UInt(30));
  const heldStale = m.reg('held_stale', UInt(1), { reset: 0 });
  // Requests granted and not yet answered, and how many of those answers belong to an old stream.
  const inFlight = m.reg('in_flight', UInt(2), { reset: 0 });
  const toDrop = m.reg('to_drop', UInt(2), { reset: 0 });
  // FIFO of words with their bus-error flag (bit 32); entry 0 is the oldest.
  const count = m.reg('count', UInt(2), { reset: 0 });
  const entry0 = m.reg('entry0', UInt(33));
  const entry1 = m.reg('entry1', UInt(33));

  const response = m.node('response', cat(instrErr, instrRdata));
  const dropping = m.node('dropping', instrRvalid.and(toDrop.ne(0)));
  const fresh = m.node('fresh', instrRvalid.and(toDrop.eq(0)));
  const empty = m.node('empty', count.eq(0));
  wordValid.assign(empty.not().or(fresh));
  const head = m.node('head', mux(empty, response, entry0));
  word.assign(head.bits(31, 0));
  wordErr.assign(head.bit(32));

  // A redirect empties the FIFO, so only the words in flight limit its request.
  const occupied = m.node('occupied', mux(redirect, U(0, 2), count).zext(3).add(inFlight.zext(3)));
  const wantNew = m.node('want_new', occupied.lt(DEPTH));
  // Words are fetched whole: the byte offset of a target does not matter here (the aligner uses it).
  m.unused(redirectAddr.bits(1, 0), loopStart.bits(1, 0));
  seqAddr.assign(cat(nextAddr, U(0, 2)));
  const followOn = m.node('follow_on', mux(loopBack, loopStart.bits(31, 2), nextAddr));
  const freshAddr = m.node('fresh_addr', mux(redirect, redirectAddr.bits(31, 2), followOn));
  instrReq.assign(held.or(wantNew));
  const reqAddr = m.node('req_addr', mux(held, heldAddr, freshAddr));
  instrAddr.assign(cat(reqAddr, U(0, 2)));
  const granted = m.node('granted', instrReq.and(instrGnt));
  // The request on the bus belongs to an old stream: held from before a redirect.
  const stalePresented = m.node('stale_presented', held.and(heldStale.or(redirect)));

  held.assign(instrReq.and(instrGnt.not()));
  heldAddr.assign(reqAddr);
  heldStale.assign(instrReq.and(instrGnt.not()).and(stalePresented));
  nextAddr.assign(mux(granted.and(stalePresented.not()), freshAddr.add(1), freshAddr));
  inFlight.assign(inFlight.add(granted.zext(2)).sub(instrRvalid.zext(2)));
  const staleGranted = m.node('stale_granted', granted.and(stalePresented).zext(2));
  toDrop.assign(mux(redirect, inFlight.sub(instrRvalid.zext(2)), toDrop.sub(dropping.zext(2))).add(staleGranted));

  // FIFO: a popped head makes room first; an arriving word is kept unless it passes straight
  // through (FIFO empty and popped in its cycle).
  const popped = m.node('popped', pop.and(wordValid));
  const remaining = m.node('remaining', count.sub(mux(popped.and(empty.not()), U(1, 2), U(0, 2))));
  const push = m.node('push', fresh.and(empty.and(popped).not()));
  m.when(popped.and(count.eq(2)), () => entry0.assign(entry1));
  m.when(push.and(remaining.eq(0)), () => entry0.assign(response));
  m.when(push.and(remaining.eq(1)), () => entry1.assign(response));
  count.assign(remaining.add(push.zext(2)));
  m.when(redirect, () => count.assign(0));

  return { redirect, redirectAddr, pop, seqAddr, loopBack, loopStart, instrReq, instrAddr, instrGnt, instrRvalid, instrRdata, instrErr, wordValid, word, wordErr };
});
