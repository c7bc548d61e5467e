// The synthesis flow on the built-in gate-equivalent library and on the SG13G2 library of shared/.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { geLibrary, LibertyError, readLiberty } from '../../gen/synth/liberty.js';
import { synthesize } from '../../gen/synth/flow.js';
import type { SynthReport } from '../../gen/synth/report.js';
import { elaborate } from '../../hw/hdl/index.js';
import { Counter } from '../../hw/examples/counter.js';
import { GatherUnit } from '../../hw/ext/gather-unit.js';
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

  const pdk = path.resolve(__dirname, '../../../shared/pdk/sg13g2_stdcell_typ_1p20V_25C.lib');
  const pdkPresent = existsSync(pdk);
  if (!pdkPresent && process.env.CI === 'true') throw new Error(`CI needs the SG13G2 Liberty file at ${pdk}`);
  it.skipIf(!pdkPresent)('maps onto the SG13G2 130 nm library in square micrometres', async () => {
    const params = { m: 16, n: 1, bytes: 1 } as const;
    const design = elaborate(GatherUnit, params);
    const lib = { text: readFileSync(pdk, 'utf8'), origin: pdk, areaUnit: 'um2' };
    const { report } = await synthesize('nm-gather', params, design, lib);
    const ge = await synthesize('nm-gather', params, design);
    expect(report.library).toMatchObject({ name: 'sg13g2_stdcell_typ_1p20V_25C', areaUnit: 'um2', nand2Area: 7.2576 });
    expect(report.total.ge).toBeCloseTo(report.total.area / 7.2576, 6);
    expect(report.total.flipFlops).toBe(ge.report.total.flipFlops);
    expect(Object.keys(report.total.cellsByType).every((c) => c.startsWith('sg13g2_'))).toBe(true);
    expectConsistent(report);
  });
});
