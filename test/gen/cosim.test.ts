// The differential test: every checked design, in both emitted forms, under Icarus Verilog against
// the TypeScript simulator, every output every cycle, for a few seeds.
import { describe, expect } from 'vitest';
import { cosimulate, formatCosimReport } from '../../gen/cosim/index.js';
import { checkedDesigns, verilogForms } from './checked-designs.js';
import { itWithTools } from './needs-tools.js';

const it = itWithTools(['iverilog', 'vvp']);
const cycles = 2000;
// Several short runs: a control input held at a blocking value (stall, clear) for most of one run
// leaves the datapath idle, and a fresh seed reaches states the others did not.
const seeds = [1, 2, 3, 4, 5];

for (const checked of checkedDesigns) {
  describe(checked.label, () => {
    for (const { form, emit } of verilogForms) {
      it(`${form} Verilog matches the TypeScript simulator for ${cycles} cycles x ${seeds.length} seeds`, async () => {
        const design = checked.elaborate();
        for (const seed of seeds) {
          const report = await cosimulate(design, { cycles, seed, files: emit(design) });
          expect(report.mismatches, formatCosimReport(report)).toEqual([]);
        }
      });
    }
  });
}
