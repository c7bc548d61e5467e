/**
 * Running one case of the kernel bench and the row the report prints for it; speedups are added
 * once every row of a layer is known (summarize). Pure functions of the case: a row is the same on
 * any machine, in any worker, in any shard.
 */
import type { Cycles } from '../../../isa/types.js';
import { parsePattern } from '../../sparse/pattern.js';
import { type LayerData, randomLayerData } from '../../layers/data.js';
import { denseMacs, type LayerKind, type Variant } from '../../layers/spec.js';
import { type LayerProgram, layerProgram } from '../layers/program.js';
import { checkLayerOutput, type CoreBreakdown, runLayerProgram } from '../layers/run.js';
import { type BenchCase, benchLayer } from './cases.js';

/** Stall cycles summed over the cores, by cause. */
export interface BenchStalls {
  readonly tcdmContention: Cycles;
  readonly loadUse: Cycles;
  readonly branches: Cycles;
  readonly jumps: Cycles;
  readonly multiCycle: Cycles;
  readonly barrier: Cycles;
  readonly l2Wait: Cycles;
}

export interface BenchRow {
  readonly layer: string;
  readonly kind: LayerKind;
  readonly variant: Variant;
  /** "1:8", or "dense". */
  readonly nm: string;
  readonly cores: number;
  readonly cycles: Cycles;
  /** Dense-equivalent multiply-accumulates. */
  readonly macs: number;
  readonly macPerCycle: number;
  /** Weight memory: values plus indices. */
  readonly weightBytes: number;
  readonly weightValueBytes: number;
  readonly weightIndexBytes: number;
  /** L1 bytes of the tile (input, weights, quantization, scratch, output). */
  readonly footprintBytes: number;
  /** Cycles if the inner loops ran at their bound. */
  readonly boundCycles: Cycles;
  /** boundCycles / cycles, in percent. */
  readonly boundPercent: number;
  readonly instructions: number;
  readonly stalls: BenchStalls;
  /** Where each core's cycles went (the stall counts above are their sums). */
  readonly perCore: readonly CoreBreakdown[];
  /** Dense cycles / cycles at the same layer and core count (1 for dense). */
  readonly speedupVsDense?: number;
  /** Software-sparse cycles / cycles at the same layer, sparsity and core count (xnmsparse rows). */
  readonly speedupVsSparse?: number;
}

/** Seed of every bench layer's data: the cycle counts do not depend on it (no data-dependent timing), the check does. */
export const BENCH_SEED = 1;

/** The layer data and program of one case (the ISS speed bench times their runs too). */
export function benchCaseProgram(benchCase: BenchCase): { readonly data: LayerData; readonly program: LayerProgram } {
  const pattern = benchCase.nm === 'dense' ? undefined : parsePattern(benchCase.nm);
  const data = randomLayerData(benchLayer(benchCase.layer), BENCH_SEED, pattern);
  return { data, program: layerProgram(data, benchCase.variant, pattern, benchCase.cores) };
}

/** Simulates one case and checks its output against the golden model (a mismatch throws). */
export function runBenchCase(benchCase: BenchCase): BenchRow {
  const { data, program } = benchCaseProgram(benchCase);
  const spec = program.spec;
  const run = runLayerProgram(program);
  checkLayerOutput(program, data, run.output);
  const sum = (get: (c: (typeof run.perCore)[number]) => number): number => run.perCore.reduce((s, c) => s + get(c), 0);
  const macs = denseMacs(spec);
  return {
    layer: spec.name,
    kind: spec.kind,
    variant: benchCase.variant,
    nm: benchCase.nm,
    cores: benchCase.cores,
    cycles: run.cycles,
    macs,
    macPerCycle: macs / run.cycles,
    weightBytes: program.weights.total,
    weightValueBytes: program.weights.valueBytes,
    weightIndexBytes: program.weights.indexBytes,
    footprintBytes: program.footprint.total,
    boundCycles: program.bound,
    boundPercent: (100 * program.bound) / run.cycles,
    instructions: sum((c) => c.instructions),
    stalls: {
      tcdmContention: sum((c) => c.tcdmContention),
      loadUse: sum((c) => c.loadUse),
      branches: sum((c) => c.branches),
      jumps: sum((c) => c.jumps),
      multiCycle: sum((c) => c.multiCycle),
      barrier: sum((c) => c.barrier),
      l2Wait: sum((c) => c.l2Wait),
    },
    perCore: run.perCore,
  };
}

const key = (row: { layer: string; cores: number }, nm: string, variant: Variant): string => `${row.layer}|${row.cores}|${nm}|${variant}`;

/** The variants measured against the software sparse kernel: both revisions of the extension. */
const EXTENSION_VARIANTS: readonly Variant[] = ['xnmsparse', 'xnmsparse-v1'];

/** The rows with their speedups over dense and, for the extension's rows, over software sparse. */
export function summarize(rows: readonly BenchRow[]): BenchRow[] {
  const byKey = new Map(rows.map((r) => [key(r, r.nm, r.variant), r]));
  return rows.map((row) => {
    const dense = byKey.get(key(row, 'dense', 'dense'));
    const sparse = EXTENSION_VARIANTS.includes(row.variant) ? byKey.get(key(row, row.nm, 'sparse')) : undefined;
    return {
      ...row,
      ...(dense ? { speedupVsDense: dense.cycles / row.cycles } : {}),
      ...(sparse ? { speedupVsSparse: sparse.cycles / row.cycles } : {}),
    };
  });
}
