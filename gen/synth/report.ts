// Synthesis results: per module (its own cells, without its children) and for the whole design,
// in the library's area unit and in gate equivalents. Rendered as an aligned text table, Markdown
// or JSON.
import { figuresAlign, markdownTable } from '../text-table.js';

export interface AreaFigures {
  readonly cells: number;
  readonly flipFlops: number;
  /** In the library's unit (GE for the built-in library, usually square micrometres otherwise). */
  readonly area: number;
  /** area / (area of the library's smallest NAND2). */
  readonly ge: number;
  /**
   * Cells on the longest combinational path (from an input or a flip-flop to an output or a
   * flip-flop), through the module and its children: Yosys `ltp` over every cell but the library's
   * flip-flops and latches.
   */
  readonly depth: number;
  readonly cellsByType: Readonly<Record<string, number>>;
}

export interface ModuleReport extends AreaFigures {
  readonly module: string;
  /** Times the module appears in the design's hierarchy. */
  readonly instances: number;
}

export interface SynthReport {
  readonly design: string;
  readonly params: Readonly<Record<string, number | boolean | string>>;
  readonly top: string;
  readonly library: { readonly name: string; readonly areaUnit: string; readonly nand2Area: number };
  readonly yosys: string;
  /** Each module's own logic, children first, the top last. */
  readonly modules: readonly ModuleReport[];
  /** Everything, children included. */
  readonly total: AreaFigures;
}

/** What the columns of a report mean, printed under it. */
export const reportFootnote = "cells and area: each module's own logic; depth: cells on the longest combinational path (from an input or a flip-flop to an output or a flip-flop) through the module and its children";

const fixed = (v: number, digits = 1): string => v.toFixed(digits);

function rows(r: SynthReport): string[][] {
  const showUnit = r.library.areaUnit !== 'GE';
  const line = (name: string, instances: string, f: AreaFigures): string[] => [
    name,
    instances,
    String(f.cells),
    String(f.flipFlops),
    ...(showUnit ? [fixed(f.area)] : []),
    fixed(f.ge),
    String(f.depth),
  ];
  return [...r.modules.map((m) => line(m.module, String(m.instances), m)), line('total', '', r.total)];
}

function header(r: SynthReport): string[] {
  const unit = r.library.areaUnit !== 'GE' ? [`area (${r.library.areaUnit})`] : [];
  return ['module', 'instances', 'cells', 'flip-flops', ...unit, 'area (GE)', 'depth'];
}

export function title(r: SynthReport): string {
  const params = Object.entries(r.params).map(([k, v]) => `${k}=${v}`).join(' ');
  return `${r.design}${params ? ` (${params})` : ''}, top ${r.top}, library ${r.library.name}${r.library.areaUnit !== 'GE' ? ` (1 GE = NAND2 = ${r.library.nand2Area} ${r.library.areaUnit})` : ''}, ${r.yosys}`;
}

export function reportMarkdown(r: SynthReport): string {
  const h = header(r);
  return [`**${title(r)}**`, '', markdownTable(h, rows(r), figuresAlign(h))].join('\n');
}

export function reportRows(r: SynthReport): { header: string[]; rows: string[][] } {
  return { header: header(r), rows: rows(r) };
}
