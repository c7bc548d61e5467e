// The synthesis flow: Yosys' generic `synth`, flip-flops and logic mapped onto a Liberty library
// (the built-in gate-equivalent one unless another is given), then per-module and whole-design
// area, cell counts and logic depth.
import type { Design, ModuleIR } from '../../hw/hdl/index.js';
import { emitVerilog } from '../verilog/index.js';
import { runYosysScript, yosysPackageVersion } from '../yosys.js';
import { cacheKey, readCache, writeCache } from '../../util/cache.js';
import { geLibrary, geLibraryName, LibertyError, type LibertySummary, readLiberty } from './liberty.js';
import type { AreaFigures, ModuleReport, SynthReport } from './report.js';

export interface LibraryChoice {
  /** Liberty source text. */
  readonly text: string;
  /** Where it came from, for messages. */
  readonly origin: string;
  /** Unit of its `area` attributes, e.g. 'um2'. */
  readonly areaUnit: string;
}

export const geLibraryChoice: LibraryChoice = { text: geLibrary(), origin: 'built-in gate-equivalent library', areaUnit: 'GE' };

export interface SynthResult {
  readonly report: SynthReport;
  readonly cached: boolean;
  readonly wallSeconds: number;
}

const libFile = 'cells.lib';

/**
 * The selection `ltp` measures depth over: every cell but the library's flip-flops and latches.
 * `ltp -noff` leaves out only Yosys' own flip-flop types; after dfflibmap the flip-flops are library
 * cells, and a path through them ran on through the next cycle's logic (counter width=8: depth 33
 * of 34 cells, with a warning for each loop).
 */
function combinationalCells(lib: LibertySummary): string[] {
  const sequential = [...lib.cells.values()].filter((cell) => cell.sequential);
  return ['*', ...sequential.map((cell) => `t:${cell.name} %d`)];
}

function script(files: readonly string[], top: string, modules: readonly string[], lib: LibertySummary): string[] {
  // Logic depth of each module with its children flattened into it: ltp on a hierarchical module
  // would count a child instance as one cell with paths from every input to every output.
  const ltp = ['ltp -noff', ...combinationalCells(lib)].join(' ');
  const depths = modules.flatMap((m, i) => ['design -load mapped', `hierarchy -top ${m}`, 'flatten', `tee -q -o ltp-${i}.txt ${ltp}`]);
  return [
    `read_verilog ${files.join(' ')}`,
    // Port directions of the library cells, so that ltp can follow paths through them.
    `read_liberty -lib ${libFile}`,
    `synth -top ${top}`,
    `dfflibmap -liberty ${libFile}`,
    `abc -liberty ${libFile}`,
    'opt_clean',
    `tee -q -o stat.json stat -json -liberty ${libFile}`,
    'design -save mapped',
    ...depths,
  ];
}

interface StatModule {
  readonly num_cells: number;
  readonly area?: number;
  readonly num_cells_by_type: Record<string, number>;
}

/** Each module's depth from the output of `ltp`, refusing a depth measured around a loop. */
export function ltpDepths(ltp: string, origin: string): Map<string, number> {
  // The HDL refuses combinational loops, so a loop here runs through a library cell that the
  // Liberty reader did not take for a flip-flop or latch, and the depth would count past it.
  const loop = /Detected loop at (\S+) in (\S+)/.exec(ltp);
  if (loop) throw new LibertyError(`${origin}: a path in module ${loop[2]} loops back through ${loop[1]}: a flip-flop or latch of the library is not described as one (an ff, latch or statetable group), so logic depth cannot be measured`);
  return new Map([...ltp.matchAll(/Longest topological path in (\S+) \(length=(\d+)\)/g)].map((m) => [m[1]!.replace(/^\\/, ''), Number(m[2])]));
}

function figures(stat: StatModule, depth: number, lib: LibertySummary, moduleNames: ReadonlySet<string>): AreaFigures {
  const cellsByType: Record<string, number> = {};
  let flipFlops = 0;
  let cells = 0;
  for (const [type, count] of Object.entries(stat.num_cells_by_type)) {
    if (moduleNames.has(type)) continue; // child instances are reported as their own rows
    cellsByType[type] = count;
    cells += count;
    if (lib.cells.get(type)?.sequential) flipFlops += count;
  }
  const area = stat.area ?? 0;
  return { cells, flipFlops, area, ge: area / lib.nand2Area, depth, cellsByType };
}

function instanceCounts(top: ModuleIR): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (ir: ModuleIR, times: number): void => {
    counts.set(ir.name, (counts.get(ir.name) ?? 0) + times);
    for (const inst of ir.instances) visit(inst.module, times);
  };
  visit(top, 1);
  return counts;
}

export async function synthesize(
  designName: string,
  params: Readonly<Record<string, number | boolean | string>>,
  design: Design,
  library: LibraryChoice = geLibraryChoice,
): Promise<SynthResult> {
  const started = process.hrtime.bigint();
  const lib = readLiberty(library.text, library.origin);
  const files = emitVerilog(design);
  const top = design.top.name;
  const steps = script(files.map((f) => f.fileName), top, design.modules.map((m) => m.name), lib);
  const key = cacheKey([yosysPackageVersion(), library.text, steps.join('\n'), ...files.map((f) => f.text), designName, JSON.stringify(params)]);
  const elapsed = (): number => Number(process.hrtime.bigint() - started) / 1e9;

  const hit = readCache<SynthReport>('synth', key);
  if (hit) return { report: hit, cached: true, wallSeconds: elapsed() };

  const run = await runYosysScript([...files, { fileName: libFile, text: library.text }], steps);
  const stat = JSON.parse(run.outputs.get('stat.json') ?? 'null') as { creator: string; modules: Record<string, StatModule>; design: StatModule } | null;
  if (!stat) throw new Error('internal: Yosys wrote no stat.json');
  const moduleDepth = ltpDepths(design.modules.map((_, i) => run.outputs.get(`ltp-${i}.txt`) ?? '').join('\n'), library.origin);
  const names = new Set(design.modules.map((m) => m.name));
  const counts = instanceCounts(design.top);
  const modules: ModuleReport[] = design.modules.map((m) => {
    const own = stat.modules[`\\${m.name}`] ?? { num_cells: 0, num_cells_by_type: {} };
    return { module: m.name, instances: counts.get(m.name) ?? 0, ...figures(own, moduleDepth.get(m.name) ?? 0, lib, names) };
  });
  const report: SynthReport = {
    design: designName,
    params,
    top,
    library: { name: lib.name === geLibraryName ? `${geLibraryName} (built in)` : lib.name, areaUnit: library.areaUnit, nand2Area: lib.nand2Area },
    yosys: stat.creator.replace(/\s*\(.*$/, ''),
    modules,
    total: figures(stat.design, moduleDepth.get(top) ?? 0, lib, names),
  };
  writeCache('synth', key, report);
  return { report, cached: false, wallSeconds: elapsed() };
}
