// The load-store unit of the core (docs/cv32e40p.md#timing): the address and the bus request of a
// load or store in EX, the returned word aligned and extended in WB, over an OBI data port.
//
// An access that stays inside one word is one transaction; a word not on a word boundary, or a
// halfword at byte 3, is two, one per word, the lower word first, as on CV32E40P. The instruction
// stays in EX until its last transaction is granted (`ex_ready`), so each grant delay adds its
// cycles, and a split access takes two cycles at least; the data of the last transaction returns
// in WB, one cycle after its grant on a single-cycle memory.
//
// One transaction is in flight at a time: a request goes out once the previous one has answered
// without error, in that cycle at the earliest, which keeps back-to-back accesses at one per
// cycle. The second half of a split access therefore waits for the first half's data, which is
// kept until the second arrives. The price is a path from `data_rvalid` and `data_err` to
// `data_req`, which the real core's OBI mode avoids with a second outstanding transaction.
//
// An error response raises a load or store access fault, with the address of the part of the access
// that failed (the access's own address for its first word, the next word's for the second), in
// WB: for the second or only transaction when its response arrives, for the first half of a split
// access in the cycle after (the instruction leaves EX without its second half). No request goes
// out in a cycle that reports a fault, so the core can flush the instructions behind it before
// they reach memory. A store whose second half faults has written its first half, which RISC-V
// allows for a misaligned access.
import { cat, defineModule, mux, U, UInt } from '../hdl/index.js';
import type { Expr } from '../hdl/index.js';
import { dataPort, exceptionPort } from '../ext/load-port.js';
import { LSU_SIZE } from './lsu-ops.js';

/** RISC-V exception codes of a failed data access. */
const CAUSE = { loadAccessFault: 5, storeAccessFault: 7 } as const;

/** `value` rotated left by `lane` bytes. */
function rotateBytesLeft(value: Expr, lane: Expr): Expr {
  return cat(value, value).shl(cat(lane, U(0, 3))).bits(63, 32);
}

export const CoreLsu = defineModule('CoreLsu', (m) => {
  // EX: the access, with operands already forwarded; held until `ex_ready`.
  const exValid = m.input('ex_valid', UInt(1));
  const exFirst = m.input('ex_first', UInt(1));
  const we = m.input('we', UInt(1));
  const size = m.input('size', UInt(2));
  const signExt = m.input('sign_ext', UInt(1));
  const base = m.input('base', UInt(32));
  const offset = m.input('offset', UInt(32));
  const postIncrement = m.input('post_increment', UInt(1));
  const wdata = m.input('wdata', UInt(32));
  const exReady = m.output('ex_ready', UInt(1));
  // A transaction of the access in EX is granted this cycle: a split access's first half too,
  // after which the CV32E40P's EX stage already reports the instruction valid (controller.ts).
  const exGranted = m.output('ex_granted', UInt(1));
  const nextBase = m.output('next_base', UInt(32));
  // The access in EX is split and its first half is under way (the CV32E40P's data_misaligned).
  const exSplitFirst = m.output('ex_split_first', UInt(1));

  const data = dataPort(m);
  const dataWe = m.output('data_we', UInt(1));
  const dataWdata = m.output('data_wdata', UInt(32));

  // WB: the loaded value, and the faults.
  const wbValid = m.output('wb_valid', UInt(1));
  const wbRdata = m.output('wb_rdata', UInt(32));
  const wbReady = m.output('wb_ready', UInt(1));
  const exception = exceptionPort(m);

  // A granted transaction waits for its response.
  const outstanding = m.reg('outstanding_q', UInt(1), { reset: 0 });
  // That response is the first half of a split access, whose instruction is still in EX.
  const responseFirst = m.reg('response_first_q', UInt(1), { reset: 0 });
  // The instruction in EX has had its first half granted and requests its second.
  const secondQ = m.reg('second_q', UInt(1), { reset: 0 });
  // The first half of the instruction now in WB failed: its fault is reported this cycle.
  const splitFaultQ = m.reg('split_fault_q', UInt(1), { reset: 0 });
  // The instruction in WB, registered as it leaves EX; read only with its response or fault, so
  // without reset.
  const loadQ = m.reg('load_q', UInt(1));
  const sizeQ = m.reg('size_q', UInt(2));
  const signExtQ = m.reg('sign_ext_q', UInt(1));
  const laneQ = m.reg('lane_q', UInt(2));
  const splitQ = m.reg('split_q', UInt(1));
  // Bytes 1..3 of a split load's first word: the lower part of the value (byte 0 is never in it).
  const firstWordQ = m.reg('first_word_q', UInt(24));
  // The address a fault reports: that of the part of the access last granted.
  const faultAddrQ = m.reg('fault_addr_q', UInt(32));

  // --- EX: address, lanes, request ---------------------------------------------------------
  const sum = m.node('sum', base.add(offset));
  nextBase.assign(sum);
  const address = m.node('address', mux(postIncrement, base, sum));
  const lane = m.node('lane', address.bits(1, 0));
  const sizeMask = m.node('size_mask', mux(size.eq(LSU_SIZE.byte), U(0b0001, 4), mux(size.eq(LSU_SIZE.half), U(0b0011, 4), U(0b1111, 4))));
  // The bytes accessed, over the addressed word (lanes 0-3) and the next one (lanes 4-6).
  const lanes = m.node('lanes', sizeMask.zext(8).shl(lane));
  const split = m.node('split', lanes.bits(7, 4).orR());
  // The access in EX is the one that was there in the previous cycle. When the pipeline drops an
  // access after its first half (a flush), neither its second half nor a fault of its first half
  // reaches the next one.
  const continuing = m.node('continuing', exValid.and(exFirst.not()));
  const second = m.node('second', secondQ.and(continuing));
  const last = m.node('last', split.not().or(second));
  exSplitFirst.assign(exValid.and(last.not()));

  const response = m.node('response', outstanding.and(data.rvalid));
  const responseOk = m.node('response_ok', response.and(data.err.not()));
  const responseFault = m.node('response_fault', response.and(data.err));
  const splitFault = m.node('split_fault', responseFault.and(responseFirst).and(continuing));
  const portFree = m.node('port_free', splitFaultQ.not().and(outstanding.not().or(responseOk)));
  const request = m.node('request', exValid.and(portFree));
  const granted = m.node('granted', request.and(data.gnt));
  exGranted.assign(granted);
  const wordAddr = m.node('word_addr', address.bits(31, 2).add(second.zext(30)));

  data.req.assign(request);
  data.addr.assign(cat(wordAddr, U(0, 2)));
  data.be.assign(mux(second, lanes.bits(7, 4), lanes.bits(3, 0)));
  dataWe.assign(we);
  // The value's byte i goes to lane (i + lane) mod 4, in both words of a split store.
  dataWdata.assign(rotateBytesLeft(wdata, lane));
  // A first half that failed ends the access: the instruction moves on to WB, where it traps.
  exReady.assign(exValid.not().or(granted.and(last)).or(splitFault));

  const leaving = m.node('leaving', exValid.and(exReady));
  outstanding.assign(granted.or(outstanding.and(data.rvalid.not())));
  secondQ.assign(exValid.and(exReady.not()).and(second.or(granted)));
  splitFaultQ.assign(splitFault);
  m.when(granted, () => {
    responseFirst.assign(last.not());
    faultAddrQ.assign(mux(second, cat(wordAddr, U(0, 2)), address));
  });
  m.when(leaving, () => {
    loadQ.assign(we.not());
    sizeQ.assign(size);
    signExtQ.assign(signExt);
    laneQ.assign(lane);
    splitQ.assign(split);
  });
  m.when(responseOk.and(responseFirst), () => firstWordQ.assign(data.rdata.bits(31, 8)));

  // --- WB: the loaded value ------------------------------------------------------------------
  const lowerWord = m.node('lower_word', mux(splitQ, cat(firstWordQ, U(0, 8)), data.rdata));
  const aligned = m.node('aligned', cat(data.rdata, lowerWord).shr(cat(laneQ, U(0, 3))).bits(31, 0));
  const byteFill = m.node('byte_fill', signExtQ.and(aligned.bit(7)).rep(24));
  const halfFill = m.node('half_fill', signExtQ.and(aligned.bit(15)).rep(16));
  const extended = mux(
    sizeQ.eq(LSU_SIZE.byte),
    cat(byteFill, aligned.bits(7, 0)),
    mux(sizeQ.eq(LSU_SIZE.half), cat(halfFill, aligned.bits(15, 0)), aligned),
  );
  wbValid.assign(responseOk.and(responseFirst.not()).and(loadQ));
  wbRdata.assign(extended);
  wbReady.assign(outstanding.not().or(responseFirst).or(data.rvalid));
  exception.valid.assign(splitFaultQ.or(responseFault.and(responseFirst.not())));
  exception.cause.assign(mux(loadQ, U(CAUSE.loadAccessFault, 5), U(CAUSE.storeAccessFault, 5)));
  exception.tval.assign(faultAddrQ);

  return {
    exValid, exFirst, we, size, signExt, base, offset, postIncrement, wdata, exReady, exGranted, exSplitFirst, nextBase,
    dataReq: data.req, dataAddr: data.addr, dataWe, dataBe: data.be, dataWdata,
    dataGnt: data.gnt, dataRvalid: data.rvalid, dataRdata: data.rdata, dataErr: data.err,
    wbValid, wbRdata, wbReady, excValid: exception.valid, excCause: exception.cause, excTval: exception.tval,
  };
});
