// The headline area table: the Xnmsparse gather block for every N:M pattern and element size,
// on the built-in gate-equivalent library. Shared by `npm run bench` and `nmsparse reproduce`.
import { elaborate } from '../../hw/hdl/index.js';
import { GatherUnit } from '../../hw/ext/gather-unit.js';
import { patternName, patterns } from '../../isa/xnmsparse/gather.js';
import { synthesize } from './flow.js';

export interface ExtensionAreaRow {
  readonly pattern: string;
  readonly elementBytes: 1 | 2;
  readonly ge: number;
  readonly cells: number;
  readonly flipFlops: number;
  readonly depth: number;
}

export interface ExtensionArea {
  readonly yosys: string;
  readonly library: string;
  readonly rows: readonly ExtensionAreaRow[];
}

export async function extensionArea(): Promise<ExtensionArea> {
  const rows: ExtensionAreaRow[] = [];
  let yosys = '';
  let library = '';
  for (const pattern of patterns) {
    for (const bytes of [1, 2] as const) {
      const params = { m: pattern.m, n: pattern.n, bytes };
      const { report } = await synthesize('nm-gather', params, elaborate(GatherUnit, params));
      ({ yosys } = report);
      library = report.library.name;
      const t = report.total;
      rows.push({ pattern: patternName(pattern), elementBytes: bytes, ge: Number(t.ge.toFixed(2)), cells: t.cells, flipFlops: t.flipFlops, depth: t.depth });
    }
  }
  return { yosys, library, rows };
}

/** One line per pattern, int8 and int16 side by side. */
export function extensionAreaTable(area: ExtensionArea): { title: string; header: string[]; rows: string[][] } {
  const byPattern = new Map<string, string[]>();
  for (const r of area.rows) {
    const row = byPattern.get(r.pattern) ?? [r.pattern];
    row.push(r.ge.toFixed(1), String(r.flipFlops), String(r.depth));
    byPattern.set(r.pattern, row);
  }
  return {
    title: `Xnmsparse gather block area (nm-gather, ${area.library}, ${area.yosys}; depth = cells on the longest combinational path)`,
    header: ['N:M', 'int8 GE', 'flip-flops', 'depth', 'int16 GE', 'flip-flops', 'depth'],
    rows: [...byPattern.values()],
  };
}
