/**
 * The network compiler's back end (docs/compiler.md): an integer network (sw/net/graph.ts) to one
 * ELF program for the cluster. Each node becomes tiles (layer-tiles.ts, op-tiles.ts), the schedule
 * orders their transfers (schedule.ts), the memory plan places tensors and constants in L2 and L3
 * (memory-plan.ts), and the program (program.ts) is assembled twice: once to learn how much L2 the
 * code and tables take, once with the data's final addresses.
 */
import { writeElf } from '../../../isa/elf/writer.js';
import type { AssembledSection } from '../../../isa/elf/image.js';
import type { RegionConfig } from '../../../isa/platform/memory-map.js';
import type { Addr } from '../../../isa/types.js';
import { assemble } from '../../asm/assembler.js';
import { INSTRUCTION_TABLES } from '../../kernels/instance.js';
import type { InstructionSet } from '../../kernels/kernel.js';
import { generatorFor } from '../../kernels/layers/registry.js';
import type { LayerNode, Network, NetNode } from '../graph.js';
import { nodeInputs, storageOf } from '../graph.js';
import { validateNetwork } from '../validate.js';
import { placeTensor } from '../views.js';
import { ConstantPool } from './constants.js';
import type { DmaModel } from './cost.js';
import type { Implementation, TilingSummary } from './layer-tiles.js';
import { tileNode } from './operators.js';
import { type Lifetime, type MemoryPlan, planMemory } from './memory-plan.js';
import { networkSource } from './program.js';
import { type Schedule, schedule } from './schedule.js';
import { type External, type Tile, align4 } from './tile.js';

export interface CompileOptions {
  readonly cores: number;
  /** The kernel of each multiply-accumulate layer. */
  readonly implementation: (node: LayerNode) => Implementation;
  readonly l1: RegionConfig;
  readonly l2: RegionConfig;
  /** Absent or of size 0: the cluster has no L3. */
  readonly l3: RegionConfig | undefined;
  /** The DMA as the cost model sees it, between L2 and L1. */
  readonly dma: DmaModel;
  /** The DMA from L3 (the cost model's, for weights when they will not fit L2). */
  readonly l3Dma?: DmaModel;
  /** Give every tensor bytes of its own, so all of them can be read after a run (checking; costs memory). */
  readonly keepTensors?: boolean;
}

/** One node of the compiled network, for the layer table. */
export interface CompiledNode {
  readonly node: NetNode;
  readonly implementation: Implementation | undefined;
  /** Its tiles are steps first .. last of the program. */
  readonly firstStep: number;
  readonly lastStep: number;
  readonly tiling: TilingSummary;
  readonly weightBytes: number;
}

export interface CompiledNetwork {
  readonly network: Network;
  readonly options: CompileOptions;
  readonly nodes: readonly CompiledNode[];
  readonly tiles: readonly Tile[];
  readonly schedule: Schedule;
  readonly memory: MemoryPlan;
  readonly instructionSet: InstructionSet;
  readonly source: string;
  readonly elf: Uint8Array;
  /** Distinct tile codes, and the bytes of L2 that code and tables take. */
  readonly codes: number;
  readonly codeBytes: number;
  /** Where a tensor's bytes start (L2 or L3; a view's parent's), for the input and the outputs. */
  tensorAddress(tensor: string): Addr;
}

export class CompileError extends Error {
  override name = 'CompileError';
}

/**
 * The life in steps of each tensor that has bytes of its own (views live in their parent's): from
 * its first writer's first tile (the input and a tensor holding constants: before the first) to
 * its last reader's last tile (an output: the end).
 */
function lifetimes(network: Network, nodes: readonly CompiledNode[], steps: number, keep: boolean): Lifetime[] {
  const storage = (name: string): string => storageOf(network, name);
  const given = new Set([network.input, ...(network.constants?.keys() ?? [])].map(storage));
  const outputs = new Set(network.outputs.map(storage));
  return [...network.tensors.values()].filter((t) => !t.view).map((tensor) => {
    const bytes = tensor.shape.h * tensor.shape.w * tensor.shape.c;
    if (keep) return { tensor: tensor.name, bytes, first: -1, last: steps };
    const writers = nodes.filter((n) => storage(n.node.output) === tensor.name);
    const readers = nodes.filter((n) => nodeInputs(n.node).some((name) => storage(name) === tensor.name));
    const first = given.has(tensor.name) ? -1 : Math.min(steps, ...writers.map((w) => w.firstStep));
    const last = outputs.has(tensor.name) ? steps : Math.max(first, ...readers.map((r) => r.lastStep));
    return { tensor: tensor.name, bytes, first, last };
  });
}

const sectionEnd = (sections: readonly AssembledSection[], region: RegionConfig): Addr =>
  Math.max(region.base, ...sections.filter((s) => s.address >= region.base && s.address < region.base + region.size).map((s) => s.address + s.size));

const DATA_ALIGN = 64;

export function compileNetwork(network: Network, input: Uint8Array, options: CompileOptions): CompiledNetwork {
  validateNetwork(network);
  const inputShape = network.tensors.get(network.input)!.shape;
  if (input.length !== inputShape.h * inputShape.w * inputShape.c) {
    throw new CompileError(`network '${network.name}': the input holds ${input.length} bytes, its tensor '${network.input}' is ${inputShape.h}x${inputShape.w}x${inputShape.c}`);
  }
  const constants = new ConstantPool();
  const l1 = { start: options.l1.base, bytes: options.l1.size };
  const tiles: Tile[] = [];
  // Weights beyond half of L2 mostly end in L3 (the code, tables and activations take the rest):
  // the cost model then charges their transfers at L3's bandwidth.
  const denseWeightBytes = network.nodes.reduce((sum, node) => sum + (node.op === 'layer' ? node.weights.length : 0), 0);
  const weightDma = options.l3 && options.l3Dma && denseWeightBytes > options.l2.size / 2 ? options.l3Dma : options.dma;
  const nodes: CompiledNode[] = network.nodes.map((node) => {
    const tiled = tileNode(network, node, options.implementation, { network, cores: options.cores, l1, dma: options.dma, weightDma, constants });
    const firstStep = tiles.length;
    tiles.push(...tiled.tiles);
    return { node, implementation: tiled.implementation, firstStep, lastStep: tiles.length - 1, tiling: tiled.summary, weightBytes: tiled.weightBytes };
  });
  const instructionSet: InstructionSet = nodes.some((n) => n.implementation && generatorFor((n.node as LayerNode).spec, n.implementation.variant).instructionSet === 'cv32e40p+xnmsparse')
    ? 'cv32e40p+xnmsparse'
    : 'cv32e40p';
  const table = INSTRUCTION_TABLES[instructionSet];
  const file = `${network.name}.S`;
  const lives = lifetimes(network, nodes, tiles.length, options.keepTensors ?? false);

  // Pass 1: the code and tables' size, with every far address 0, and where the data then goes.
  // When constants land in L3, the fills that cannot overlap compute are staged through L2
  // (schedule.ts): a second schedule and plan, with the staging area at the end of L2. L2 only
  // shrinks for it, so the constants in L3 stay there.
  const layout = (plan: Schedule) => {
    const sizing = networkSource(network.name, tiles, plan, options.cores, () => 0);
    const codeEnd = sectionEnd(assemble(sizing.source, { file, table, base: options.l2.base }).sections, options.l2);
    if (codeEnd > options.l2.base + options.l2.size) {
      throw new CompileError(`network '${network.name}': its code and tables take ${codeEnd - options.l2.base} bytes (${tiles.length} tiles), more than the ${options.l2.size} bytes of L2: give the cluster more L2 (--l2)`);
    }
    const dataBase = { l2: Math.ceil(codeEnd / DATA_ALIGN) * DATA_ALIGN, l3: options.l3?.base ?? 0 };
    const stagingBytes = 2 * plan.stagingSlotBytes;
    const l2Free = options.l2.base + options.l2.size - stagingBytes - dataBase.l2;
    const memory = planMemory(lives, constants.blobs, Math.max(0, l2Free), options.l3?.size ?? 0);
    return { plan, codeEnd, dataBase, memory, staging: options.l2.base + options.l2.size - stagingBytes };
  };
  const unstaged = layout(schedule(tiles));
  const fromL3 = (fill: { external: External }): boolean => fill.external.kind === 'constant' && unstaged.memory.constants[fill.external.blob]!.level === 'l3';
  const staged = unstaged.memory.constantBytes.l3 > 0 ? schedule(tiles, { fromL3 }) : unstaged.plan;
  const { plan, codeEnd, dataBase, memory, staging } = staged.stagingSlotBytes > 0 ? layout(staged) : unstaged;
  const tensorAddress = (tensor: string): Addr => {
    const placement = memory.tensors.get(storageOf(network, tensor));
    if (!placement) throw new CompileError(`no tensor '${tensor}' in network '${network.name}'`);
    return dataBase[placement.level] + placement.offset;
  };
  const constantBase = { l2: dataBase.l2 + align4(memory.arena.l2), l3: dataBase.l3 + align4(memory.arena.l3) };
  const address = (external: External): Addr => {
    if (external.kind === 'tensor') return tensorAddress(external.tensor);
    if (external.kind === 'staging') return staging;
    const placement = memory.constants[external.blob]!;
    return constantBase[placement.level] + placement.offset;
  };

  // Pass 2: the same text with the final addresses, and the data beside it.
  const text = networkSource(network.name, tiles, plan, options.cores, address);
  const assembled = assemble(text.source, { file, table, base: options.l2.base });
  if (sectionEnd(assembled.sections, options.l2) !== codeEnd) throw new Error(`${file}: the code moved between the two passes`);
  const data = (level: 'l2' | 'l3'): AssembledSection | undefined => {
    const size = align4(memory.arena[level]) + memory.constantBytes[level];
    if (size === 0) return undefined;
    const bytes = new Uint8Array(size);
    for (const [name, value] of [[network.input, input] as const, ...(network.constants ?? new Map<string, Uint8Array>())]) {
      const placement = memory.tensors.get(storageOf(network, name))!;
      if (placement.level === level) placeTensor(network, name, value, bytes.subarray(placement.offset));
    }
    constants.blobs.forEach((blob, i) => {
      const placement = memory.constants[i]!;
      if (placement.level === level) bytes.set(blob.bytes, align4(memory.arena[level]) + placement.offset);
    });
    return { name: `.net.${level}`, address: dataBase[level], size, bytes, flags: { exec: false, write: true, nobits: false }, align: DATA_ALIGN };
  };
  const sections = [...assembled.sections, ...[data('l2'), data('l3')].filter((s) => s !== undefined)];
  return {
    network,
    options,
    nodes,
    tiles,
    schedule: plan,
    memory,
    instructionSet,
    source: text.source,
    elf: writeElf({ ...assembled, sections }),
    codes: text.codes,
    codeBytes: codeEnd - options.l2.base,
    tensorAddress,
  };
}
