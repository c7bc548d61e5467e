// The area of Xnmsparse revision 2: the nm-mac block and the decoder, part by part, on the
// built-in gate-equivalent library and, when the user gives one, on a real Liberty library; with
// the share of a CV32E40P core. Shared by `npm run bench` and `nmsparse reproduce`.
import { elaborate } from '../../hw/hdl/index.js';
import { MacDecoder } from '../../hw/ext/r2/decoder.js';
import { MacUnit } from '../../hw/ext/r2/mac-unit.js';
import { geLibraryChoice, type LibraryChoice, synthesize } from './flow.js';
import type { ModuleReport } from './report.js';

/** Area of a CV32E40P core (RV32IMFCXpulp without the FPU), in GE, as its documentation gives it. */
export const CV32E40P_GE = 67_900;
/** The area set for revision 2: 3% of the core (docs/isa-extension.md R2.8 says how far it is over). */
export const MAC_BUDGET_GE = 2_000;

/** Each module of the block, with what it holds. */
const parts: readonly { readonly module: string; readonly part: string }[] = [
  { module: 'MacDecoder', part: 'decoder (decode stage)' },
  { module: 'MacAddress', part: 'offset select and address adder' },
  { module: 'WeightSelect', part: 'weight lane select' },
  { module: 'MacLanes', part: 'four 9 x 8-bit multipliers' },
  { module: 'MacSums', part: 'four 32-bit sum adders (x28..x31 + product)' },
  { module: 'MacUnit', part: 'control, in-flight address and weight' },
];

export interface MacAreaPart {
  readonly part: string;
  readonly module: string;
  /** In the library's unit. */
  readonly area: number;
  readonly ge: number;
  readonly flipFlops: number;
}

export interface MacArea {
  readonly yosys: string;
  readonly library: string;
  readonly areaUnit: string;
  readonly parts: readonly MacAreaPart[];
  readonly total: { readonly area: number; readonly ge: number; readonly flipFlops: number; readonly cells: number };
  /** Cells on the longest combinational path of the nm-mac block. */
  readonly depth: number;
}

const round = (x: number): number => Number(x.toFixed(2));

/** Synthesizes nm-mac and nm-mac-decoder on `library` (the built-in GE library unless given). */
export async function macArea(library: LibraryChoice = geLibraryChoice): Promise<MacArea> {
  const unit = (await synthesize('nm-mac', {}, elaborate(MacUnit, {}), library)).report;
  const decoder = (await synthesize('nm-mac-decoder', {}, elaborate(MacDecoder, {}), library)).report;
  const modules = new Map<string, ModuleReport>([...unit.modules, ...decoder.modules].map((m) => [m.module, m]));
  const rows = parts.map(({ module, part }) => {
    const m = modules.get(module);
    if (!m) throw new Error(`internal: module ${module} is not in the synthesized nm-mac block`);
    return { part, module, area: round(m.area), ge: round(m.ge), flipFlops: m.flipFlops };
  });
  const sum = (f: (t: typeof unit.total) => number): number => f(unit.total) + f(decoder.total);
  return {
    yosys: unit.yosys,
    library: unit.library.name,
    areaUnit: unit.library.areaUnit,
    parts: rows,
    total: { area: round(sum((t) => t.area)), ge: round(sum((t) => t.ge)), flipFlops: sum((t) => t.flipFlops), cells: sum((t) => t.cells) },
    depth: unit.total.depth,
  };
}

const percentOfCore = (ge: number): string => `${((100 * ge) / CV32E40P_GE).toFixed(2)}%`;

/**
 * One line per part: GE, flip-flops and the share of the core, plus the area on `real` (a real
 * library's synthesis of the same block) when there is one.
 */
export function macAreaTable(ge: MacArea, real?: MacArea): { title: string; header: string[]; rows: string[][] } {
  const realColumn = real ? [`${real.areaUnit} (${real.library})`] : [];
  const line = (part: string, g: { ge: number; flipFlops: number }, r?: { area: number }): string[] => [
    part, g.ge.toFixed(1), String(g.flipFlops), percentOfCore(g.ge), ...(r ? [r.area.toFixed(1)] : []),
  ];
  return {
    title:
      `Xnmsparse revision 2 area (nm-mac + nm-mac-decoder, ${ge.library}, ${ge.yosys}; longest combinational path ${ge.depth} cells; ` +
      `share of a ${(CV32E40P_GE / 1000).toFixed(1)} kGE CV32E40P; budget ${(MAC_BUDGET_GE / 1000).toFixed(0)} kGE)`,
    header: ['part', 'GE', 'flip-flops', 'of core', ...realColumn],
    rows: [
      ...ge.parts.map((p, i) => line(p.part, p, real?.parts[i])),
      line('total', ge.total, real?.total),
    ],
  };
}
