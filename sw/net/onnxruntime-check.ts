/**
 * The golden network held against onnxruntime running the same quantized model (export-qdq.ts) on
 * the same quantized inputs: how far apart their outputs are, in output steps, and whether they
 * pick the same class (docs/compiler.md#checking-the-golden-network-against-onnxruntime), tensor
 * by tensor and summed up per kind of node. onnxruntime-web is loaded when the check runs, so that
 * the compiler itself does not need it.
 */
import type { Tensor } from 'onnxruntime-web';
import { exportQdq, onnxDims, toOnnxOrder, type QdqExportOptions } from './export-qdq.js';
import { storageOf, type NetNode, type NetTensor, type Network } from './graph.js';
import { runGolden } from './golden.js';
import { quantizeInput, type QuantizedNetwork } from './quantize/index.js';
import { extractTensor } from './views.js';

/** How one output tensor's elements differ, over every input, in steps of the tensor's scale. */
export interface OutputDifference {
  readonly tensor: string;
  /** Elements compared: the tensor's size times the number of inputs. */
  readonly elements: number;
  readonly max: number;
  readonly mean: number;
  readonly equal: number;
  readonly offByOne: number;
  readonly beyondOne: number;
}

/** How the tensors written by one kind of node (nodeKind) differ, all together. */
export interface OpDifference extends Omit<OutputDifference, 'tensor'> {
  readonly op: string;
  /** Tensors written by nodes of this kind. */
  readonly tensors: number;
}

export interface OnnxruntimeReport {
  readonly inputs: number;
  /**
   * onnxruntime's graph optimization: 'disabled' runs every float operator on dequantized values
   * (ONNX's reference semantics); 'all' lets onnxruntime fuse DequantizeLinear-op-QuantizeLinear
   * groups into its integer kernels (QLinearConv, ...), as it does when deploying.
   */
  readonly optimization: GraphOptimization;
  /** One entry per network output, in the network's order. */
  readonly outputs: readonly OutputDifference[];
  /** With `everyTensor` or `isolated`: one entry per tensor a node writes, in the nodes' order. */
  readonly tensors?: readonly OutputDifference[];
  /** With `everyTensor` or `isolated`: the same tensors summed up per kind of node, in order of first appearance. */
  readonly byOp?: readonly OpDifference[];
  /** Inputs for which both pick the same largest element of the first output (the first one on a tie). */
  readonly top1Agreements: number;
}

export type GraphOptimization = 'disabled' | 'all';

export interface CompareOptions {
  readonly optimization?: GraphOptimization;
  /** Also compare every tensor a node writes (where the two runs part, and how differences grow along the network). */
  readonly everyTensor?: boolean;
  /**
   * Give onnxruntime every tensor a node reads from the golden run, so that each node is compared
   * alone (implies `everyTensor`; top-1 is then that of the last node alone).
   */
  readonly isolated?: boolean;
  /** The layers' own weight scales for the model (QdqExportOptions.weightScales). */
  readonly weightScales?: QdqExportOptions['weightScales'];
}

/**
 * Runs every float input (ONNX order, NCHW for an image), quantized by `quantizeInput`, through the
 * golden network and through onnxruntime on the network's QDQ model, and reports how the outputs
 * differ.
 */
export async function compareWithOnnxruntime(network: QuantizedNetwork, inputs: readonly Float32Array[], options: CompareOptions = {}): Promise<OnnxruntimeReport> {
  if (inputs.length === 0) throw new RangeError(`${network.name}: no inputs to compare on`);
  const optimization = options.optimization ?? 'disabled';
  const isolated = options.isolated ?? false;
  const everyTensor = isolated || (options.everyTensor ?? false);
  const model = exportQdq(network, { everyTensor, isolated, ...(options.weightScales ? { weightScales: options.weightScales } : {}) });
  const ort = await loadOnnxruntime();
  const session = await ort.InferenceSession.create(model.bytes, { graphOptimizationLevel: optimization });
  const tensorOf = (name: string): NetTensor => network.tensors.get(name)!;
  const compared = [...model.outputs.keys()];
  const tallies = new Map(compared.map((name) => [name, new Tally(`output '${name}'`)]));
  const writers = new Map(network.nodes.map((node) => [node.output, node]));
  const kinds = new Map(everyTensor ? compared.map((name) => [name, nodeKind(writers.get(name)!)]) : []);
  const opTallies = new Map([...new Set(kinds.values())].map((op) => [op, new Tally(`${op} nodes`)]));
  let top1Agreements = 0;
  try {
    for (const input of inputs) {
      const bytes = quantizeInput(network, input);
      const golden = runGolden(network, bytes);
      const feeds: Record<string, Tensor> = {};
      for (const name of model.inputs) {
        const tensor = tensorOf(name);
        feeds[name] = new ort.Tensor(tensor.signed ? 'int8' : 'uint8', toOnnxOrder(tensor, goldenTensor(network, golden, name)), onnxDims(tensor.shape));
      }
      const results = await session.run(feeds);
      for (const name of compared) {
        const expected = toOnnxOrder(tensorOf(name), goldenTensor(network, golden, name));
        const actual = (results[model.outputs.get(name)!] as Tensor).data as Int8Array | Uint8Array;
        tallies.get(name)!.add(expected, actual);
        const kind = kinds.get(name);
        if (kind) opTallies.get(kind)!.add(expected, actual);
        if (name === network.outputs[0] && argmax(expected) === argmax(actual)) top1Agreements++;
      }
    }
  } finally {
    await session.release();
  }
  const difference = (name: string): OutputDifference => ({ tensor: name, ...tallies.get(name)!.result() });
  const outputs = network.outputs.map(difference);
  if (!everyTensor) return { inputs: inputs.length, optimization, outputs, top1Agreements };
  const byOp = [...opTallies].map(([op, tally]) => ({ op, tensors: [...kinds.values()].filter((kind) => kind === op).length, ...tally.result() }));
  return { inputs: inputs.length, optimization, outputs, top1Agreements, tensors: compared.map(difference), byOp };
}

/**
 * The kind of node a difference is summed up under: the layer's kind (conv, pointwise, dw, fc,
 * matmul; `matmul of activations` when its weights are a tensor) or the node's op.
 */
export function nodeKind(node: NetNode): string {
  if (node.op !== 'layer') return node.op;
  return node.weightTensor === undefined ? node.spec.kind : `${node.spec.kind} of activations`;
}

/** A tensor's bytes in a golden run: its own, or a view's out of its parent's. */
function goldenTensor(network: Network, golden: ReadonlyMap<string, Uint8Array>, name: string): Uint8Array {
  const own = golden.get(name);
  if (own) return own;
  const parent = golden.get(storageOf(network, name));
  if (!parent) throw new RangeError(`${network.name}: the golden run has no tensor '${name}'`);
  return extractTensor(network, name, parent);
}

async function loadOnnxruntime(): Promise<typeof import('onnxruntime-web')> {
  try {
    const ort = await import('onnxruntime-web');
    // One thread: the check is deterministic and leaves no worker threads behind.
    ort.env.wasm.numThreads = 1;
    return ort;
  } catch (error) {
    throw new Error(`the onnxruntime check needs the package onnxruntime-web (npm install onnxruntime-web): ${(error as Error).message}`);
  }
}

/** The index of the first largest element. */
function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Differences of element pairs, in steps: their count, largest, sum, and how many are 0, 1 and more. */
class Tally {
  private elements = 0;
  private sum = 0;
  private max = 0;
  private readonly counts = [0, 0, 0];

  /** `what` names the compared values in errors. */
  constructor(private readonly what: string) {}

  add(expected: ArrayLike<number>, actual: ArrayLike<number>): void {
    if (expected.length !== actual.length) throw new RangeError(`${this.what}: onnxruntime gives ${actual.length} values, the golden network ${expected.length}`);
    for (let i = 0; i < expected.length; i++) {
      const difference = Math.abs(expected[i]! - actual[i]!);
      this.elements++;
      this.sum += difference;
      this.max = Math.max(this.max, difference);
      this.counts[Math.min(difference, 2)]!++;
    }
  }

  result(): Omit<OutputDifference, 'tensor'> {
    const [equal, offByOne, beyondOne] = this.counts as [number, number, number];
    return { elements: this.elements, max: this.max, mean: this.sum / this.elements, equal, offByOne, beyondOne };
  }
}
