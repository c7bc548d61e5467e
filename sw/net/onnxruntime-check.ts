/**
 * The golden network held against onnxruntime running the same quantized model (export-qdq.ts) on
 * the same quantized inputs: how far apart their outputs are, in output steps, and whether they
 * pick the same class (docs/compiler-onnxruntime.md). onnxruntime-web is loaded when the check
 * runs, so that the compiler itself does not need it.
 */
import type { Tensor } from 'onnxruntime-web';
import { exportQdq, onnxDims, type QdqExportOptions } from './export-qdq.js';
import type { NetTensor } from './graph.js';
import { runGolden } from './golden.js';
import { naturalOrder } from './layout.js';
import { quantizeInput, type QuantizedNetwork } from './quantize/index.js';

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
  const tallies = new Map(compared.map((name) => [name, new Tally(name)]));
  let top1Agreements = 0;
  try {
    for (const input of inputs) {
      const bytes = quantizeInput(network, input);
      const golden = runGolden(network, bytes);
      const feeds: Record<string, Tensor> = {};
      for (const name of model.inputs) {
        const tensor = tensorOf(name);
        feeds[name] = new ort.Tensor(tensor.signed ? 'int8' : 'uint8', toOnnxOrder(tensor, golden.get(name)!), onnxDims(tensor.shape));
      }
      const results = await session.run(feeds);
      for (const name of compared) {
        const expected = toOnnxOrder(tensorOf(name), golden.get(name)!);
        const actual = (results[model.outputs.get(name)!] as Tensor).data as Int8Array | Uint8Array;
        tallies.get(name)!.add(expected, actual);
        if (name === network.outputs[0] && argmax(expected) === argmax(actual)) top1Agreements++;
      }
    }
  } finally {
    await session.release();
  }
  const outputs = network.outputs.map((name) => tallies.get(name)!.result());
  return { inputs: inputs.length, optimization, outputs, top1Agreements, ...(everyTensor ? { tensors: compared.map((name) => tallies.get(name)!.result()) } : {}) };
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

/** A tensor's bytes (HWC) as its values in the model's NCHW order, int8 or uint8. */
function toOnnxOrder(tensor: NetTensor, bytes: Uint8Array): Int8Array | Uint8Array {
  const order = naturalOrder(onnxDims(tensor.shape));
  const values = tensor.signed ? new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes;
  const out = tensor.signed ? new Int8Array(order.length) : new Uint8Array(order.length);
  order.forEach((position, i) => (out[i] = values[position]!));
  return out;
}

/** The index of the first largest element. */
function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

class Tally {
  private elements = 0;
  private sum = 0;
  private max = 0;
  private readonly counts = [0, 0, 0];

  constructor(private readonly tensor: string) {}

  add(expected: ArrayLike<number>, actual: ArrayLike<number>): void {
    if (expected.length !== actual.length) throw new RangeError(`output '${this.tensor}': onnxruntime gives ${actual.length} values, the golden network ${expected.length}`);
    for (let i = 0; i < expected.length; i++) {
      const difference = Math.abs(expected[i]! - actual[i]!);
      this.elements++;
      this.sum += difference;
      this.max = Math.max(this.max, difference);
      this.counts[Math.min(difference, 2)]!++;
    }
  }

  result(): OutputDifference {
    const [equal, offByOne, beyondOne] = this.counts as [number, number, number];
    return { tensor: this.tensor, elements: this.elements, max: this.max, mean: this.sum / this.elements, equal, offByOne, beyondOne };
  }
}
