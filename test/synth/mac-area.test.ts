// The area report of Xnmsparse revision 2: its parts add up to the synthesized block, and on a real
// library (SG13G2, when present) the same parts come out in square micrometres.
import { expect, it } from 'vitest';
import { CV32E40P_GE, macArea, macAreaTable } from '../../gen/synth/mac-area.js';
import { sg13g2Library, sg13g2TestsRun } from './sg13g2.js';
import { useTemporaryCache } from './temp-cache.js';

useTemporaryCache();

it('reports every part of the nm-mac block and the decoder, adding up to the total, with the share of the core', async () => {
  const area = await macArea();
  expect(area.areaUnit).toBe('GE');
  expect(area.parts.reduce((sum, p) => sum + p.ge, 0)).toBeCloseTo(area.total.ge, 1);
  expect(area.parts.reduce((sum, p) => sum + p.flipFlops, 0)).toBe(area.total.flipFlops);
  // No sums of its own (they are x28..x31): the in-flight address (32), weight (8), signedness and
  // nm.mul4 bit (2) and the state (three states, which Yosys' FSM pass recodes one-hot: 3).
  expect(area.parts.find((p) => p.module === 'MacSums')!.flipFlops).toBe(0);
  expect(area.total.flipFlops).toBe(32 + 8 + 2 + 3);
  expect(area.depth).toBeGreaterThan(10);
  const table = macAreaTable(area);
  expect(table.header).toEqual(['part', 'GE', 'flip-flops', 'of core']);
  expect(table.rows.at(-1)).toEqual(['total', area.total.ge.toFixed(1), String(area.total.flipFlops), `${((100 * area.total.ge) / CV32E40P_GE).toFixed(2)}%`]);
});

it.runIf(sg13g2TestsRun)('gives the area on SG13G2 in square micrometres beside the gate equivalents', async () => {
  const [ge, real] = [await macArea(), await macArea(sg13g2Library())];
  expect(real.areaUnit).toBe('um2');
  expect(real.parts.map((p) => p.module)).toEqual(ge.parts.map((p) => p.module));
  expect(real.total.flipFlops).toBe(ge.total.flipFlops);
  expect(real.parts.reduce((sum, p) => sum + p.area, 0)).toBeCloseTo(real.total.area, 0);
  const table = macAreaTable(ge, real);
  expect(table.header.at(-1)).toBe('um2 (sg13g2_stdcell_typ_1p20V_25C)');
  expect(table.rows.at(-1)!.at(-1)).toBe(real.total.area.toFixed(1));
});
