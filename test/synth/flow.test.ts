// The synthesis flow on the built-in gate-equivalent library and on the SG13G2 library of shared/.
import { describe, expect, it } from 'vitest';
import { geLibrary, LibertyError, readLiberty } from '../../gen/synth/liberty.js';
import { ltpDepths, synthesize } from '../../gen/synth/flow.js';
import type { SynthReport } from '../../gen/synth/report.js';
import { elaborate } from '../../hw/hdl/index.js';
import { Counter } from '../../hw/examples/counter.js';
import { GatherUnit } from '../../hw/ext/gather-unit.js';
import { sg13g2Library, sg13g2TestsRun } from './sg13g2.js';
import { useTemporaryCache } from './temp-cache.js';

useTemporaryCache();

/** The design total must be the sum of each module's own logic times its instance count. */
function expectConsistent(r: SynthReport): void {
  const sum = (f: (m: SynthReport['modules'][number]) => number): number => r.modules.reduce((acc, m) => acc + f(m) * m.instances, 0);
  expect(sum((m) => m.area)).toBeCloseTo(r.total.area, 3);
  expect(sum((m) => m.flipFlops)).toBe(r.total.flipFlops);
  expect(sum((m) => m.cells)).toBe(r.total.cells);
  for (const m of [...r.modules, r.total]) expect(Object.values(m.cellsByType).reduce((a, b) => a + b, 0)).toBe(m.cells);
}

describe('gate-equivalent library', () => {
  it('uses the customary ratios, NAND2 = 1 GE', () => {
    const lib = readLiberty(geLibrary(), 'built-in');
    const area = (name: string): number => lib.cells.get(name)!.area;
    expect(lib.nand2Area).toBe(1);
    expect([area('INV'), area('AND2'), area('XOR2'), area('AOI21'), area('MUX2'), area('DFF'), area('DFFR')]).toEqual([0.67, 1.33, 2.0, 1.33, 2.33, 4.67, 6.0]);
    expect([...lib.cells.values()].filter((c) => c.sequential).map((c) => c.name)).toEqual(['DFF', 'DFFR']);
  });

  it('refuses files that cannot define a gate equivalent, naming the file', () => {
    expect(() => readLiberty('module x; endmodule', 'x.v')).toThrow(new LibertyError("x.v: no 'library (...) { ... }' group: not a Liberty file"));
    expect(() => readLiberty('library (empty) { }', 'e.lib')).toThrow("e.lib: library 'empty' defines no cells");
    const noNand = 'library (l) { cell (INV) { area : 1; pin (A) { direction : input; } pin (Y) { direction : output; function : "!A"; } } }';
    expect(() => readLiberty(noNand, 'l.lib')).toThrow('has no two-input NAND');
  });
});

describe('synthesize', () => {
  it('maps a counter: one flip-flop per state bit, consistent totals, cached on repeat', async () => {
    const design = elaborate(Counter, { width: 8 });
    const first = await synthesize('counter', { width: 8 }, design);
    expect(first.cached).toBe(false);
    expect(first.report.total.flipFlops).toBe(8);
    expect(first.report.total.ge).toBeGreaterThan(8 * 4.67);
    expect(first.report.library.areaUnit).toBe('GE');
    // Depth counts combinational cells between flip-flops; measured through them it was 33 of 34 cells.
    expect(first.report.total.depth).toBeLessThan(first.report.total.cells - first.report.total.flipFlops);
    expectConsistent(first.report);
    const again = await synthesize('counter', { width: 8 }, design);
    expect(again.cached).toBe(true);
    expect(again.report).toEqual(first.report);
  });

  it('reports the gather block per submodule', async () => {
    const { report } = await synthesize('nm-gather', { m: 8, n: 1, bytes: 1 }, elaborate(GatherUnit, { m: 8, n: 1, bytes: 1 }));
    expect(report.modules.map((m) => m.module)).toEqual(['IndexDecompressor_m8', 'GatherAddress_bytes1_m8_n1', 'LaneInserter_bytes1', 'GatherUnit_bytes1_m8_n1']);
    expectConsistent(report);
    // The 32-bit adder is the longest path: the whole block is deeper than the address generator alone.
    const address = report.modules.find((m) => m.module.startsWith('GatherAddress'))!;
    expect(report.total.depth).toBeGreaterThanOrEqual(address.depth);
  });

  it('counts depth on the built-in library as a real library would, without ripple chains of 2-input gates', async () => {
    // A 32-bit increment needs no 32-cell carry chain: 7 cells on SG13G2; 16 when the library had
    // only 2-input gates, and far more when the path ran on through the flip-flops.
    const { report } = await synthesize('counter', { width: 32 }, elaborate(Counter, { width: 32 }));
    expect(report.total.depth).toBeGreaterThan(2);
    expect(report.total.depth).toBeLessThanOrEqual(10);
  });

  it('refuses a depth that Yosys measured around a loop (through a flip-flop not described as one)', () => {
    const ltp = ['Warning: Detected loop at $abc$193$new_n25 in Counter_width4', 'Longest topological path in Counter_width4 (length=13):'].join('\n');
    expect(() => ltpDepths(ltp, 'cells.lib')).toThrow(LibertyError);
    expect(() => ltpDepths(ltp, 'cells.lib')).toThrow('cells.lib: a path in module Counter_width4 loops back through $abc$193$new_n25: a flip-flop or latch of the library is not described as one');
    expect(ltpDepths('Longest topological path in \\Counter_width4 (length=4):', 'cells.lib')).toEqual(new Map([['Counter_width4', 4]]));
  });

  it.runIf(sg13g2TestsRun)('agrees with SG13G2 on logic depth within a factor of two', async () => {
    const lib = sg13g2Library();
    const cases = [
      ['counter', { width: 32 }, elaborate(Counter, { width: 32 })],
      ['nm-gather', { m: 16, n: 1, bytes: 1 }, elaborate(GatherUnit, { m: 16, n: 1, bytes: 1 })],
    ] as const;
    for (const [name, params, design] of cases) {
      const real = (await synthesize(name, params, design, lib)).report.total.depth;
      const ge = (await synthesize(name, params, design)).report.total.depth;
      expect(ge, name).toBeGreaterThanOrEqual(real / 2);
      expect(ge, name).toBeLessThanOrEqual(real * 2);
    }
  });

  it('says what the SG13G2 file is and where to get it when it is missing', () => {
    expect(() => sg13g2Library('/nowhere/sg13g2.lib')).toThrow(
      /the SG13G2 Liberty file \/nowhere\/sg13g2\.lib is missing\. It is sg13g2_stdcell_typ_1p20V_25C\.lib from IHP's open PDK \(https:\/\/github\.com\/IHP-GmbH\/IHP-Open-PDK.*CI runs from a checkout beside shared\/.*without CI=true/,
    );
  });

  it.runIf(sg13g2TestsRun)('maps onto the SG13G2 130 nm library in square micrometres', async () => {
    const lib = sg13g2Library();
    const params = { m: 16, n: 1, bytes: 1 } as const;
    const design = elaborate(GatherUnit, params);
    const { report } = await synthesize('nm-gather', params, design, lib);
    const ge = await synthesize('nm-gather', params, design);
    expect(report.library).toMatchObject({ name: 'sg13g2_stdcell_typ_1p20V_25C', areaUnit: 'um2', nand2Area: 7.2576 });
    expect(report.total.ge).toBeCloseTo(report.total.area / 7.2576, 6);
    expect(report.total.flipFlops).toBe(ge.report.total.flipFlops);
    expect(Object.keys(report.total.cellsByType).every((c) => c.startsWith('sg13g2_'))).toBe(true);
    expectConsistent(report);
  });
});
