// The TypeScript side of the differential test: the same stimulus through the HDL's own simulator.
import { fromBits } from '../../hw/hdl/types.js';
import type { Design } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import type { Stimulus } from './stimulus.js';

/** Per cycle, the unsigned bit pattern of every output of the top module, sampled before the clock edge. */
export function runReference(design: Design, stimulus: Stimulus): bigint[][] {
  const sim = new RtlSimulator(design);
  const outputs = design.top.ports.filter((p) => p.role === 'output').map((p) => p.name);
  return stimulus.rows.map((row) => {
    // Signed inputs go in as (possibly negative) values, the way a test author writes them.
    row.forEach((bits, i) => {
      const input = stimulus.inputs[i]!;
      sim.poke(input.name, fromBits(bits, input.type));
    });
    const values = outputs.map((name) => sim.peekBig(name));
    sim.step();
    return values;
  });
}
