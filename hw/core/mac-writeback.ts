// nm.mac4 / nm.mul4 (Xnmsparse revision 2, docs/isa-extension.md R2.6) in the core's pipeline,
// past the load-store unit that performs their load: the weight they take from rs3 in EX, kept
// with the signedness and the nm.mul4 bit while the instruction is in WB; there, when the word
// arrives, the multiplier's four byte lanes multiply it (the `lane_*` signals, which the core
// routes to CoreMultiplier's `mac_*` ports; the multiplier's op is still the nm.mac4's, control.ts
// mult_op) and the four sum adders add the products to x28..x31,
// which the register file's sum port reads and writes. No sum is forwarded: the hazard rule keeps
// every instruction naming x28..x31 in decode meanwhile (hazards.ts, sumStall).
import { type Expr, type ModuleBuilder, UInt } from '../hdl/index.js';
import { productBits } from '../ext/r2/lanes.js';
import { MacSums, SUM_BUS_BITS } from '../ext/r2/sums.js';
import { WeightSelect } from '../ext/r2/weight.js';
import { SUM_COUNT } from '../../isa/xnmsparse/mac.js';

export interface MacWritebackInputs {
  /** An nm.mac4 leaves EX for WB, its load granted. */
  readonly leaves: Expr;
  /** rs3 and the weight lane of the nm.mac4 in EX. */
  readonly weights: Expr;
  readonly lane: Expr;
  readonly signedAct: Expr;
  /** nm.mul4: the sums start from zero. */
  readonly start: Expr;
  /** WB is done with its instruction this cycle (the load-store unit's wb_ready). */
  readonly wbReady: Expr;
  /** The load of the instruction in WB returned without error (the load-store unit's wb_valid). */
  readonly returned: Expr;
  /** The data port's read data. */
  readonly word: Expr;
}

export function macWriteback(m: ModuleBuilder, i: MacWritebackInputs) {
  const weightSel = m.instance('u_mac_weight', WeightSelect, {});
  weightSel.weights.assign(i.weights);
  weightSel.lane.assign(i.lane);
  // An nm.mac4 is in WB; the rest is read only while it is, so needs no reset.
  const wbMac = m.reg('wb_mac', UInt(1), { reset: 0 });
  const weightQ = m.reg('mac_weight_q', UInt(8));
  const signedQ = m.reg('mac_signed_q', UInt(1));
  const startQ = m.reg('mac_start_q', UInt(1));
  m.when(i.leaves, () => {
    wbMac.assign(1);
    weightQ.assign(weightSel.weight);
    signedQ.assign(i.signedAct);
    startQ.assign(i.start);
  }).elseWhen(i.wbReady, () => wbMac.assign(0));

  // The lanes are taken for the whole of the nm.mac4's WB, not just the cycle its data returns: the
  // select then comes from a flip-flop, and the core's longest path (the multiplier's, into the
  // forwarding of its result) does not start at data_rvalid. Only a memory that answers later
  // than the cycle after the grant, which the ISS does not model, holds a multiplier instruction
  // in EX for longer.
  const laneBusy = wbMac;
  const products = m.wire('mac_products', UInt(SUM_COUNT * productBits));
  const current = m.wire('mac_sums', UInt(SUM_BUS_BITS));
  const adders = m.instance('u_mac_sums', MacSums, {});
  adders.sums.assign(current);
  adders.products.assign(products);
  adders.start.assign(startQ);
  const sumsWe = m.node('mac_sums_we', wbMac.and(i.returned));
  adders.add.assign(sumsWe);
  return {
    wbMac,
    laneBusy,
    laneWord: i.word,
    laneWeight: weightQ as Expr,
    laneSigned: signedQ as Expr,
    /** Assign: the four products of the multiplier's lanes. */
    products,
    /** Assign: x28..x31 from the register file's sum port. */
    current,
    /** The nm.mac4 in WB adds its products this cycle. */
    sumsWe,
    /** x28..x31 after this cycle: the sums unchanged unless `sumsWe`. */
    nextSums: adders.nextSums,
  };
}
