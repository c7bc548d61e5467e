/**
 * Activation ranges of a float model from calibration inputs: the float evaluator runs each input
 * and every value's minimum and maximum are kept. The scale of a tensor is its largest magnitude
 * over 127 (int8) or 255 (uint8), onnxruntime's MinMax calibration made symmetric: no activation
 * seen in calibration saturates, at the price of resolution when a few outliers dominate. A
 * percentile (onnxruntime's Percentile method) trades those outliers' saturation for resolution.
 */
import { Random } from '../../../util/random.js';
import type { Graph } from '../../onnx/graph.js';
import { evaluateFloat } from '../float-eval.js';
import { elementCount } from '../float/tensor.js';
import { ModelError } from '../model-error.js';

export interface ValueRange {
  readonly min: number;
  readonly max: number;
}

/** The single float input the quantizer supports, or an error naming what the graph has. */
export function singleInput(graph: Graph): Graph['inputs'][number] {
  const [input, ...rest] = graph.inputs;
  if (!input || rest.length > 0) throw new ModelError(`${graph.source}: the integer network takes one input, the graph has ${graph.inputs.length}`);
  if (input.type !== 'float32') throw new ModelError(`${graph.source}: input '${input.name}' is ${input.type}: the quantizer takes a float32 input`);
  return input;
}

/**
 * Minimum and maximum of every value (the input and every node output) over the calibration
 * inputs; with `percentile` (for instance 99.99), both clipped to that percentile of the value's
 * magnitudes.
 */
export function calibrationRanges(graph: Graph, calibration: readonly Float32Array[], percentile?: number): Map<string, ValueRange> {
  singleInput(graph);
  if (calibration.length === 0) throw new ModelError(`${graph.source}: no calibration inputs (randomCalibration makes some for a model without a calibration set)`);
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
  if (percentile === undefined) return ranges;
  if (!(percentile > 0 && percentile <= 100)) throw new RangeError(`percentile ${percentile} is not in (0, 100]`);
  const clip = magnitudePercentiles(graph, calibration, ranges, percentile);
  return new Map([...ranges].map(([name, { min, max }]) => [name, { min: Math.max(min, -clip.get(name)!), max: Math.min(max, clip.get(name)!) }]));
}

/** Bins of the magnitude histograms: a bin is 1/2048 of the value's peak, finer than an int8 step. */
const HISTOGRAM_BINS = 2048;

/**
 * The `percentile` of every value's magnitudes, from a histogram over [0, peak] (a second run of
 * the calibration inputs): the upper edge of the bin where the cumulative count reaches it.
 */
function magnitudePercentiles(graph: Graph, calibration: readonly Float32Array[], ranges: ReadonlyMap<string, ValueRange>, percentile: number): Map<string, number> {
  const histograms = new Map<string, Float64Array>();
  const peakOf = (name: string): number => Math.max(Math.abs(ranges.get(name)!.min), Math.abs(ranges.get(name)!.max));
  for (const input of calibration) {
    for (const [name, value] of evaluateFloat(graph, [input])) {
      const histogram = histograms.get(name) ?? new Float64Array(HISTOGRAM_BINS);
      histograms.set(name, histogram);
      const perBin = HISTOGRAM_BINS / (peakOf(name) || 1);
      for (const x of value.data) histogram[Math.min(HISTOGRAM_BINS - 1, Math.floor(Math.abs(x) * perBin))]!++;
    }
  }
  return new Map(
    [...histograms].map(([name, histogram]) => {
      const target = (histogram.reduce((a, n) => a + n, 0) * percentile) / 100;
      let seen = 0;
      let bin = 0;
      while (bin < HISTOGRAM_BINS - 1 && seen + histogram[bin]! < target) seen += histogram[bin++]!;
      return [name, ((bin + 1) / HISTOGRAM_BINS) * peakOf(name)];
    }),
  );
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
