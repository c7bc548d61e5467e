// The revision-2 Xnmsparse execution block on its own (nm.mac4.u/.s, nm.mul4.u/.s), behind the
// interface a CV32E40P-class pipeline offers a load unit, like the gather block of revision 1:
// decoded fields and operand values from the decode stage (rs1 = base, rs2 = offsets, rs3 =
// weights), an OBI-style data port (req/gnt, then rvalid/err/rdata), precise exceptions, and a
// port to the four sum registers x28..x31 of the register file (`sums` in, `next_sums` with
// `sums_we` out). It holds no sums of its own: docs/isa-extension.md R2.4.
//
// The block selects the offset and the weight and computes the address at issue (EX); the loaded
// word meets the registered weight in the four multipliers when it returns (WB), where the sum
// adders add the products to x28..x31 (or to zero for nm.mul4); only a response without error
// writes them, so a faulting instruction changes no register. One instruction is accepted per
// cycle when memory grants at once. Inside the core the load-store unit, the multiplier's byte
// lanes and the register file's sum port do this work instead (hw/core/core.ts).
import { defineModule, UInt, U } from '../../hdl/index.js';
import { dataPort, exceptionPort, loadAccess } from '../load-port.js';
import { MacAddress } from './address.js';
import { MacLanes } from './lanes.js';
import { MacSums, SUM_BUS_BITS } from './sums.js';
import { WeightSelect } from './weight.js';

export const MacUnit = defineModule('MacUnit', (m) => {
  const issueValid = m.input('issue_valid', UInt(1));
  const issueSigned = m.input('issue_signed', UInt(1));
  const issueStart = m.input('issue_start', UInt(1));
  const issueHalf = m.input('issue_half', UInt(1));
  const issueLane = m.input('issue_lane', UInt(2));
  const opBase = m.input('op_base', UInt(32));
  const opOffsets = m.input('op_offsets', UInt(32));
  const opWeights = m.input('op_weights', UInt(32));
  const issueReady = m.output('issue_ready', UInt(1));

  const data = dataPort(m);

  const sums = m.input('sums', UInt(SUM_BUS_BITS));
  const sumsWe = m.output('sums_we', UInt(1));
  const nextSums = m.output('next_sums', UInt(SUM_BUS_BITS));

  const exception = exceptionPort(m);

  const access = loadAccess(m, data, exception);
  // The rest of the instruction in flight: no reset needed, read only when its data returns.
  const weightQ = m.reg('weight_q', UInt(8));
  const signedQ = m.reg('signed_q', UInt(1));
  const startQ = m.reg('start_q', UInt(1));

  const addressGen = m.instance('u_address', MacAddress, {});
  addressGen.base.assign(opBase);
  addressGen.offsets.assign(opOffsets);
  addressGen.half.assign(issueHalf);
  const weightSel = m.instance('u_weight', WeightSelect, {});
  weightSel.weights.assign(opWeights);
  weightSel.lane.assign(issueLane);

  // After a fault the core flushes younger instructions, so none is accepted in that cycle.
  const accepting = m.node('accepting', access.idle.or(access.completes));
  issueReady.assign(accepting);
  const { start } = access.issue(m.node('fire', issueValid.and(accepting)), addressGen.address, addressGen.misaligned);
  data.be.assign(U(0b1111, 4));
  m.when(start, () => {
    weightQ.assign(weightSel.weight);
    signedQ.assign(issueSigned);
    startQ.assign(issueStart);
  });

  const lanes = m.instance('u_lanes', MacLanes, {});
  lanes.word.assign(data.rdata);
  lanes.weight.assign(weightQ);
  lanes.signedAct.assign(signedQ);
  const adders = m.instance('u_sums', MacSums, {});
  adders.sums.assign(sums);
  adders.products.assign(lanes.products);
  adders.start.assign(startQ);
  adders.add.assign(access.completes);
  sumsWe.assign(access.completes);
  nextSums.assign(adders.nextSums);

  return {
    issueValid, issueSigned, issueStart, issueHalf, issueLane, opBase, opOffsets, opWeights, issueReady,
    dataReq: data.req, dataAddr: data.addr, dataBe: data.be, dataGnt: data.gnt, dataRvalid: data.rvalid, dataErr: data.err, dataRdata: data.rdata,
    sums, sumsWe, nextSums, excValid: exception.valid, excCause: exception.cause, excTval: exception.tval,
  };
});
