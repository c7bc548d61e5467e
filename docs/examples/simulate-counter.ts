// README tutorial: elaborate the counter, simulate it, trace a waveform.
// Run with: npx tsx docs/examples/simulate-counter.ts
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { Counter } from '../../hw/examples/counter.js';

const sim = new RtlSimulator(elaborate(Counter, { width: 4 }));
const trace = sim.traceVcd('counter.vcd');
sim.reset();
sim.poke('enable', 1);
for (let cycle = 0; cycle < 18; cycle++) {
  if (sim.peek('wrap')) console.log(`cycle ${sim.cycle}: count=${sim.peek('count')} wraps`);
  sim.step();
}
console.log(`after ${sim.cycle} cycles: count=${sim.peek('count')}`);
trace.close();
