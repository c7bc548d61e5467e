// The area of the project's core (hw/core/), unit by unit, without and with Xnmsparse revision 2,
// beside the CV32E40P v2's own units (docs/core.md#area): what the extension costs inside a real
// pipeline (its block plus the decoder, CSR and operand logic it adds), in GE and in percent of the
// core, and whether it lengthens the longest combinational path. Shared by `nmsparse synth core`
// and `nmsparse reproduce`.
import { Core } from '../../hw/core/core.js';
import { elaborate } from '../../hw/hdl/index.js';
import { geLibraryChoice, type LibraryChoice, synthesize } from './flow.js';
import type { SynthReport } from './report.js';

/** A unit of the comparison: its name, the CV32E40P v2's area for it (kGE), and our modules in it. */
interface UnitDef {
  readonly unit: string;
  readonly cv32e40pKge: number;
  /** Module base names (the part before the parameter suffix). */
  readonly modules: readonly string[];
}

/**
 * CV32E40P v2 (RV32IMC + Xpulp, no FPU) by unit, kGE with the project's GE ratios (docs/core.md#area).
 * Its listed units sum to 63.9 of its 67.9 kGE; the rest (pipeline registers between the stages,
 * operand and forwarding multiplexers, the interrupt and debug logic) is the "pipeline" row.
 */
export const CV32E40P_TOTAL_KGE = 67.9;
const UNITS: readonly UnitDef[] = [
  { unit: 'register file (3 read, 2 write ports)', cv32e40pKge: 17.7, modules: ['RegFile'] },
  { unit: 'multiplier and dot-product units', cv32e40pKge: 19.2, modules: ['CoreMultiplier'] },
  { unit: 'ALU and divider', cv32e40pKge: 8.0, modules: ['CoreAlu', 'AluAdder', 'AluShifter', 'AluBitCount', 'AluPermute', 'CoreDivider'] },
  { unit: 'CSRs', cv32e40pKge: 7.0, modules: ['CoreCsr'] },
  { unit: 'fetch: prefetch buffer, aligner, RVC, loop jumps', cv32e40pKge: 5.4, modules: ['CoreFetch', 'PrefetchBuffer', 'Aligner', 'CompressedDecoder', 'HwloopJump'] },
  { unit: 'decoder', cv32e40pKge: 1.1, modules: ['CoreDecoder'] },
  { unit: 'controller, hazards, pipeline registers, operand muxes', cv32e40pKge: 2.2 + 4.0, modules: ['Core'] },
  { unit: 'hardware-loop registers', cv32e40pKge: 1.9, modules: ['HwloopRegs'] },
  { unit: 'load-store unit', cv32e40pKge: 1.4, modules: ['CoreLsu'] },
  // Inside the core nm.mac4 loads through the load-store unit, multiplies with the multiplier's
  // lanes and keeps its sums in the register file: what is its own is the weight select and the adders.
  { unit: 'Xnmsparse r2 (weight select, sum adders)', cv32e40pKge: 0, modules: ['WeightSelect', 'MacSums'] },
];

export interface CoreUnitArea {
  readonly unit: string;
  readonly cv32e40pKge: number;
  /** GE of the core without and with the extension. */
  readonly plain: number;
  readonly extended: number;
}

export interface CoreArea {
  readonly yosys: string;
  readonly library: string;
  readonly areaUnit: string;
  readonly units: readonly CoreUnitArea[];
  readonly plain: { readonly ge: number; readonly area: number; readonly depth: number; readonly flipFlops: number };
  readonly extended: { readonly ge: number; readonly area: number; readonly depth: number; readonly flipFlops: number };
}

const baseName = (module: string): string => module.replace(/_.*$/, '');

function unitAreas(report: SynthReport): Map<string, number> {
  const byUnit = new Map<string, number>();
  for (const m of report.modules) {
    const unit = UNITS.find((u) => u.modules.includes(baseName(m.module)));
    if (!unit) throw new Error(`internal: module ${m.module} of the core belongs to no unit of gen/synth/core-area.ts`);
    byUnit.set(unit.unit, (byUnit.get(unit.unit) ?? 0) + m.ge * m.instances);
  }
  return byUnit;
}

const round = (x: number): number => Number(x.toFixed(1));

/** Synthesizes the core without and with the extension on `library` (the built-in GE library unless given). */
export async function coreArea(library: LibraryChoice = geLibraryChoice): Promise<CoreArea> {
  const plain = (await synthesize('core', { extension: 0 }, elaborate(Core, { extension: 0 }), library)).report;
  const extended = (await synthesize('core', { extension: 1 }, elaborate(Core, { extension: 1 }), library)).report;
  const [a, b] = [unitAreas(plain), unitAreas(extended)];
  const totals = (r: SynthReport) => ({ ge: round(r.total.ge), area: round(r.total.area), depth: r.total.depth, flipFlops: r.total.flipFlops });
  return {
    yosys: plain.yosys,
    library: plain.library.name,
    areaUnit: plain.library.areaUnit,
    units: UNITS.map((u) => ({ unit: u.unit, cv32e40pKge: u.cv32e40pKge, plain: round(a.get(u.unit) ?? 0), extended: round(b.get(u.unit) ?? 0) })),
    plain: totals(plain),
    extended: totals(extended),
  };
}

/** The extension's cost: GE and percent of the core without it. */
export function extensionOverhead(area: CoreArea): { readonly ge: number; readonly percent: number } {
  const ge = area.extended.ge - area.plain.ge;
  return { ge: round(ge), percent: Number(((100 * ge) / area.plain.ge).toFixed(2)) };
}

export function coreAreaTable(area: CoreArea): { title: string; header: string[]; rows: string[][]; notes: string[] } {
  const kge = (ge: number): string => (ge / 1000).toFixed(2);
  const overhead = extensionOverhead(area);
  const rows = area.units.map((u) => [
    u.unit, kge(u.plain), kge(u.extended), u.cv32e40pKge === 0 ? '-' : u.cv32e40pKge.toFixed(1), u.cv32e40pKge === 0 ? '-' : (u.plain / 1000 / u.cv32e40pKge).toFixed(2),
  ]);
  rows.push(['total', kge(area.plain.ge), kge(area.extended.ge), CV32E40P_TOTAL_KGE.toFixed(1), (area.plain.ge / 1000 / CV32E40P_TOTAL_KGE).toFixed(2)]);
  return {
    title: `Core area by unit (${area.library}, ${area.yosys}), kGE, beside the CV32E40P v2 with the same GE ratios`,
    header: ['unit', 'core', 'core + Xnmsparse', 'CV32E40P', 'core / CV32E40P'],
    rows,
    notes: [
      `Xnmsparse overhead: ${overhead.ge.toFixed(0)} GE, ${overhead.percent.toFixed(2)}% of the core (budget 3%)`,
      `longest combinational path: ${area.plain.depth} cells without the extension, ${area.extended.depth} with it`,
      `flip-flops: ${area.plain.flipFlops} without, ${area.extended.flipFlops} with`,
    ],
  };
}
