// The options `compile`, `run` and `bench networks` share: the model's sparsity and kernels, the
// cluster's cores and memories, and the calibration inputs. Every refusal names the option.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { MAX_CLUSTER_CORES } from '../../sim/cluster/config.js';
import type { Graph } from '../../sw/onnx/graph.js';
import { type Calibration, type ClusterMemory, DEFAULT_MEMORY, type ModelOptions } from '../../sw/net/pipeline.js';
import { parsePattern } from '../../sw/sparse/pattern.js';
import { UsageError } from '../errors.js';
import { parseCount } from '../options.js';
import { readInputFile, INPUT_EXTENSIONS } from './input-file.js';

export interface ModelCommandOptions {
  nm?: string;
  xnmsparse?: boolean;
  cores: string;
  l1?: string;
  l2?: string;
  l3?: string;
  calibrate: string;
  pruneLayers?: string;
}

/** Random inputs calibrating a float model when no set is given. */
export const RANDOM_CALIBRATION_INPUTS = 4;

const UNITS: Readonly<Record<string, number>> = { '': 1, K: 1024, M: 1024 * 1024 };

/** A size in bytes: decimal digits with an optional K or M (binary units), e.g. 64K, 512K, 16M. */
export function parseBytes(text: string, option: string, min: number, max: number): number {
  const match = /^([0-9]+)([KM]?)$/.exec(text);
  if (!match) throw new UsageError(`${option} takes a size in bytes, with K or M for KiB or MiB (e.g. 64K), got '${text}'`);
  const bytes = Number(match[1]) * UNITS[match[2]!]!;
  if (!Number.isSafeInteger(bytes) || bytes < min || bytes > max) throw new UsageError(`${option} must be from ${min} to ${max} bytes, got '${text}'`);
  return bytes;
}

export function parseMemory(options: ModelCommandOptions): ClusterMemory {
  return {
    l1: options.l1 === undefined ? DEFAULT_MEMORY.l1 : parseBytes(options.l1, '--l1', 4096, 4 * 1024 * 1024),
    l2: options.l2 === undefined ? DEFAULT_MEMORY.l2 : parseBytes(options.l2, '--l2', 16 * 1024, 64 * 1024 * 1024),
    l3: options.l3 === undefined ? DEFAULT_MEMORY.l3 : parseBytes(options.l3, '--l3', 0, 256 * 1024 * 1024),
  };
}

/** --calibrate: `random`, or a directory of input files (read in name order once the graph is known). */
export function parseCalibration(text: string, graph: () => Graph): Calibration {
  if (text === 'random') return { random: RANDOM_CALIBRATION_INPUTS, seed: 1 };
  let files: string[];
  try {
    if (!statSync(text).isDirectory()) throw new UsageError(`--calibrate takes 'random' or a directory of inputs, and '${text}' is a file`);
    files = readdirSync(text).filter((f) => INPUT_EXTENSIONS.includes(path.extname(f).toLowerCase())).sort();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--calibrate: cannot read directory '${text}': ${(error as Error).message}`);
  }
  if (files.length === 0) throw new UsageError(`--calibrate: '${text}' holds no input file (${INPUT_EXTENSIONS.join(', ')})`);
  const input = graph().inputs[0]!;
  return { inputs: files.map((f) => readInputFile(path.join(text, f), input.dims)) };
}

/** --prune-layers: 'all' (every multiply-accumulate layer, depthwise ones aside), or node names, comma-separated. */
function parsePrunable(text: string, graph: () => Graph): (layer: string) => boolean {
  const layers = graph().nodes.filter((n) => n.op === 'Conv' || n.op === 'Gemm' || n.op === 'MatMul').map((n) => n.name);
  if (text === 'all') {
    const depthwise = new Set(graph().nodes.filter((n) => n.op === 'Conv' && (n.attributes.get('group') ?? 1) !== 1).map((n) => n.name));
    return (layer) => layers.includes(layer) && !depthwise.has(layer);
  }
  const names = text.split(',');
  const unknown = names.find((name) => !layers.includes(name));
  if (unknown !== undefined) throw new UsageError(`--prune-layers: the model has no Conv, Gemm or MatMul node '${unknown}' (its layers: ${layers.slice(0, 8).join(', ')}${layers.length > 8 ? ', ...' : ''})`);
  return (layer) => names.includes(layer);
}

export function parseModelOptions(options: ModelCommandOptions, graph: () => Graph): Omit<ModelOptions, 'keepTensors'> {
  if (options.xnmsparse && options.nm === undefined) throw new UsageError('--xnmsparse runs the sparse layers on the extension: give their sparsity with --nm');
  if (options.pruneLayers !== undefined && options.nm === undefined) throw new UsageError('--prune-layers chooses the layers --nm prunes: give --nm');
  return {
    ...(options.nm === undefined ? {} : { nm: parsePattern(options.nm) }),
    ...(options.pruneLayers === undefined ? {} : { prunable: parsePrunable(options.pruneLayers, graph) }),
    xnmsparse: options.xnmsparse ?? false,
    cores: parseCount(options.cores, '--cores', 1, MAX_CLUSTER_CORES),
    memory: parseMemory(options),
    calibration: parseCalibration(options.calibrate, graph),
  };
}
