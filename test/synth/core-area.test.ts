// The core's area report: its units add up to the synthesized core without and with Xnmsparse, the
// extension's block appears only in the second, the overhead is the difference; and on a real
// library (SG13G2) the same units come out in square micrometres.
import { expect, it } from 'vitest';
import { coreArea, coreAreaTable, CV32E40P_TOTAL_KGE, extensionOverhead } from '../../gen/synth/core-area.js';
import { sg13g2Library, sg13g2TestsRun } from './sg13g2.js';
import { useTemporaryCache } from './temp-cache.js';

useTemporaryCache();

const SYNTHESIS = { timeout: 900_000 };

it('splits the core into the CV32E40P units, adding up to the totals, and gives the extension overhead', SYNTHESIS, async () => {
  const area = await coreArea();
  expect(area.areaUnit).toBe('GE');
  expect(area.units.reduce((sum, u) => sum + u.plain, 0)).toBeCloseTo(area.plain.ge, -1);
  expect(area.units.reduce((sum, u) => sum + u.extended, 0)).toBeCloseTo(area.extended.ge, -1);
  const block = area.units.find((u) => u.unit.startsWith('Xnmsparse'))!;
  expect(block.plain).toBe(0);
  expect(block.extended).toBeGreaterThan(1000);
  expect(area.units.reduce((sum, u) => sum + u.cv32e40pKge, 0)).toBeCloseTo(CV32E40P_TOTAL_KGE, 5);
  const overhead = extensionOverhead(area);
  expect(overhead.ge).toBeCloseTo(area.extended.ge - area.plain.ge, 0);
  const table = coreAreaTable(area);
  expect(table.rows.at(-1)![0]).toBe('total');
  expect(table.notes[0]).toContain(`${overhead.percent.toFixed(2)}% of the core`);
});

it.runIf(sg13g2TestsRun)('gives the core unit by unit on SG13G2 in square micrometres', SYNTHESIS, async () => {
  const real = await coreArea(sg13g2Library());
  expect(real.areaUnit).toBe('um2');
  expect(real.plain.area).toBeGreaterThan(100_000);
  expect(real.extended.area).toBeGreaterThan(real.plain.area);
  // Units in gate equivalents of the library's own NAND2, adding up as on the GE library.
  expect(real.units.reduce((sum, u) => sum + u.plain, 0)).toBeCloseTo(real.plain.ge, -1);
  const block = real.units.find((u) => u.unit.startsWith('Xnmsparse'))!;
  expect([block.plain, block.extended > 1000]).toEqual([0, true]);
});
