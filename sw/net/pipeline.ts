/**
 * A model file to a program for the cluster, as `nmsparse compile`, `run` and `bench networks` do
 * it: read the ONNX file (sw/onnx), quantize it with the calibration inputs, N:M-pruning the
 * prunable layers when a pattern is asked for (sw/net/quantize), pick each layer's kernel, and
 * compile the integer network (sw/net/compile) for a cluster of the given cores and memories.
 */
import { PULP_L1, PULP_L2, PULP_L3 } from '../../isa/platform/memory-map.js';
import { type SparsityPattern, patternName } from '../../isa/xnmsparse/gather.js';
import { PULP_CLUSTER } from '../../sim/cluster/config.js';
import { type Variant, reductionLength, validateLayer, LayerSpecError } from '../layers/spec.js';
import type { Graph } from '../onnx/graph.js';
import { readOnnx } from '../onnx/read.js';
import { type CompiledNetwork, compileNetwork } from './compile/compile.js';
import type { Implementation } from './compile/layer-tiles.js';
import type { LayerNode } from './graph.js';
import { type QuantizedNetwork, defaultPrunable, detectNM, quantizeGraph, quantizeInput, randomCalibration } from './quantize/index.js';

/** Bytes of each memory level of the cluster the program is for. */
export interface ClusterMemory {
  readonly l1: number;
  readonly l2: number;
  /** 0: no L3. */
  readonly l3: number;
}

export const DEFAULT_MEMORY: ClusterMemory = { l1: PULP_L1.size, l2: PULP_L2.size, l3: PULP_L3.size };

/** Inputs that calibrate a float model's activation scales: given (NCHW each), or drawn at random. */
export type Calibration = { readonly inputs: readonly Float32Array[] } | { readonly random: number; readonly seed: number };

export interface ModelOptions {
  /** Prune the prunable layers to this pattern and run every layer whose weights have it on the sparse kernels. */
  readonly nm?: SparsityPattern;
  /** The sparse layers use the Xnmsparse kernels instead of the software ones. */
  readonly xnmsparse?: boolean;
  /** Which layers (by node name) are pruned; default: every multiply-accumulate layer but the first, the last and depthwise ones. */
  readonly prunable?: (layer: string) => boolean;
  readonly calibration: Calibration;
  readonly cores: number;
  readonly memory: ClusterMemory;
  /** Give every tensor bytes of its own (to check all of them after a run). */
  readonly keepTensors?: boolean;
}

export interface CompiledModel {
  readonly graph: Graph;
  readonly network: QuantizedNetwork;
  readonly compiled: CompiledNetwork;
  /** The input the program holds (the first calibration input, quantized). */
  readonly input: Uint8Array;
  /** Things the user should know (random calibration, layers that stayed dense). */
  readonly notes: readonly string[];
}

/** The kernel of each layer: sparse (or Xnmsparse) where its weights have the pattern and the kernel takes the layer, else dense. */
export function implementations(nm: SparsityPattern | undefined, xnmsparse: boolean): (node: LayerNode) => Implementation {
  const sparse: Variant = xnmsparse ? 'xnmsparse' : 'sparse';
  return (node) => {
    if (!nm || node.weightTensor !== undefined || !detectNM(node.weights, reductionLength(node.spec), nm)) return { variant: 'dense', pattern: undefined };
    try {
      validateLayer(node.spec, sparse, nm);
    } catch (error) {
      if (error instanceof LayerSpecError) return { variant: 'dense', pattern: undefined };
      throw error;
    }
    return { variant: sparse, pattern: nm };
  };
}

export function calibrationInputs(graph: Graph, calibration: Calibration): readonly Float32Array[] {
  return 'inputs' in calibration ? calibration.inputs : randomCalibration(graph, calibration.random, calibration.seed);
}

export interface QuantizedModel {
  readonly graph: Graph;
  readonly network: QuantizedNetwork;
  readonly calibration: readonly Float32Array[];
  readonly notes: readonly string[];
}

/** The model file's integer network, without a program: what the golden model needs (sw/net/accuracy/ runs it over whole test sets). */
export function quantizeModel(bytes: Uint8Array, source: string, options: Pick<ModelOptions, 'nm' | 'prunable' | 'calibration'>): QuantizedModel {
  const graph = readOnnx(bytes, source);
  const calibration = calibrationInputs(graph, options.calibration);
  const notes: string[] = [];
  if ('random' in options.calibration) notes.push(`calibrated on ${options.calibration.random} deterministic random inputs (no calibration set given): activation ranges from random data only approximate real ones`);
  const prune = options.nm ? { pattern: options.nm, layers: options.prunable ?? defaultPrunable(graph) } : undefined;
  const network = quantizeGraph(graph, calibration, prune ? { prune } : {});
  notes.push(...network.notes);
  return { graph, network, calibration, notes };
}

export function compileModel(bytes: Uint8Array, source: string, options: ModelOptions): CompiledModel {
  const { graph, network, calibration, notes: quantizeNotes } = quantizeModel(bytes, source, options);
  const notes = [...quantizeNotes];
  const choose = implementations(options.nm, options.xnmsparse ?? false);
  if (options.nm) {
    const dense = network.nodes.filter((n): n is LayerNode => n.op === 'layer' && choose(n).variant === 'dense').map((n) => n.name);
    if (dense.length > 0) notes.push(`${dense.length} layer(s) stay dense at ${patternName(options.nm)} (not pruned, or no sparse kernel for them): ${dense.join(', ')}`);
  }
  const input = quantizeInput(network, calibration[0]!);
  const region = (base: { name: string; base: number }, size: number) => ({ ...base, size });
  const compiled = compileNetwork(network, input, {
    cores: options.cores,
    implementation: choose,
    l1: region(PULP_L1, options.memory.l1),
    l2: region(PULP_L2, options.memory.l2),
    l3: options.memory.l3 > 0 ? region(PULP_L3, options.memory.l3) : undefined,
    dma: { latency: PULP_CLUSTER.dmaLatency, bandwidth: PULP_CLUSTER.dmaBandwidth },
    l3Dma: { latency: PULP_CLUSTER.l3Latency, bandwidth: PULP_CLUSTER.l3Bandwidth },
    ...(options.keepTensors ? { keepTensors: true } : {}),
  });
  return { graph, network, compiled, input, notes };
}
