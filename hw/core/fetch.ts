// The instruction-fetch stage of the core (IF): prefetch buffer, aligner, RVC expander and the
// hardware-loop back edge, offering one instruction at a time to the decode stage.
//
// Handshake with decode: the offered instruction (`if_valid`, `if_instr`...) is taken at the clock
// edge when `if_valid & id_ready`, unless `pc_set`: a redirect drops whatever is offered in its
// cycle, and the next instruction offered is the one at `pc_target`. Decode must not take it either.
//
// Timing with single-cycle instruction memory (grant in the request's cycle, data in the next):
// - one instruction per cycle, any mix of 16- and 32-bit instructions at any alignment;
// - the target of a redirect in cycle t is offered in cycle t + 1, in t + 2 when it is a 32-bit
//   instruction at an address = 2 mod 4 (two words to fetch), so a jump taken in decode costs 2
//   cycles and a branch taken in execute 3, as in the ISS (docs/cv32e40p.md#timing);
// - after reset the instruction at `boot_addr` is offered in the second cycle;
// - a hardware-loop back edge costs nothing: the prefetcher requests the loop's start in place of
//   the word at the loop's end, and the aligner continues at the start when it hands out the last
//   instruction of the body. Both apply the same rule (loopEnd) to the loop registers: the
//   prefetcher to the next word it fetches, the aligner to the instruction it offers. The loop rules
//   (a body of at least three 32-bit instructions, none changing its own loop) make them agree: the
//   prefetcher reaches a body's end only once the body's last instruction is on offer, after the
//   previous iteration's last instruction and the setup before the body have left decode, as long as
//   the loop registers show a write one cycle after the writing instruction leaves decode.
// A delayed grant or response delays the stream, never changes it. A word that came with
// `instr_err` marks the instructions made from it with `if_fetch_err`.
import { defineModule, mux, UInt } from '../hdl/index.js';
import { instructionPort } from './instr-port.js';
import { Aligner } from './aligner.js';
import { CompressedDecoder } from './compressed-decoder.js';
import { loopEnd } from './hwloop-jump.js';
import { PrefetchBuffer } from './prefetch-buffer.js';

export const CoreFetch = defineModule('CoreFetch', (m) => {
  const bootAddr = m.input('boot_addr', UInt(32));
  const { instrReq, instrAddr, instrGnt, instrRvalid, instrRdata, instrErr } = instructionPort(m);
  const ifValid = m.output('if_valid', UInt(1));
  const ifInstr = m.output('if_instr', UInt(32));
  const ifCompressed = m.output('if_compressed', UInt(1));
  const ifIllegalC = m.output('if_illegal_c', UInt(1));
  const ifPc = m.output('if_pc', UInt(32));
  const ifFetchErr = m.output('if_fetch_err', UInt(1));
  const ifHwlpDec = m.output('if_hwlp_dec', UInt(2));
  // The prefetcher offers a word (the aligner may still wait for a second one): the fetch-miss event
  // of the performance counter is its absence outside a redirect, as on the CV32E40P.
  const ifWordValid = m.output('if_word_valid', UInt(1));
  const idReady = m.input('id_ready', UInt(1));
  /** Decode could take an instruction this cycle, offered or not (the aligner's split word waits for it). */
  const decodeReady = m.input('decode_ready', UInt(1));
  const pcSet = m.input('pc_set', UInt(1));
  const pcTarget = m.input('pc_target', UInt(32));
  const hwlpStart0 = m.input('hwlp_start0', UInt(32));
  const hwlpStart1 = m.input('hwlp_start1', UInt(32));
  const hwlpEnd0 = m.input('hwlp_end0', UInt(32));
  const hwlpEnd1 = m.input('hwlp_end1', UInt(32));
  const hwlpCount0 = m.input('hwlp_count0', UInt(32));
  const hwlpCount1 = m.input('hwlp_count1', UInt(32));

  // Boot is the first redirect, in the first cycle after reset.
  const booting = m.reg('booting', UInt(1), { reset: 1 });
  booting.assign(0);

  const prefetch = m.instance('u_prefetch', PrefetchBuffer, {});
  const aligner = m.instance('u_aligner', Aligner, {});
  const expander = m.instance('u_expander', CompressedDecoder, {});

  const loopRegs = { start: [hwlpStart0, hwlpStart1], end: [hwlpEnd0, hwlpEnd1], count: [hwlpCount0, hwlpCount1] } as const;
  // The rule on the instruction offered, and on the next word the prefetcher fetches.
  const loops = loopEnd(m, 'offered', { pcPlus4: aligner.pcPlus4, wide: aligner.wide }, loopRegs);
  const fetchLoops = loopEnd(m, 'fetched', { pcPlus4: prefetch.seqAddr }, loopRegs);

  const take = m.node('take', aligner.valid.and(idReady).and(pcSet.not()).and(booting.not()));
  const redirect = m.node('redirect', booting.or(pcSet));
  const redirectPc = m.node('redirect_pc', mux(booting, bootAddr, pcTarget));
  const loopBack = m.node('loop_back', take.and(loops.jump));

  prefetch.redirect.assign(redirect);
  prefetch.redirectAddr.assign(redirectPc);
  prefetch.loopBack.assign(fetchLoops.jump);
  prefetch.loopStart.assign(fetchLoops.target);
  prefetch.pop.assign(aligner.pop);
  prefetch.instrGnt.assign(instrGnt);
  prefetch.instrRvalid.assign(instrRvalid);
  prefetch.instrRdata.assign(instrRdata);
  prefetch.instrErr.assign(instrErr);
  instrReq.assign(prefetch.instrReq);
  instrAddr.assign(prefetch.instrAddr);

  aligner.redirect.assign(redirect.or(loopBack));
  aligner.redirectPc.assign(mux(redirect, redirectPc, loops.target));
  aligner.wordValid.assign(prefetch.wordValid);
  aligner.word.assign(prefetch.word);
  aligner.wordErr.assign(prefetch.wordErr);
  aligner.take.assign(take);
  aligner.ready.assign(decodeReady);

  expander.instr.assign(aligner.instr);

  ifValid.assign(aligner.valid.and(booting.not()));
  ifInstr.assign(expander.expanded);
  ifCompressed.assign(expander.compressed);
  ifIllegalC.assign(expander.illegal);
  ifPc.assign(aligner.pc);
  ifFetchErr.assign(aligner.err);
  ifHwlpDec.assign(loops.dec);
  ifWordValid.assign(prefetch.wordValid);

  return {
    bootAddr, instrReq, instrAddr, instrGnt, instrRvalid, instrRdata, instrErr,
    ifValid, ifInstr, ifCompressed, ifIllegalC, ifPc, ifFetchErr, ifHwlpDec, ifWordValid,
    idReady, decodeReady, pcSet, pcTarget, hwlpStart0, hwlpStart1, hwlpEnd0, hwlpEnd1, hwlpCount0, hwlpCount1,
  };
});
