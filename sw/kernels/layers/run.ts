/**
 * Assembling a layer program and running it on the simulated cluster: cycles, per-core stall
 * breakdown, and the output compared byte for byte with the golden model.
 */
import { readElf } from '../../../isa/elf/reader.js';
import { writeElf } from '../../../isa/elf/writer.js';
import type { Cycles } from '../../../isa/types.js';
import { Cluster } from '../../../sim/cluster/cluster.js';
import { formatStats } from '../../../sim/simulate.js';
import { assemble } from '../../asm/assembler.js';
import type { LayerData } from '../../layers/data.js';
import { goldenLayer } from '../../layers/golden.js';
import { outputWidth } from '../../layers/spec.js';
import { INSTRUCTION_TABLES } from '../instance.js';
import type { InstructionSet } from '../kernel.js';
import type { Engine } from '../run.js';
import type { LayerProgram } from './program.js';

/** Where one core's cycles went (sim/simulate.ts formatStats names the same counters). */
export interface CoreBreakdown {
  readonly cycles: Cycles;
  readonly instructions: number;
  readonly loadUse: Cycles;
  readonly branches: Cycles;
  readonly jumps: Cycles;
  readonly multiCycle: Cycles;
  readonly tcdmContention: Cycles;
  readonly l2Wait: Cycles;
  readonly barrier: Cycles;
  readonly other: Cycles;
}

export interface LayerRun {
  /** Cycles until the last core halted. */
  readonly cycles: Cycles;
  readonly output: Uint8Array;
  readonly perCore: readonly CoreBreakdown[];
  /** The same, as the table `nmsparse sim --stats` prints (made when asked: the bench never does). */
  stats(): string;
}

/** The layer's output differs from the golden model's. */
export class LayerMismatchError extends Error {
  override name = 'LayerMismatchError';
}

/**
 * The program's ELF file, assembled with the instruction table of its variant. Its `.l1.*` sections
 * land in L1 by the platform's convention (isL1Section), in order: where the plan put them, which
 * is checked, since the code has the plan's addresses built in.
 */
export function layerElf(program: LayerProgram): Uint8Array {
  const assembled = assemble(program.source, { table: INSTRUCTION_TABLES[program.instructionSet], file: program.file });
  const { plan } = program;
  for (const [label, address] of [['layer_input', plan.input], ['layer_weights', plan.weights], ['layer_quantization', plan.quantization]] as const) {
    const placed = assembled.symbols.find((s) => s.name === label)?.value;
    if (placed !== address) throw new Error(`${program.file}: ${label} was placed at ${placed}, not at the plan's ${address}`);
  }
  return writeElf(assembled);
}

/** A program run on the cluster until every core exited with code 0. */
export interface ClusterRun {
  /** Cycles until the last core halted. */
  readonly cycles: Cycles;
  readonly perCore: readonly CoreBreakdown[];
  /** `bytes` bytes of the cluster's memory at `address`, after the run. */
  read(address: number, bytes: number): Uint8Array;
  /** The table `nmsparse sim --stats` prints. */
  stats(): string;
}

/**
 * Runs a cluster program's ELF file on `cores` cores with the instruction table of `instructionSet`;
 * throws, naming the program (`what`), unless every core exits with code 0.
 */
export function runClusterElf(elf: Uint8Array, instructionSet: InstructionSet, cores: number, what: string, engine: Engine = 'compiled'): ClusterRun {
  const compiled = engine === 'compiled';
  const cluster = new Cluster({ table: INSTRUCTION_TABLES[instructionSet], config: { cores }, blocks: compiled, runAhead: compiled });
  cluster.load(readElf(elf));
  const { cycles } = cluster.run();
  const perCore = cluster.reports.map(({ core, stop, hart, waits }): CoreBreakdown => {
    if (stop?.kind !== 'exit' || stop.code !== 0) throw new Error(`${what}: core ${core} ended with ${JSON.stringify(stop)}, not exit code 0`);
    const s = hart.stats;
    const counted = s.instret + s.loadUseStalls + s.branchPenalty + s.jumpPenalty + s.jalrStalls + s.multiCycle + waits.tcdmContention + waits.l2Wait + waits.barrierWait;
    return {
      cycles: s.cycles,
      instructions: s.instret,
      loadUse: s.loadUseStalls,
      branches: s.branchPenalty,
      jumps: s.jumpPenalty + s.jalrStalls,
      multiCycle: s.multiCycle,
      tcdmContention: waits.tcdmContention,
      l2Wait: waits.l2Wait,
      barrier: waits.barrierWait,
      other: s.cycles - counted,
    };
  });
  return { cycles, perCore, read: (address, bytes) => cluster.memory.readBytes(address, bytes), stats: () => formatStats(cluster.harts, cluster.reports.map((r) => r.waits)) };
}

export function runLayerProgram(program: LayerProgram, elf: Uint8Array = layerElf(program), engine: Engine = 'compiled'): LayerRun {
  const run = runClusterElf(elf, program.instructionSet, program.cores, `layer '${program.spec.name}' (${program.file})`, engine);
  return { cycles: run.cycles, output: run.read(program.plan.output, program.outputBytes), perCore: run.perCore, stats: run.stats };
}

/** Throws a LayerMismatchError naming the first output (y, x, channel) that differs from the golden model. */
export function checkLayerOutput(program: LayerProgram, data: LayerData, output: Uint8Array): void {
  const expected = goldenLayer(data);
  const { spec } = program;
  for (let i = 0; i < expected.length; i++) {
    if (output[i] === expected[i]) continue;
    const pixel = Math.floor(i / spec.outC);
    const width = outputWidth(spec);
    const wrong = expected.reduce((n, e, j) => n + (e === output[j] ? 0 : 1), 0);
    throw new LayerMismatchError(
      `layer '${spec.name}' (${program.file}): output (y ${Math.floor(pixel / width)}, x ${pixel % width}, channel ${i % spec.outC}) is ${output[i]}, the golden model says ${expected[i]} (${wrong} of ${expected.length} outputs differ)`,
    );
  }
}
