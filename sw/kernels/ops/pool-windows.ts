/**
 * What the pooling kernels (max-pool.ts, avg-pool.ts) share: the split of the output between the
 * cores, the in-bounds part of every window, and the code that walks the output pixels of a core
 * and, per pixel, its channels, handing each channel word (4 channels) and each leftover channel
 * byte to the pooling's reduction.
 *
 * Padding is never visited: per output row and column the generator computes which kernel rows and
 * columns fall inside the input, so each pixel's window is a rectangle of the input; pixels with
 * the same rectangle (the interior, and each border row and column) share code. One pointer walks a
 * window, one post-incremented load per position: +C along a kernel row, to the next kernel row at
 * its end, and back to the window's first position, one channel word (or byte) on, after the last.
 * Channel words are a hardware loop around the unrolled window; pixels of a run and rows are
 * counted branch loops (loopBackLines). Words of a channel count that is not a multiple of 4 are misaligned
 * (one more cycle per access), and the last C % 4 channels are bytes.
 *
 * Work split (split.ts): ranges of output pixels, and when the output has fewer pixels than cores
 * (global pooling), ranges of whole channel words as well: the grid with the smallest largest share,
 * each channel range started in its own TCDM bank (channelPasses).
 */
import type { Addr } from '../../../isa/types.js';
import { type PoolSpec, poolOutputHeight, poolOutputWidth } from '../../layers/pool.js';
import { addConstantLines } from '../layers/im2col.js';
import { PULP_CLUSTER } from '../../../sim/cluster/config.js';
import { type Range, splitRange } from '../layers/split.js';
import { checkInteger, checkRegions } from './regions.js';

/** Where the input and output tensors (HWC) lie in L1. */
export interface PoolAddresses {
  readonly input: Addr;
  readonly output: Addr;
}

/** L1 bytes of the input and output tensors (no scratch). */
export function poolL1Bytes(spec: PoolSpec): number {
  return spec.inH * spec.inW * spec.c + poolOutputHeight(spec) * poolOutputWidth(spec) * spec.c;
}

/**
 * The most window positions a kernel unrolls: the code of one channel word grows with them
 * (average pooling: 5 instructions a position) and is a hardware loop, whose end cv.setup reaches
 * only 4095 instructions on.
 */
export const MAX_WINDOW_POSITIONS = 512;

/** The registers of the walk; the reductions use the others (REDUCTION_REGISTERS), never sp. */
export const WALK = {
  input: 's0',
  output: 's1',
  window: 's2',
  channelStride: 's3',
  words: 's4',
  pixelStride: 's5',
  rowStep: 's6',
  wrapWord: 's7',
  wrapByte: 's8',
  rows: 's9',
  pixels: 's10',
  scratch: 's11',
} as const;

export const REDUCTION_REGISTERS = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 't0', 't1', 't2', 't3', 't4', 't5', 't6', 'ra', 'gp', 'tp'] as const;

/**
 * A pooling's reduction of one window. `load(k, rd)` is the load of window position k (0 to n - 1,
 * in order: it moves the window pointer) into rd.
 */
export interface WindowReduction {
  /** Constant registers, set once per core. */
  setupLines(): string[];
  /** One channel word: reduce the n positions and store the word with `cv.sw ..., (output), 4`. At least three instructions (a hardware-loop body). */
  wordLines(n: number, load: (k: number, rd: string) => string): string[];
  /** One channel byte: reduce and store with `cv.sb ..., (output), 1`. */
  byteLines(n: number, load: (k: number, rd: string) => string): string[];
  /** The byte load of the input's type (lb or lbu). */
  readonly byteLoad: 'cv.lb' | 'cv.lbu';
}

/**
 * Loads of positions `first`.. `first + n - 1` into two registers in turn, each loaded two
 * instructions before `use` reads it (no load-use stall but for n = 1).
 */
export function interleavedLines(n: number, first: number, load: (k: number, rd: string) => string, temps: readonly [string, string], use: (k: number, reg: string) => string[]): string[] {
  if (n === 0) return [];
  const lines = [load(first, temps[0])];
  if (n > 1) lines.push(load(first + 1, temps[1]));
  for (let k = 0; k < n; k++) {
    lines.push(...use(first + k, temps[k % 2]!));
    if (k + 2 < n) lines.push(load(first + k + 2, temps[k % 2]!));
  }
  return lines;
}

/** The in-bounds kernel offsets of one output row or column: `count` offsets from `start`. */
interface Span {
  readonly start: number;
  readonly count: number;
}

function spans(outputs: number, inputs: number, kernel: number, stride: number, before: number): Span[] {
  return Array.from({ length: outputs }, (_, o) => {
    const origin = o * stride - before;
    const start = Math.max(0, -origin);
    return { start, count: Math.min(kernel, inputs - origin) - start };
  });
}

export function checkPool(op: string, spec: PoolSpec, at: PoolAddresses, cores: number): void {
  const where = `${op} '${spec.name}'`;
  for (const [name, value] of [['inH', spec.inH], ['inW', spec.inW], ['c', spec.c], ['kH', spec.kH], ['kW', spec.kW], ['stride', spec.stride]] as const) checkInteger(where, name, value, 1, 65535);
  for (const [side, pad, kernel] of [['top', spec.pad.top, spec.kH], ['bottom', spec.pad.bottom, spec.kH], ['left', spec.pad.left, spec.kW], ['right', spec.pad.right, spec.kW]] as const) {
    // A pad as large as the window would leave windows wholly in the padding (ONNX forbids it too).
    checkInteger(where, `pad.${side}`, pad, 0, kernel - 1);
  }
  checkInteger(where, 'cores', cores, 1, 16);
  if (spec.kH > spec.inH + spec.pad.top + spec.pad.bottom || spec.kW > spec.inW + spec.pad.left + spec.pad.right) throw new RangeError(`${where}: a ${spec.kH}x${spec.kW} window is larger than the padded input`);
  if (spec.kH * spec.kW > MAX_WINDOW_POSITIONS) throw new RangeError(`${where}: a window of ${spec.kH * spec.kW} positions is more than the ${MAX_WINDOW_POSITIONS} the kernel unrolls: pool in two steps`);
  const outputBytes = poolOutputHeight(spec) * poolOutputWidth(spec) * spec.c;
  checkRegions(where, [{ name: 'input', address: at.input, bytes: spec.inH * spec.inW * spec.c }], { name: 'output', address: at.output, bytes: outputBytes }, false);
}

/** One core's share: output pixels (raster order) and channels, the `part`-th of `parts` channel ranges. */
interface Share {
  readonly pixels: Range;
  readonly channels: Range;
  readonly part: number;
  readonly parts: number;
}

/** The grid of pixel ranges by channel ranges (whole words) whose largest share is the smallest, preferring fewer channel ranges. */
function shares(spec: PoolSpec, cores: number): Share[] {
  const pixels = poolOutputHeight(spec) * poolOutputWidth(spec);
  // A share's cost in channel words per pixel, plus two for the pixel's own overhead.
  const cost = (s: Share): number => (s.pixels.count === 0 || s.channels.count === 0 ? 0 : s.pixels.count * (Math.ceil(s.channels.count / 4) + 2));
  let best: { cost: number; shares: Share[] } | undefined;
  for (let channelParts = 1; channelParts <= Math.min(cores, Math.ceil(spec.c / 4)); channelParts++) {
    const grid = splitRange(pixels, Math.floor(cores / channelParts)).flatMap((p) =>
      splitRange(spec.c, channelParts, 4).map((channels, part) => ({ pixels: p, channels, part, parts: channelParts })),
    );
    const largest = Math.max(...grid.map(cost));
    if (!best || largest < best.cost) best = { cost: largest, shares: grid };
  }
  const idle: Share = { pixels: { start: 0, count: 0 }, channels: { start: 0, count: 0 }, part: 0, parts: 1 };
  return [...best!.shares, ...Array.from({ length: cores - best!.shares.length }, () => idle)];
}

/**
 * The share's channels in the order the core visits them. Cores with the same pixels and
 * different channel ranges would otherwise read the same window position of their first words in
 * the same cycles, in one TCDM bank when the ranges are a multiple of the banks apart (global
 * pooling of 512 channels on 8 cores: 64 bytes, a third of the cycles lost to contention): channel
 * range `part` starts at the word that puts it `part` * banks / parts banks from the first range,
 * and comes back to its leading words in a second pass.
 */
function channelPasses(share: Share): Range[] {
  const { channels, part, parts } = share;
  const words = Math.floor(channels.count / 4);
  if (parts === 1 || words === 0) return [channels];
  const banks = PULP_CLUSTER.l1Banks;
  const rotation = ((((Math.floor((part * banks) / parts) - channels.start / 4) % banks) + banks) % banks) % words;
  if (rotation === 0) return [channels];
  return [
    { start: channels.start + 4 * rotation, count: channels.count - 4 * rotation },
    { start: channels.start, count: 4 * rotation },
  ];
}

/** A run of output rows of one core, each over columns [x0, x1): rows > 1 only for whole rows of the same kernel rows. */
interface RowBlock {
  readonly row: number;
  readonly rows: number;
  readonly x0: number;
  readonly x1: number;
}

function rowBlocks(spec: PoolSpec, pixels: Range, rowSpans: readonly Span[]): RowBlock[] {
  const outW = poolOutputWidth(spec);
  const blocks: RowBlock[] = [];
  const end = pixels.start + pixels.count;
  let p = pixels.start;
  while (p < end) {
    const row = Math.floor(p / outW);
    const x0 = p % outW;
    const x1 = Math.min(outW, x0 + end - p);
    let rows = 1;
    const same = (a: Span, b: Span): boolean => a.start === b.start && a.count === b.count;
    if (x0 === 0 && x1 === outW) while ((row + rows + 1) * outW <= end && same(rowSpans[row + rows]!, rowSpans[row]!)) rows++;
    blocks.push({ row, rows, x0, x1 });
    p += rows === 1 ? x1 - x0 : rows * outW;
  }
  return blocks;
}

/** Runs of columns of [x0, x1) with the same kernel columns. */
function columnRuns(x0: number, x1: number, columnSpans: readonly Span[]): { x: number; count: number; span: Span }[] {
  const runs: { x: number; count: number; span: Span }[] = [];
  for (let x = x0; x < x1; x++) {
    const last = runs[runs.length - 1];
    const span = columnSpans[x]!;
    if (last && last.span.start === span.start && last.span.count === span.count) runs.push({ ...runs.pop()!, count: last.count + 1 });
    else runs.push({ x, count: 1, span });
  }
  return runs;
}

/**
 * The counted loop's end: decrement `counter`, back to `label` while non-zero. A branch reaches
 * 4 KiB; a longer body (large windows) goes back with a jump instead, past which the exit branches.
 */
function loopBackLines(counter: string, label: string, body: readonly string[]): string[] {
  // At most 8 bytes a line (li expands to lui + addi); labels and comments count too, harmlessly.
  const near = body.length * 8 < 4000;
  const decrement = `  addi ${counter}, ${counter}, -1`;
  return near ? [decrement, `  bnez ${counter}, ${label}`] : [decrement, `  beqz ${counter}, ${label}_done`, `  j ${label}`, `${label}_done:`];
}

/** The code of the pixels of one run: their window is kernel rows `rowSpan` x kernel columns `columnSpan`. */
function runLines(spec: PoolSpec, reduction: WindowReduction, channels: number, rowSpan: Span, columnSpan: Span, count: number, label: string): string[] {
  const C = spec.c;
  const kh = rowSpan.count;
  const kw = columnSpan.count;
  const n = kh * kw;
  const last = ((kh - 1) * spec.inW + (kw - 1)) * C;
  const increment = (k: number, wrap: string): string => (k % kw < kw - 1 ? WALK.channelStride : k < n - 1 ? WALK.rowStep : wrap);
  const loadWord = (k: number, rd: string): string => `  cv.lw ${rd}, (${WALK.window}), ${increment(k, WALK.wrapWord)}`;
  const loadByte = (k: number, rd: string): string => `  ${reduction.byteLoad} ${rd}, (${WALK.window}), ${increment(k, WALK.wrapByte)}`;
  const words = Math.floor(channels / 4);
  const bytes = channels % 4;
  const pixel = [
    ...addConstantLines(WALK.window, WALK.input, (rowSpan.start * spec.inW + columnSpan.start) * C, WALK.scratch),
    ...(words === 0 ? [] : [`  cv.setup 0, ${WALK.words}, ${label}_words`, ...reduction.wordLines(n, loadWord), `${label}_words:`]),
    ...Array.from({ length: bytes }, () => reduction.byteLines(n, loadByte)).flat(),
    `  add ${WALK.input}, ${WALK.input}, ${WALK.pixelStride}`,
    ...addConstantLines(WALK.output, WALK.output, C - channels, WALK.scratch),
  ];
  return [
    `# ${count} pixel${count > 1 ? 's' : ''}, window rows ${rowSpan.start}..${rowSpan.start + kh - 1} x columns ${columnSpan.start}..${columnSpan.start + kw - 1}`,
    ...(kh > 1 ? [`  li ${WALK.rowStep}, ${(spec.inW - kw + 1) * C}`] : []),
    ...(words > 0 ? [`  li ${WALK.wrapWord}, ${4 - last}`] : []),
    ...(bytes > 0 ? [`  li ${WALK.wrapByte}, ${1 - last}`] : []),
    ...(count === 1 ? pixel : [`  li ${WALK.pixels}, ${count}`, `${label}:`, ...pixel, ...loopBackLines(WALK.pixels, label, pixel)]),
  ];
}

/**
 * Assembly lines of every core (VariantGenerator.code's contract): `core_0` .. `core_<cores-1>`,
 * each ending with `j kernel_end`; only the output is stored to.
 */
export function poolCode(spec: PoolSpec, reduction: WindowReduction, at: PoolAddresses, cores: number, name: string): string[] {
  const outW = poolOutputWidth(spec);
  const C = spec.c;
  const rowSpans = spans(poolOutputHeight(spec), spec.inH, spec.kH, spec.stride, spec.pad.top);
  const columnSpans = spans(outW, spec.inW, spec.kW, spec.stride, spec.pad.left);
  // The input address of output pixel (y, x)'s window corner (in the padding, maybe outside L1: only ever offset into the input).
  const origin = (y: number, x: number): number => at.input + ((y * spec.stride - spec.pad.top) * spec.inW + x * spec.stride - spec.pad.left) * C;
  /** The pixels of a share over one range of channels. */
  const passLines = (pixels: Range, channels: Range, label: string): string[] =>
    rowBlocks(spec, pixels, rowSpans).flatMap((block, b) => {
      const row = [
        ...columnRuns(block.x0, block.x1, columnSpans).flatMap((run, r) => runLines(spec, reduction, channels.count, rowSpans[block.row]!, run.span, run.count, `${label}_${b}_${r}`)),
        ...(block.rows > 1 ? addConstantLines(WALK.input, WALK.input, (spec.inW - outW) * spec.stride * C, WALK.scratch) : []),
      ];
      return [
        `  li ${WALK.input}, ${origin(block.row, block.x0) + channels.start}`,
        `  li ${WALK.output}, ${at.output + (block.row * outW + block.x0) * C + channels.start}`,
        ...(block.rows > 1 ? [`  li ${WALK.rows}, ${block.rows}`, `${label}_${b}_rows:`, ...row, ...loopBackLines(WALK.rows, `${label}_${b}_rows`, row)] : row),
      ];
    });
  return [
    `# ${name} '${spec.name}': ${spec.inH}x${spec.inW}x${C}, ${spec.kH}x${spec.kW} window, stride ${spec.stride}`,
    ...shares(spec, cores).flatMap((share, core) => {
      const { pixels, channels } = share;
      if (pixels.count === 0 || channels.count === 0) return [`core_${core}:                      # no work`, '  j kernel_end'];
      return [
        `core_${core}:                      # output pixels ${pixels.start}..${pixels.start + pixels.count - 1}, channels ${channels.start}..${channels.start + channels.count - 1}`,
        ...reduction.setupLines(),
        `  li ${WALK.channelStride}, ${C}`,
        `  li ${WALK.pixelStride}, ${spec.stride * C}`,
        ...channelPasses(share).flatMap((pass, p) => [
          `  li ${WALK.words}, ${Math.floor(pass.count / 4)}              # channels ${pass.start}..${pass.start + pass.count - 1}`,
          ...passLines(pixels, pass, `pool_${core}_${p}`),
        ]),
        '  j kernel_end',
      ];
    }),
  ];
}
