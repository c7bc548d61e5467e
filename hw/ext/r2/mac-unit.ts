// The revision-2 Xnmsparse execution block (nm.mac4, nm.racc and the accumulator CSRs), behind the
// interface a CV32E40P-class pipeline offers a load unit, like the gather block of revision 1:
// decoded fields and operand values from the decode stage (rs1 = base, rs2 = offsets, rs3 =
// weights), an OBI-style data port (req/gnt, then rvalid/err/rdata), one register write-back port
// (nm.racc's rd), a CSR port, and precise exceptions.
//
// nm.mac4 selects the offset and the weight and computes the address at issue (EX); the loaded
// word meets the registered weight in the four multipliers when it returns (WB), and only a
// response without error updates the accumulators, so a faulting nm.mac4 changes nothing. One
// nm.mac4 is accepted per cycle when memory grants at once. nm.racc and CSR accesses read the
// accumulators, so they wait until no nm.mac4 is in flight (docs/isa-extension.md R2.6).
import { defineModule, type Expr, type ModuleBuilder, mux, U, UInt } from '../../hdl/index.js';
import { dataPort, exceptionPort, loadAccess } from '../load-port.js';
import { MacAccumulators } from './accumulators.js';
import { MacAddress } from './address.js';
import { MacLanes, productBits } from './lanes.js';
import { WeightSelect } from './weight.js';

/** Values of `issue_kind` (3 is unused: issued with it, nothing happens). */
export const macIssueKind = { mac4: 0, racc: 1, csr: 2 } as const;

/** The four products of a loaded word's lanes and a weight (MacLanes, or the core's multiplier lanes). */
type Multiply = (word: Expr, weight: Expr, signedAct: Expr, needed: Expr) => Expr;

/** The block around its multipliers: everything of nm.mac4, nm.racc and the CSRs but the products. */
function macBlock(m: ModuleBuilder, multiply: Multiply) {
  const issueValid = m.input('issue_valid', UInt(1));
  const issueKind = m.input('issue_kind', UInt(2));
  const issueSigned = m.input('issue_signed', UInt(1));
  const issueHalf = m.input('issue_half', UInt(1));
  const issueLane = m.input('issue_lane', UInt(2));
  const issueAcc = m.input('issue_acc', UInt(2));
  const issueRd = m.input('issue_rd', UInt(5));
  const issueCsrWrite = m.input('issue_csr_write', UInt(1));
  const opBase = m.input('op_base', UInt(32));
  const opOffsets = m.input('op_offsets', UInt(32));
  const opWeights = m.input('op_weights', UInt(32));
  const opCsrData = m.input('op_csr_data', UInt(32));
  const issueReady = m.output('issue_ready', UInt(1));

  const data = dataPort(m);

  const wbRdWe = m.output('wb_rd_we', UInt(1));
  const wbRdAddr = m.output('wb_rd_addr', UInt(5));
  const accData = m.output('acc_data', UInt(32));

  const exception = exceptionPort(m);

  const access = loadAccess(m, data, exception);
  // The rest of the in-flight nm.mac4: no reset needed, read only when its data returns.
  const weightQ = m.reg('weight_q', UInt(8));
  const signedQ = m.reg('signed_q', UInt(1));

  const addressGen = m.instance('u_address', MacAddress, {});
  addressGen.base.assign(opBase);
  addressGen.offsets.assign(opOffsets);
  addressGen.half.assign(issueHalf);
  const weightSel = m.instance('u_weight', WeightSelect, {});
  weightSel.weights.assign(opWeights);
  weightSel.lane.assign(issueLane);

  // After a fault the core flushes younger instructions, so none is accepted in that cycle.
  const macAccepting = m.node('mac_accepting', access.idle.or(access.completes));
  const isMac = m.node('is_mac', issueKind.eq(macIssueKind.mac4));
  const isRacc = m.node('is_racc', issueKind.eq(macIssueKind.racc));
  const isCsr = m.node('is_csr', issueKind.eq(macIssueKind.csr));
  // An accumulator access reads what every older nm.mac4 accumulated: none may be in flight.
  issueReady.assign(mux(isMac, macAccepting, access.idle));
  const fireMac = m.node('fire_mac', issueValid.and(isMac).and(macAccepting));
  const fireRacc = m.node('fire_racc', issueValid.and(isRacc).and(access.idle));
  const fireCsr = m.node('fire_csr', issueValid.and(isCsr).and(access.idle));
  const { start } = access.issue(fireMac, addressGen.address, addressGen.misaligned);
  data.be.assign(U(0b1111, 4));

  m.when(start, () => {
    weightQ.assign(weightSel.weight);
    signedQ.assign(issueSigned);
  });

  const accumulators = m.instance('u_acc', MacAccumulators, {});
  accumulators.accumulate.assign(access.completes);
  accumulators.products.assign(multiply(data.rdata, weightQ, signedQ, access.completes));
  accumulators.index.assign(issueAcc);
  accumulators.clear.assign(fireRacc);
  accumulators.write.assign(fireCsr.and(issueCsrWrite));
  accumulators.writeData.assign(opCsrData);

  wbRdWe.assign(fireRacc);
  wbRdAddr.assign(issueRd);
  accData.assign(accumulators.readData);

  return {
    issueValid, issueKind, issueSigned, issueHalf, issueLane, issueAcc, issueRd, issueCsrWrite,
    opBase, opOffsets, opWeights, opCsrData, issueReady,
    dataReq: data.req, dataAddr: data.addr, dataBe: data.be, dataGnt: data.gnt, dataRvalid: data.rvalid, dataErr: data.err, dataRdata: data.rdata,
    wbRdWe, wbRdAddr, accData, excValid: exception.valid, excCause: exception.cause, excTval: exception.tval,
  };
}

/** The block with its own four multipliers (MacLanes): the unit on its own, as docs/isa-extension.md R2.8 measures it. */
export const MacUnit = defineModule('MacUnit', (m) =>
  macBlock(m, (word, weight, signedAct) => {
    const lanes = m.instance('u_lanes', MacLanes, {});
    lanes.word.assign(word);
    lanes.weight.assign(weight);
    lanes.signedAct.assign(signedAct);
    return lanes.products;
  }));

/**
 * The block inside the core, which multiplies with the core multiplier's four byte lanes: in the
 * cycle an nm.mac4's data returns (`lane_busy`) it offers the loaded word, the weight and the
 * activations' signedness, and takes the four products back; the core keeps its own multiplier
 * instructions out of EX in that cycle (docs/isa-extension.md R2.6).
 */
export const MacUnitSharedLanes = defineModule('MacUnitSharedLanes', (m) => {
  const laneBusy = m.output('lane_busy', UInt(1));
  const laneWord = m.output('lane_word', UInt(32));
  const laneWeight = m.output('lane_weight', UInt(8));
  const laneSigned = m.output('lane_signed', UInt(1));
  const laneProducts = m.input('lane_products', UInt(4 * productBits));
  const io = macBlock(m, (word, weight, signedAct, needed) => {
    laneBusy.assign(needed);
    laneWord.assign(word);
    laneWeight.assign(weight);
    laneSigned.assign(signedAct);
    return laneProducts;
  });
  return { ...io, laneBusy, laneWord, laneWeight, laneSigned, laneProducts };
});
