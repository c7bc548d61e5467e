/**
 * Activation ranges of a float model from calibration inputs: the float evaluator runs each input
 * and every value's minimum and maximum are kept. The scale of a tensor is its largest magnitude
 * over 127 (int8) or 255 (uint8), onnxruntime's MinMax calibration made symmetric: no activation
 * seen in calibration saturates, at the price of resolution when a few outliers dominate.
 */
import { Random } from '../../../util/random.js';
import type { Graph } from '../../onnx/graph.js';
import { evaluateFloat } from '../float-eval.js';
import { elementCount } from '../float/tensor.js';

export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

/** The single float input the quantizer supports, or an error naming what the graph has. */
export function singleInput(graph: Graph): Graph['inputs'][number] {
  const [input, ...rest] = graph.inputs;
  if (!input || rest.length > 0) throw new RangeError(`${graph.source}: the integer network takes one input, the graph has ${graph.inputs.length}`);
  if (input.type !== 'float32') throw new RangeError(`${graph.source}: input '${input.name}' is ${input.type}: the quantizer takes a float32 input`);
  return input;
}

/** Minimum and maximum of every value (the input and every node output) over the calibration inputs. */
export function calibrationRanges(graph: Graph, calibration: readonly Float32Array[]): Map<string, ValueRange> {
  singleInput(graph);
  if (calibration.length === 0) throw new RangeError(`${graph.source}: no calibration inputs (randomCalibration makes some for a model without a calibration set)`);
  const ranges = new Map<string, ValueRange>();
  for (const input of calibration) {
    for (const [name, value] of evaluateFloat(graph, [input])) {
      let { min, max } = ranges.get(name) ?? { min: Infinity, max: -Infinity };
      for (const x of value.data) {
        if (x < min) min = x;
        if (x > max) max = x;
      }
      ranges.set(name, { min, max });
    }
  }
  return ranges;
}

/**
 * `count` deterministic inputs of the graph's input shape, each element standard normal (Box-Muller
 * on the project's seeded generator): the statistics of a normalized image or embedding, for a
 * model that comes without a calibration set. Ranges from random inputs only approximate those of
 * real data; the command line warns when it falls back on them.
 */
export function randomCalibration(graph: Graph, count: number, seed: number): Float32Array[] {
  const input = singleInput(graph);
  const size = elementCount(input.dims);
  const random = new Random(seed);
  const uniform = (): number => (random.uint32() + 1) / 2 ** 32;
  return Array.from({ length: count }, () => {
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) data[i] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return data;
  });
}
