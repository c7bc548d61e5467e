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
// - a hardware-loop back edge costs nothing: when the last instruction of a body is taken, the
//   loop's start is requested in that very cycle, as a redirect would, and offered in the next.
// A delayed grant or response delays the stream, never changes it. A word that came with
// `instr_err` marks the instructions made from it with `if_fetch_err`.
import { defineModule, mux, UInt } from '../hdl/index.js';
import { Aligner } from './aligner.js';
import { CompressedDecoder } from './compressed-decoder.js';
import { HwloopJump } from './hwloop-jump.js';
import { PrefetchBuffer } from './prefetch-buffer.js';

export const CoreFetch = defineModule('CoreFetch', (m) => {
  const bootAddr = m.input('boot_addr', UInt(32));
  const instrReq = m.output('instr_req', UInt(1));
  const instrAddr = m.output('instr_addr', UInt(32));
  const instrGnt = m.input('instr_gnt', UInt(1));
  const instrRvalid = m.input('instr_rvalid', UInt(1));
  const instrRdata = m.input('instr_rdata', UInt(32));
  const instrErr = m.input('instr_err', UInt(1));
  const ifValid = m.output('if_valid', UInt(1));
  const ifInstr = m.output('if_instr', UInt(32));
  const ifCompressed = m.output('if_compressed', UInt(1));
  const ifIllegalC = m.output('if_illegal_c', UInt(1));
  const ifPc = m.output('if_pc', UInt(32));
  const ifFetchErr = m.output('if_fetch_err', UInt(1));
  const ifHwlpDec = m.output('if_hwlp_dec', UInt(2));
  const idReady = m.input('id_ready', UInt(1));
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
  const loops = m.instance('u_hwloop', HwloopJump, {});

  const take = m.node('take', aligner.valid.and(idReady).and(pcSet.not()).and(booting.not()));
  const loopBack = m.node('loop_back', take.and(loops.jump));
  const redirect = m.node('redirect', booting.or(pcSet).or(loopBack));
  const redirectPc = m.node('redirect_pc', mux(booting, bootAddr, mux(pcSet, pcTarget, loops.target)));

  prefetch.redirect.assign(redirect);
  prefetch.redirectAddr.assign(redirectPc);
  prefetch.pop.assign(aligner.pop);
  prefetch.instrGnt.assign(instrGnt);
  prefetch.instrRvalid.assign(instrRvalid);
  prefetch.instrRdata.assign(instrRdata);
  prefetch.instrErr.assign(instrErr);
  instrReq.assign(prefetch.instrReq);
  instrAddr.assign(prefetch.instrAddr);

  aligner.redirect.assign(redirect);
  aligner.redirectPc.assign(redirectPc);
  aligner.wordValid.assign(prefetch.wordValid);
  aligner.word.assign(prefetch.word);
  aligner.wordErr.assign(prefetch.wordErr);
  aligner.take.assign(take);

  expander.instr.assign(aligner.instr);

  loops.nextPc.assign(aligner.nextPc);
  loops.start0.assign(hwlpStart0);
  loops.start1.assign(hwlpStart1);
  loops.end0.assign(hwlpEnd0);
  loops.end1.assign(hwlpEnd1);
  loops.count0.assign(hwlpCount0);
  loops.count1.assign(hwlpCount1);

  ifValid.assign(aligner.valid.and(booting.not()));
  ifInstr.assign(expander.expanded);
  ifCompressed.assign(expander.compressed);
  ifIllegalC.assign(expander.illegal);
  ifPc.assign(aligner.pc);
  ifFetchErr.assign(aligner.err);
  ifHwlpDec.assign(loops.dec);

  return {
    bootAddr, instrReq, instrAddr, instrGnt, instrRvalid, instrRdata, instrErr,
    ifValid, ifInstr, ifCompressed, ifIllegalC, ifPc, ifFetchErr, ifHwlpDec,
    idReady, pcSet, pcTarget, hwlpStart0, hwlpStart1, hwlpEnd0, hwlpEnd1, hwlpCount0, hwlpCount1,
  };
});
