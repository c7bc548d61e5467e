// Weight lane select of nm.mac4: int8 lane `lane` of rs3 (docs/isa-extension.md R2.4).
import { defineModule, mux, UInt } from '../../hdl/index.js';

export const WeightSelect = defineModule('WeightSelect', (m) => {
  const weights = m.input('weights', UInt(32));
  const lane = m.input('lane', UInt(2));
  const weight = m.output('weight', UInt(8));

  // A two-level tree, as a 4:1 multiplexer is built: bit 0 picks within each half, bit 1 the half.
  const low = mux(lane.bit(0), weights.bits(15, 8), weights.bits(7, 0));
  const high = mux(lane.bit(0), weights.bits(31, 24), weights.bits(23, 16));
  weight.assign(mux(lane.bit(1), high, low));
  return { weights, lane, weight };
});
