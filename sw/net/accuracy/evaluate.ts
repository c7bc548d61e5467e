/**
 * Accuracy of a compiled model's integer network (docs/bench.md#accuracy): top-1 over a test set
 * with the golden integer network (sw/net/golden.ts), and, on a subset, the program itself on the
 * simulated cluster, whose every output byte must equal the golden's. The agreement is what makes
 * the golden figure one of the simulated hardware.
 */
import { type ImageSet, imageInput } from '../../datasets/fashion-mnist.js';
import { runGolden } from '../golden.js';
import type { NetTensor } from '../graph.js';
import { ModelError } from '../model-error.js';
import { type CompiledModel, DEFAULT_MEMORY, type ModelOptions } from '../pipeline.js';
import { dequantize, quantizeInput, type QuantizedNetwork } from '../quantize/index.js';
import { runNetwork } from '../run.js';
import { type AccuracyModel, modelLabel, patternOf } from './models.js';

/** The kernels a model is compiled for: dense everywhere, or its N:M layers on the software or the Xnmsparse kernels. */
export type KernelChoice = 'dense' | 'sparse' | 'xnmsparse';

/** The cluster the accuracy bench compiles for: the paper's 8 cores. */
export const ACCURACY_CORES = 8;

/** Images of the training set that calibrate a float model (a QDQ model keeps its own scales and ignores them). */
export const CALIBRATION_IMAGES = 16;

/** The first `count` training images, as the model's inputs. */
export function calibrationImages(train: ImageSet, count: number = CALIBRATION_IMAGES): Float32Array[] {
  return Array.from({ length: Math.min(count, train.count) }, (_, i) => imageInput(train, i));
}

/**
 * How `model` is compiled for `kernels`. Dense kernels take the weights unpruned (their cycles do
 * not depend on the values); a trained N:M model is not pruned again, so its integer network is
 * the one it was trained to, and a layer runs sparse where its weights have the pattern.
 */
export function compileOptions(model: AccuracyModel, kernels: KernelChoice, calibration: readonly Float32Array[]): ModelOptions {
  const nm = patternOf(model);
  const common = { calibration: { inputs: calibration }, cores: ACCURACY_CORES, memory: DEFAULT_MEMORY };
  if (kernels === 'dense') return common;
  if (!nm) throw new RangeError(`${modelLabel(model)}: a dense model has no ${kernels} kernels`);
  return { ...common, nm, xnmsparse: kernels === 'xnmsparse', ...(model.sparsity === 'trained' ? { prunable: () => false } : {}) };
}

/** The kernels a model's version is deployed with: Xnmsparse for an N:M model, dense else. */
export const deployedKernels = (model: AccuracyModel): KernelChoice => (model.nm === 'dense' ? 'dense' : 'xnmsparse');

/** The network's first output, checked to be a vector of logits (h = w = 1): its buffer order is the classes' order. */
export function logitsTensor(network: QuantizedNetwork): NetTensor {
  const tensor = network.tensors.get(network.outputs[0]!)!;
  if (tensor.shape.h !== 1 || tensor.shape.w !== 1) throw new ModelError(`${network.name}: the output '${tensor.name}' is ${tensor.shape.h}x${tensor.shape.w}x${tensor.shape.c}, not a vector of class logits`);
  return tensor;
}

/** The class a run's output bytes predict: the largest logit (the first one on a tie). */
export function predictedClass(logits: NetTensor, bytes: Uint8Array): number {
  const values = dequantize(logits, bytes);
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** The golden integer network's class for each of `indices`. */
export function goldenPredictions(network: QuantizedNetwork, set: ImageSet, indices: readonly number[]): Uint8Array {
  const logits = logitsTensor(network);
  return Uint8Array.from(indices, (index) => predictedClass(logits, runGolden(network, quantizeInput(network, imageInput(set, index))).get(logits.name)!));
}

/** Of the predictions for `indices`, how many are the images' labels. */
export function correctCount(set: ImageSet, indices: readonly number[], predictions: Uint8Array): number {
  return indices.reduce((n, index, i) => n + (predictions[i] === set.labels[index] ? 1 : 0), 0);
}

/** `n` images spread evenly over a set of `count` (image floor(i * count / n)): the same ones on every run and machine. */
export function evenSubset(count: number, n: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > count) throw new RangeError(`a subset of ${n} images of ${count}`);
  return Array.from({ length: n }, (_, i) => Math.floor((i * count) / n));
}

export interface IssAgreement {
  readonly images: number;
  /** Images whose every output byte equals the golden network's. */
  readonly agreements: number;
  /** The images (indices in the set) on which the cluster and the golden network differ. */
  readonly disagreements: readonly number[];
  /** The golden network's correct classes among them (what the cluster computed, where they agree). */
  readonly correct: number;
  /** Cycles of the last inference. */
  readonly cycles: number;
  /** Wall-clock seconds of the simulations alone. */
  readonly simulationSeconds: number;
}

/** The program run on the cluster for each of `indices` (one program: only its input changes), each output compared with the golden network's. */
export function issAgreement(model: CompiledModel, set: ImageSet, indices: readonly number[]): IssAgreement {
  const { network } = model;
  const logits = logitsTensor(network);
  const disagreements: number[] = [];
  let correct = 0;
  let cycles = 0;
  let nanoseconds = 0n;
  for (const index of indices) {
    const input = quantizeInput(network, imageInput(set, index));
    const started = process.hrtime.bigint();
    const run = runNetwork(model.compiled, { input });
    nanoseconds += process.hrtime.bigint() - started;
    cycles = run.cycles;
    const golden = runGolden(network, input);
    const same = network.outputs.every((name) => {
      const expected = golden.get(name)!;
      const actual = run.outputs.get(name)!;
      return expected.length === actual.length && expected.every((byte, i) => actual[i] === byte);
    });
    if (!same) disagreements.push(index);
    if (predictedClass(logits, golden.get(logits.name)!) === set.labels[index]) correct++;
  }
  return { images: indices.length, agreements: indices.length - disagreements.length, disagreements, correct, cycles, simulationSeconds: Number(nanoseconds) / 1e9 };
}
