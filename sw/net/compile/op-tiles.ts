/**
 * Tiling the operators other than multiply-accumulate layers (docs/compiler.md#tiles). Row
 * operators (residual add, softmax, LayerNormalization, GELU) see their tensors as rows of c bytes
 * (h * w rows) and take blocks of whole rows; pooling takes blocks of output rows with the input
 * rows their windows read, as a convolution does. Each takes the largest block that fits two
 * buffer sets in L1 (one when two do not), since these kernels are bound by the DMA more than by
 * the cores, and fewer tiles cost fewer steps.
 */
import type { Addr } from '../../../isa/types.js';
import { LayerSpecError } from '../../layers/spec.js';
import type { PoolSpec } from '../../layers/pool.js';
import type { NetNode, NetTensor, Network, PoolWindow } from '../graph.js';
import type { TilingContext, TiledLayer } from './layer-tiles.js';
import { transferCycles } from './cost.js';
import { partFill, partTransfer, wholeTensor } from './regions.js';
import { type Fill, type Tile, align4, contiguous } from './tile.js';
import { blocks, inputRowsFor, rowWindow } from './window.js';

/** One row operator as the row tiler sees it. */
export interface RowOperator {
  readonly node: NetNode;
  /** Input tensors, each of the output's rows and row length (a residual add has two). */
  readonly inputs: readonly NetTensor[];
  readonly output: NetTensor;
  /** A table or parameter image every tile reads (GELU's table, LayerNormalization's gamma and beta). */
  readonly constant?: Uint8Array;
  /** Scratch bytes each core needs for a row of the tensor. */
  readonly scratchPerCore?: number;
  /** The code for `rows` rows at these L1 addresses. */
  code(rows: number, plan: RowPlan): string[];
}

export interface RowPlan {
  readonly inputs: readonly Addr[];
  readonly output: Addr;
  readonly constant: Addr;
  readonly scratch: Addr;
}

/**
 * The most rows per tile whose buffers (`bytes` for a block of rows in one or two sets) fit
 * `limit`: the whole tensor in one set when two would fit (the other half of L1 stays free for the
 * next node's first fills), else blocks in two sets so transfers overlap compute, else (not even
 * one row fits twice) blocks in one set.
 */
function largestBlock(total: number, bytes: (rows: number, sets: 1 | 2) => number, limit: number): { rows: number; sets: 1 | 2 } | undefined {
  if (bytes(total, 2) <= limit) return { rows: total, sets: 1 };
  for (const sets of [2, 1] as const) for (let rows = total - 1; rows >= 1; rows--) if (bytes(rows, sets) <= limit) return { rows, sets };
  return undefined;
}

export function tileRows(op: RowOperator, context: TilingContext): TiledLayer {
  const { node, output } = op;
  const rowBytes = output.shape.c;
  const totalRows = output.shape.h * output.shape.w;
  const constantBytes = align4(op.constant?.length ?? 0);
  const scratchBytes = align4(op.scratchPerCore ?? 0) * context.cores;
  const perRow = (op.inputs.length + 1) * rowBytes;
  const setFor = (rows: number): number => (op.inputs.length + 1) * align4(rows * rowBytes);
  const fixed = constantBytes + scratchBytes;
  const block = largestBlock(totalRows, (rows, sets) => fixed + sets * setFor(rows), context.l1.bytes);
  if (!block) throw new LayerSpecError('tile', `node '${node.name}' (${node.op}): one row of ${rowBytes} bytes and its buffers do not fit the ${context.l1.bytes} bytes of L1: give the cluster more L1 (--l1)`);
  const { rows, sets } = block;
  const setBytes = setFor(rows);
  const constantAt = context.l1.start + sets * setBytes;
  const scratch = constantAt + constantBytes;
  const blob = op.constant ? context.constants.add(node.name, 'table', op.constant) : undefined;
  const tiles: Tile[] = blocks(totalRows, rows).map(([r0, r1], k): Tile => {
    const base = context.l1.start + (k % sets) * setBytes;
    const buffer = (i: number): Addr => base + i * align4(rows * rowBytes);
    const bytes = (r1 - r0) * rowBytes;
    const plan: RowPlan = { inputs: op.inputs.map((_, i) => buffer(i)), output: buffer(op.inputs.length), constant: constantAt, scratch };
    const part = (tensor: string) => ({ tensor, width: rowBytes, firstRow: r0, rows: r1 - r0, firstByte: 0, bytes: rowBytes });
    const fills: Fill[] = op.inputs.map((input, i) => partFill(context.network, part(input.name), plan.inputs[i]!));
    if (blob !== undefined) fills.push({ ...contiguous({ kind: 'constant', blob, offset: 0 }, constantAt, op.constant!.length), content: `blob ${blob}` });
    const lines = op.code(r1 - r0, plan);
    return {
      node: node.name,
      fills,
      scratch: [{ start: plan.output, bytes }, ...(scratchBytes > 0 ? [{ start: scratch, bytes: scratchBytes }] : [])],
      code: { key: JSON.stringify({ op: node.op, node: node.name, rows: r1 - r0, plan }), lines: () => lines },
      drains: [partTransfer(context.network, part(output.name), plan.output)],
    };
  });
  const transfers = transferCycles(rows * perRow, context.dma);
  return {
    tiles,
    weightBytes: op.constant?.length ?? 0,
    summary: { rowsPerTile: rows, channelsPerGroup: rowBytes, tiles: tiles.length, l1Bytes: sets * setBytes + fixed, estimate: tiles.length * transfers },
  };
}

/** A tensor of the network, which validation has checked exists. */
export const tensorOf = (network: Network, name: string): NetTensor => network.tensors.get(name)!;

/** A pooling as the pool tiler sees it: the node, its input and output, and its code for a tile. */
export interface PoolOperator {
  readonly node: NetNode;
  readonly input: NetTensor;
  readonly output: NetTensor;
  readonly window: PoolWindow;
  code(spec: PoolSpec, plan: { readonly input: Addr; readonly output: Addr }): string[];
}

/** Blocks of output rows, each with the input rows its windows read (the edge blocks with their padding). */
export function tilePool(op: PoolOperator, context: TilingContext): TiledLayer {
  const { node, input, output, window } = op;
  const whole: PoolSpec = { name: node.name, inH: input.shape.h, inW: input.shape.w, c: input.shape.c, signed: input.signed, ...window };
  const outH = output.shape.h;
  const outRowBytes = output.shape.w * output.shape.c;
  const inRowBytes = input.shape.w * input.shape.c;
  const setFor = (rows: number): number => align4(inputRowsFor(whole, rows) * inRowBytes) + align4(rows * outRowBytes);
  const block = largestBlock(outH, (rows, sets) => sets * setFor(rows), context.l1.bytes);
  if (!block) throw new LayerSpecError('tile', `node '${node.name}' (${node.op}): one output row's input rows (${inputRowsFor(whole, 1) * inRowBytes} bytes) do not fit the ${context.l1.bytes} bytes of L1: give the cluster more L1 (--l1)`);
  const { rows, sets } = block;
  const setBytes = setFor(rows);
  const codes = new Map<string, string[]>();
  const tiles = blocks(outH, rows).map(([o0, o1], k): Tile => {
    const rowsIn = rowWindow(whole, o0, o1);
    const spec: PoolSpec = { ...whole, inH: rowsIn.inRows, pad: { ...whole.pad, top: rowsIn.padTop, bottom: rowsIn.padBottom } };
    const base = context.l1.start + (k % sets) * setBytes;
    const plan = { input: base, output: base + align4(inputRowsFor(whole, rows) * inRowBytes) };
    const outBytes = (o1 - o0) * outRowBytes;
    const key = JSON.stringify({ op: node.op, node: node.name, spec: { ...spec, name: '' }, plan });
    let lines = codes.get(key);
    if (!lines) {
      lines = op.code(spec, plan);
      codes.set(key, lines);
    }
    const code = lines;
    return {
      node: node.name,
      fills: [partFill(context.network, { tensor: input.name, width: input.shape.c, firstRow: rowsIn.inRow * input.shape.w, rows: rowsIn.inRows * input.shape.w, firstByte: 0, bytes: input.shape.c }, plan.input)],
      scratch: [{ start: plan.output, bytes: outBytes }],
      code: { key, lines: () => code },
      drains: [partTransfer(context.network, { tensor: output.name, width: output.shape.c, firstRow: o0 * output.shape.w, rows: (o1 - o0) * output.shape.w, firstByte: 0, bytes: output.shape.c }, plan.output)],
    };
  });
  return {
    tiles,
    weightBytes: 0,
    summary: { rowsPerTile: rows, channelsPerGroup: input.shape.c, tiles: tiles.length, l1Bytes: sets * setBytes, estimate: tiles.length * transferCycles(setBytes, context.dma) },
  };
}

/** A transpose in one tile: the whole matrix in L1 (attention's per-head matrices are a few KiB). */
export function tileTranspose(node: NetNode, input: NetTensor, output: NetTensor, code: (rows: number, cols: number, plan: { input: Addr; output: Addr }) => string[], context: TilingContext): TiledLayer {
  const rows = input.shape.h * input.shape.w;
  const cols = input.shape.c;
  const bytes = rows * cols;
  if (2 * align4(bytes) > context.l1.bytes) throw new LayerSpecError('tile', `node '${node.name}' (transpose): a ${rows} x ${cols} matrix and its transpose do not fit the ${context.l1.bytes} bytes of L1: give the cluster more L1 (--l1)`);
  const plan = { input: context.l1.start, output: context.l1.start + align4(bytes) };
  const lines = code(rows, cols, plan);
  const tile: Tile = {
    node: node.name,
    fills: [partFill(context.network, wholeTensor(context.network, input.name), plan.input)],
    scratch: [{ start: plan.output, bytes }],
    code: { key: JSON.stringify({ op: 'transpose', rows, cols, plan }), lines: () => lines },
    drains: [partTransfer(context.network, wholeTensor(context.network, output.name), plan.output)],
  };
  return { tiles: [tile], weightBytes: 0, summary: { rowsPerTile: rows, channelsPerGroup: cols, tiles: 1, l1Bytes: 2 * align4(bytes), estimate: 2 * transferCycles(bytes, context.dma) } };
}
