/**
 * Running a compiled network on the simulated cluster (docs/compiler.md#running): the cycles of the
 * whole inference and of each node, measured at the barriers that end its tiles, with the cycles
 * the cores waited for the DMA and lost to its bank traffic; the output tensors; and, in check
 * mode, every tensor compared with the golden integer network.
 */
import { readElf } from '../../isa/elf/reader.js';
import type { Cycles } from '../../isa/types.js';
import { Cluster } from '../../sim/cluster/cluster.js';
import { INSTRUCTION_TABLES } from '../kernels/instance.js';
import type { CompiledNetwork } from './compile/compile.js';
import { storageOf } from './graph.js';
import { extractTensor, placeTensor } from './views.js';
import type { NetNode } from './graph.js';

export interface NodeRun {
  readonly node: NetNode;
  readonly cycles: Cycles;
  /** Mean over the cores of the cycles they waited for a DMA transfer. */
  readonly dmaWait: Cycles;
  /** Mean over the cores of the cycles the DMA's bank accesses cost them. */
  readonly dmaContention: Cycles;
}

export interface NetworkRun {
  /** Until the last core halted (the outputs are in place). */
  readonly cycles: Cycles;
  readonly nodes: readonly NodeRun[];
  /** Output tensors' bytes, by name. */
  readonly outputs: ReadonlyMap<string, Uint8Array>;
  /** Every tensor still in memory at the end (all of them when compiled with keepTensors). */
  readTensor(name: string): Uint8Array;
}

interface Snapshot {
  readonly cycle: Cycles;
  readonly dmaWait: number;
  readonly dmaContention: number;
}

export interface RunOptions {
  /** HWC bytes replacing the input the program was compiled with. */
  readonly input?: Uint8Array;
  /** Called as each node's last tile ends (progress of a long run). */
  readonly onNode?: (index: number, total: number) => void;
}

/** Runs the program on a cluster of the memories it was compiled for. */
export function runNetwork(compiled: CompiledNetwork, options: RunOptions = {}): NetworkRun {
  const { network } = compiled;
  const { input } = options;
  const lastSteps = compiled.nodes.map((n) => n.lastStep);
  // The barrier after the prologue, then the first barrier after each step's mark (runtime.ts).
  const stepEnds: Snapshot[] = [];
  let marked = true;
  const cluster: Cluster = new Cluster({
    table: INSTRUCTION_TABLES[compiled.instructionSet],
    config: {
      cores: compiled.options.cores,
      l1Size: compiled.options.l1.size,
      l2Size: compiled.options.l2.size,
      ...(compiled.options.l3 ? { l3Base: compiled.options.l3.base, l3Size: compiled.options.l3.size } : {}),
    },
    onBarrierRelease: (cycle) => {
      if (!marked) return;
      marked = false;
      const waits = cluster.reports.map((r) => r.waits);
      stepEnds.push({ cycle, dmaWait: waits.reduce((s, w) => s + w.dmaWait, 0), dmaContention: waits.reduce((s, w) => s + w.dmaContention, 0) });
      // stepEnds[k + 1] ends step k.
      const node = lastSteps.indexOf(stepEnds.length - 2);
      if (node >= 0) options.onNode?.(node, lastSteps.length);
    },
  });
  const image = readElf(compiled.elf);
  cluster.load(image);
  cluster.memory.watchWord(image.symbols.get('net_step_mark')!, () => {
    marked = true;
  });
  const tensorBytes = (name: string): number => {
    const t = network.tensors.get(name);
    if (!t) throw new Error(`network '${network.name}' has no tensor '${name}'`);
    return t.shape.h * t.shape.w * t.shape.c;
  };
  const storageBytes = (name: string): number => tensorBytes(storageOf(network, name));
  if (input) {
    if (input.length !== tensorBytes(network.input)) throw new RangeError(`network '${network.name}': the input holds ${input.length} bytes, not ${tensorBytes(network.input)}`);
    const storage = cluster.system.readBytes(compiled.tensorAddress(network.input), storageBytes(network.input));
    placeTensor(network, network.input, input, storage);
    cluster.system.writeBytes(compiled.tensorAddress(network.input), storage);
  }
  const result = cluster.run();
  if (result.stop.kind !== 'exit' || cluster.reports.some((r) => r.stop?.kind !== 'exit' || r.stop.code !== 0)) {
    throw new Error(`network '${network.name}': the program ended with ${JSON.stringify(result.stop)}`);
  }
  if (stepEnds.length !== compiled.schedule.steps.length + 1) throw new Error(`network '${network.name}': ${stepEnds.length - 1} steps ended, the program has ${compiled.schedule.steps.length}`);
  const cores = compiled.options.cores;
  const nodes = compiled.nodes.map((n): NodeRun => {
    const before = stepEnds[n.firstStep]!;
    const after = stepEnds[n.lastStep + 1]!;
    return { node: n.node, cycles: after.cycle - before.cycle, dmaWait: (after.dmaWait - before.dmaWait) / cores, dmaContention: (after.dmaContention - before.dmaContention) / cores };
  });
  const readTensor = (name: string): Uint8Array => extractTensor(network, name, cluster.system.readBytes(compiled.tensorAddress(name), storageBytes(name)));
  return { cycles: result.cycles, nodes, outputs: new Map(network.outputs.map((o) => [o, readTensor(o)])), readTensor };
}
