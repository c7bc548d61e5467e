// The Xnmsparse execution block, behind the interface a CV32E40P-class pipeline offers a load unit:
// decoded fields and operand values from the decode stage (rs1 = base, rs2 = indices, rd = lanes to
// keep), an OBI-style data port (req/gnt, then rvalid/err/rdata), two register write-back ports
// (rd through the load port, rs2 through the ALU port), and precise exceptions.
//
// One gather is accepted per cycle when memory grants at once: a new instruction issues in the cycle
// the previous one's data returns. Both register writes happen only when the data returns without
// error, so a faulting gather changes no register (docs/isa-extension.md §4).
import { defineModule, mux, U, UInt } from '../hdl/index.js';
import { dataPort, exceptionPort, loadAccess } from './load-port.js';
import { GatherAddress } from './address.js';
import { IndexDecompressor } from './decompressor.js';
import { type GatherFormat, laneWidth } from './format.js';
import { LaneInserter } from './lane.js';

export const GatherUnit = defineModule('GatherUnit', (m, p: GatherFormat) => {
  const issueValid = m.input('issue_valid', UInt(1));
  const issueLane = m.input('issue_lane', UInt(laneWidth(p)));
  const issueConsume = m.input('issue_consume', UInt(1));
  const issueRd = m.input('issue_rd', UInt(5));
  const issueRs2 = m.input('issue_rs2', UInt(5));
  const opBase = m.input('op_base', UInt(32));
  const opIndices = m.input('op_indices', UInt(32));
  const opOld = m.input('op_old', UInt(32));
  const issueReady = m.output('issue_ready', UInt(1));

  const data = dataPort(m);

  const wbRdWe = m.output('wb_rd_we', UInt(1));
  const wbRdAddr = m.output('wb_rd_addr', UInt(5));
  const wbRdData = m.output('wb_rd_data', UInt(32));
  const wbRs2We = m.output('wb_rs2_we', UInt(1));
  const wbRs2Addr = m.output('wb_rs2_addr', UInt(5));
  const wbRs2Data = m.output('wb_rs2_data', UInt(32));

  const exception = exceptionPort(m);

  const access = loadAccess(m, data, exception);
  // The rest of the in-flight gather: no reset needed, read only when its data returns.
  const oldQ = m.reg('old_q', UInt(32));
  const laneQ = m.reg('lane_q', UInt(laneWidth(p)));
  const rdQ = m.reg('rd_q', UInt(5));
  const rs2Q = m.reg('rs2_q', UInt(5));
  const restQ = m.reg('rest_q', UInt(32));
  const consumeQ = m.reg('consume_q', UInt(1));

  const decompressor = m.instance('u_decompressor', IndexDecompressor, { m: p.m });
  decompressor.indices.assign(opIndices);
  const addressGen = m.instance('u_address', GatherAddress, p);
  addressGen.base.assign(opBase);
  addressGen.index.assign(decompressor.index);
  addressGen.lane.assign(issueLane);

  // After a fault the core flushes younger instructions, so none is accepted in that cycle.
  const accepting = m.node('accepting', access.idle.or(access.completes));
  const fire = m.node('fire', issueValid.and(accepting));
  issueReady.assign(accepting);
  const { start, address } = access.issue(fire, addressGen.address, addressGen.misaligned);
  const byteEnables = p.bytes === 1 ? U(1, 4).shl(address.bits(1, 0).zext(4)) : mux(address.bit(1), U(0b1100, 4), U(0b0011, 4));
  data.be.assign(byteEnables);

  m.when(start, () => {
    oldQ.assign(opOld);
    laneQ.assign(issueLane);
    rdQ.assign(issueRd);
    rs2Q.assign(issueRs2);
    restQ.assign(decompressor.rest);
    consumeQ.assign(issueConsume);
  });

  const inserter = m.instance('u_lane', LaneInserter, { bytes: p.bytes });
  inserter.word.assign(oldQ);
  inserter.rdata.assign(data.rdata);
  inserter.offset.assign(access.addrQ.bits(1, 0));
  inserter.lane.assign(laneQ);

  wbRdWe.assign(access.completes);
  wbRdAddr.assign(rdQ);
  wbRdData.assign(inserter.result);
  wbRs2We.assign(access.completes.and(consumeQ));
  wbRs2Addr.assign(rs2Q);
  wbRs2Data.assign(restQ);
  return {
    issueValid, issueLane, issueConsume, issueRd, issueRs2, opBase, opIndices, opOld, issueReady,
    dataReq: data.req, dataAddr: data.addr, dataBe: data.be, dataGnt: data.gnt, dataRvalid: data.rvalid, dataErr: data.err, dataRdata: data.rdata,
    wbRdWe, wbRdAddr, wbRdData, wbRs2We, wbRs2Addr, wbRs2Data, excValid: exception.valid, excCause: exception.cause, excTval: exception.tval,
  };
});
