// Area of the Xnmsparse gather block for every N:M pattern and element size, on the built-in
// gate-equivalent library (cached by content, so a repeated run is instant).
import { formatTable } from '../cli/table';
import { synthesize } from '../gen/synth/flow';
import { elaborate } from '../hw/hdl';
import { GatherUnit } from '../hw/ext/gather-unit';
import { patternName, patterns } from '../sim/ext/nm-gather';

export async function benchExtensionArea(): Promise<string> {
  const rows: string[][] = [];
  let yosys = '';
  for (const pattern of patterns) {
    const cells: string[] = [patternName(pattern)];
    for (const bytes of [1, 2] as const) {
      const params = { m: pattern.m, n: pattern.n, bytes };
      const { report } = await synthesize('nm-gather', params, elaborate(GatherUnit, params));
      yosys = report.yosys;
      cells.push(report.total.ge.toFixed(1), String(report.total.flipFlops), String(report.total.depth));
    }
    rows.push(cells);
  }
  const header = ['N:M', 'int8 GE', 'flip-flops', 'depth', 'int16 GE', 'flip-flops', 'depth'];
  return [
    `Xnmsparse gather block area (nm-gather, built-in GE library, ${yosys}; depth = cells on the longest path)`,
    formatTable(header, rows, header.map((_, i) => (i === 0 ? 'left' : 'right'))),
  ].join('\n');
}
