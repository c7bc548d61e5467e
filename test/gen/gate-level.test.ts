// Gate-level differential test: every checked design synthesized by Yosys, the netlist simulated by
// Icarus Verilog against the TypeScript simulator, every output every cycle.
import { describe, expect } from 'vitest';
import { cosimulate, formatCosimReport } from '../../gen/cosim/index.js';
import { synthesizedNetlist } from '../../gen/cosim/gate-level.js';
import { checkedDesigns } from './checked-designs.js';
import { itWithTools } from './needs-tools.js';

const it = itWithTools(['iverilog', 'vvp']);
const cycles = 2000;
const seeds = [1, 2];

for (const checked of checkedDesigns) {
  describe(checked.label, () => {
    it(`synthesized netlist matches the TypeScript simulator for ${cycles} cycles x ${seeds.length} seeds`, async () => {
      const design = checked.elaborate();
      const netlist = await synthesizedNetlist(design);
      for (const seed of seeds) {
        const report = await cosimulate(design, { cycles, seed, files: [netlist] });
        expect(report.mismatches, formatCosimReport(report)).toEqual([]);
      }
    });
  });
}
