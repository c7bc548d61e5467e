/**
 * One case of the network bench: the network compiled for the case's kernels and run on the
 * cluster, its output checked against the golden integer network, and the figures of its row.
 */
import { runGolden } from '../golden.js';
import { layerRows } from '../layer-table.js';
import { compileModel, DEFAULT_MEMORY } from '../pipeline.js';
import { runNetwork } from '../run.js';
import { parsePattern } from '../../sparse/pattern.js';
import { BENCH_NETWORKS, type NetworkCase } from './cases.js';

export interface NetworkRow extends NetworkCase {
  readonly cycles: number;
  /** Over the same network's dense row of the same core count (set when the rows are together). */
  readonly speedupVsDense?: number;
  /** Weight images (values and indices) and quantization tables. */
  readonly weightBytes: number;
  /** The activations' arena at its peak, L2 and L3 together. */
  readonly peakActivationBytes: number;
  /** The cores' mean DMA wait, as a share of the cycles. */
  readonly dmaWaitPercent: number;
  /** The cores' mean cycles lost to the DMA's bank accesses, as a share of the cycles. */
  readonly dmaContentionPercent: number;
  readonly layers: number;
  readonly tiles: number;
  /** Cycles of each kind of layer (conv, dw, fc, matmul, add, maxpool, ...). */
  readonly cyclesByKind: Readonly<Record<string, number>>;
  /** Wall-clock seconds the simulation of the inference took (the machine's, not the cluster's). */
  readonly simulationSeconds: number;
}

export function runNetworkCase(c: NetworkCase): NetworkRow {
  const network = BENCH_NETWORKS.find((n) => n.name === c.network);
  if (!network) throw new Error(`no bench network '${c.network}'`);
  const model = compileModel(network.onnx(), `${network.name}.onnx`, {
    ...(c.variant === 'dense' ? {} : { nm: parsePattern(c.nm), xnmsparse: c.variant === 'xnmsparse' }),
    calibration: { random: 4, seed: 1 },
    cores: c.cores,
    memory: { ...DEFAULT_MEMORY, ...(network.l2 === undefined ? {} : { l2: network.l2 }) },
  });
  const started = process.hrtime.bigint();
  const run = runNetwork(model.compiled);
  const simulationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  const golden = runGolden(model.network, model.input);
  for (const output of model.network.outputs) {
    const expected = golden.get(output)!;
    const actual = run.outputs.get(output)!;
    if (expected.some((byte, i) => actual[i] !== byte)) throw new Error(`${c.network}: output '${output}' differs from the golden integer network`);
  }
  const rows = layerRows(model.compiled, run);
  const cyclesByKind: Record<string, number> = {};
  for (const r of rows) cyclesByKind[r.op] = (cyclesByKind[r.op] ?? 0) + r.cycles;
  const memory = model.compiled.memory;
  const share = (cycles: number): number => (100 * cycles) / run.cycles;
  return {
    ...c,
    cycles: run.cycles,
    weightBytes: memory.constantBytes.l2 + memory.constantBytes.l3,
    peakActivationBytes: memory.arena.l2 + memory.arena.l3,
    dmaWaitPercent: share(run.nodes.reduce((s, n) => s + n.dmaWait, 0)),
    dmaContentionPercent: share(run.nodes.reduce((s, n) => s + n.dmaContention, 0)),
    layers: rows.length,
    tiles: model.compiled.tiles.length,
    cyclesByKind,
    simulationSeconds,
  };
}

/** The rows with their speedup over the dense row of the same network and core count. */
export function withSpeedups(rows: readonly NetworkRow[]): NetworkRow[] {
  return rows.map((row) => {
    const dense = rows.find((r) => r.network === row.network && r.cores === row.cores && r.variant === 'dense');
    const { speedupVsDense: _, ...rest } = row;
    return dense ? { ...rest, speedupVsDense: dense.cycles / row.cycles } : rest;
  });
}
