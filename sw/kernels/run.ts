/**
 * Running a kernel instance on the instruction-set simulator: load its ELF file on a lone hart or
 * on the cluster, place its inputs, run every core to its exit and read the outputs back. The
 * engine is the compiled one (blocks, and run-ahead on the cluster) or the reference interpreter;
 * both give the same outputs and cycle counts.
 */
import { readElf } from '../../isa/elf/reader.js';
import type { Cycles } from '../../isa/types.js';
import { Cluster } from '../../sim/cluster/cluster.js';
import type { Hart } from '../../sim/core/hart.js';
import type { MappedMemory } from '../../sim/core/memory.js';
import { loadProgram } from '../../sim/program.js';
import type { KernelInstance } from './instance.js';
import type { InputRegion, OutputLocation } from './kernel.js';
import { bytesToWords } from './words.js';

/** Compiled: blocks and, on the cluster, run-ahead. Interpreted: one instruction at a time, the reference. */
export type Engine = 'compiled' | 'interpreted';

export interface KernelResult {
  readonly outputs: Int32Array;
  /** Cycles until the last core halted. */
  readonly cycles: Cycles;
  /** Instructions retired by all cores. */
  readonly instret: number;
}

/** A core ended otherwise than with exit code 0. */
export class KernelRunError extends Error {
  override name = 'KernelRunError';
}

/** A kernel loaded on a lone hart, not yet run (a test may install a retire hook first). */
export interface KernelOnCore {
  readonly hart: Hart;
  readonly memory: MappedMemory;
  run(): KernelResult;
}

export function loadOnCore(instance: KernelInstance, engine: Engine = 'compiled'): KernelOnCore {
  if (instance.target.kind !== 'core') throw new RangeError(`kernel '${instance.entry.name}' was instantiated for the cluster, not one core`);
  const { hart, memory } = loadProgram(instance.elf, { table: instance.table, blocks: engine === 'compiled' });
  placeInputs(memory, instance.inputs);
  return {
    hart,
    memory,
    run() {
      const { cycles, instret } = hart.run();
      return finish(instance, [hart], memory, cycles, instret);
    },
  };
}

function runOnCluster(instance: KernelInstance, cores: number, engine: Engine): KernelResult {
  const compiled = engine === 'compiled';
  const cluster = new Cluster({ table: instance.table, config: { cores }, blocks: compiled, runAhead: compiled });
  cluster.load(readElf(instance.elf));
  placeInputs(cluster.memory, instance.inputs);
  const { cycles, instret } = cluster.run();
  return finish(instance, cluster.harts, cluster.memory, cycles, instret);
}

export function runKernel(instance: KernelInstance, engine: Engine = 'compiled'): KernelResult {
  const { target } = instance;
  return target.kind === 'core' ? loadOnCore(instance, engine).run() : runOnCluster(instance, target.cores, engine);
}

/** Write the kernel's inputs into memory (done by the loaders; exported for tests that load the ELF file themselves). */
export function placeInputs(memory: MappedMemory, inputs: readonly InputRegion[]): void {
  for (const region of inputs) memory.writeBytes(region.address, region.bytes);
}

function finish(instance: KernelInstance, harts: readonly Hart[], memory: MappedMemory, cycles: Cycles, instret: number): KernelResult {
  harts.forEach((hart, core) => {
    const halted = hart.halted;
    if (halted?.kind !== 'exit' || halted.code !== 0) {
      throw new KernelRunError(`kernel '${instance.entry.name}': core ${core} ended with ${JSON.stringify(halted)}, not exit code 0`);
    }
  });
  return { outputs: readOutputs(instance.outputs, harts, memory), cycles, instret };
}

function readOutputs(location: OutputLocation, harts: readonly Hart[], memory: MappedMemory): Int32Array {
  if (location.kind === 'registers') return Int32Array.from(harts.flatMap((hart) => location.registers.map((r) => hart.regs[r]!)));
  return new Int32Array(bytesToWords(memory.readBytes(location.address, 4 * location.words)).buffer);
}
