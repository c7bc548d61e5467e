/**
 * Where the software sparse kernel (sparse.ts) keeps its activations and how it divides the work.
 *
 * The activation buffer is the input transposed once per core, not an im2col per pass: buffer row
 * r holds input row `iy`, channel after channel, and within a channel the padded input columns
 * split by stride phase (column X = j * stride + phase at byte `phase * phaseBytes + j`). Then
 * the activations of one weight position (ky, kx, c) for PASS_PIXELS consecutive output pixels
 * of a row are PASS_PIXELS consecutive bytes, at a byte offset from the pass's base that does not
 * depend on the pass: the weights carry that offset (sw/sparse/offsets.ts), and one (possibly
 * misaligned) word load fetches four pixels. Every input byte is transposed once per core and
 * serves all kH * kW windows that read it. Layers with a 1x1 kernel and stride 1 (pointwise, fc,
 * matmul) are one flat row of pixels; their buffer holds one pass.
 */
import { type LayerSpec, LayerSpecError, outputHeight, outputWidth } from '../../layers/spec.js';
import { type Range, splitRange } from './split.js';

/** Output pixels per pass: two groups of four, one word of the buffer each. */
export const PASS_PIXELS = 8;

const roundUp = (n: number, unit: number): number => Math.ceil(n / unit) * unit;

export interface BufferGeometry {
  /** A 1x1, stride-1 layer, seen as one row of inH * inW pixels. */
  readonly flat: boolean;
  readonly inRows: number;
  readonly inCols: number;
  readonly outRows: number;
  readonly outCols: number;
  readonly passesPerRow: number;
  /** Bytes of one stride phase of one channel of one row (a multiple of 4). */
  readonly phaseBytes: number;
  readonly channelBytes: number;
  readonly rowBytes: number;
}

export function bufferGeometry(spec: LayerSpec): BufferGeometry {
  const flat = spec.kH === 1 && spec.kW === 1 && spec.stride === 1;
  const inRows = flat ? 1 : spec.inH;
  const inCols = flat ? spec.inH * spec.inW : spec.inW;
  const outRows = flat ? 1 : outputHeight(spec);
  const outCols = flat ? inCols : outputWidth(spec);
  const passesPerRow = Math.ceil(outCols / PASS_PIXELS);
  // A flat layer's buffer is one pass wide; a convolution's spans its output row plus the window.
  const phaseBytes = flat ? PASS_PIXELS : roundUp(passesPerRow * PASS_PIXELS + Math.floor((spec.kW - 1) / spec.stride), 4);
  const channelBytes = spec.stride * phaseBytes;
  return { flat, inRows, inCols, outRows, outCols, passesPerRow, phaseBytes, channelBytes, rowBytes: spec.inC * channelBytes };
}

/** Byte offset of weight position k (im2col order ky, kx, c) from a pass's base. */
export function positionOffset(spec: LayerSpec, geometry: BufferGeometry, k: number): number {
  const c = k % spec.inC;
  const kx = Math.floor(k / spec.inC) % spec.kW;
  const ky = Math.floor(k / (spec.inC * spec.kW));
  return ky * geometry.rowBytes + c * geometry.channelBytes + (kx % spec.stride) * geometry.phaseBytes + Math.floor(kx / spec.stride);
}

/** One pass: PASS_PIXELS output pixels of one row from column x0, of which `valid` exist. */
export interface Pass {
  readonly row: number;
  readonly x0: number;
  readonly valid: number;
}

export function passAt(geometry: BufferGeometry, index: number): Pass {
  const row = Math.floor(index / geometry.passesPerRow);
  const x0 = (index % geometry.passesPerRow) * PASS_PIXELS;
  return { row, x0, valid: Math.min(PASS_PIXELS, geometry.outCols - x0) };
}

/** A core's share: a range of passes and a range of output channels (empty ranges: the core idles). */
export interface CoreShare {
  readonly passes: Range;
  readonly channels: Range;
}

/**
 * Passes are split between the cores; when there are fewer passes than cores, the cores that
 * share a range of passes split the output channels instead (a fully connected layer has one pass).
 */
export function coreShares(spec: LayerSpec, cores: number): CoreShare[] {
  const geometry = bufferGeometry(spec);
  const passes = geometry.outRows * geometry.passesPerRow;
  const passParts = Math.min(passes, cores);
  const channelParts = Math.min(spec.outC, Math.floor(cores / passParts));
  const passRanges = splitRange(passes, passParts);
  const channelRanges = splitRange(spec.outC, channelParts);
  return Array.from({ length: cores }, (_, core): CoreShare => {
    if (core >= passParts * channelParts) return { passes: { start: 0, count: 0 }, channels: { start: 0, count: 0 } };
    return { passes: passRanges[Math.floor(core / channelParts)]!, channels: channelRanges[core % channelParts]! };
  });
}

/** Input rows (of the buffer) that the passes of output rows first..last read. */
export function inputRowsFor(spec: LayerSpec, first: number, last: number): number {
  return (last - first) * spec.stride + spec.kH;
}

/** Scratch bytes of a buffer of `rows` rows, rounded so that it is cleared in blocks of 16 bytes. */
export const bufferBytes = (geometry: BufferGeometry, rows: number): number => roundUp(rows * geometry.rowBytes, 16);

/**
 * Buffer rows per core: every input row of the layer when they fit in `budget`, else as many as
 * fit, but at least one window's kH rows.
 */
export function bufferRows(spec: LayerSpec, budget: number): number {
  const geometry = bufferGeometry(spec);
  const wanted = geometry.flat ? 1 : inputRowsFor(spec, 0, geometry.outRows - 1);
  let rows = wanted;
  while (rows > 0 && bufferBytes(geometry, rows) > budget) rows--;
  const least = geometry.flat ? 1 : spec.kH;
  if (rows < least) {
    throw new LayerSpecError(
      'tile',
      `layer '${spec.name}': the sparse kernel's activation buffer needs ${bufferBytes(geometry, least)} bytes per core (${least} rows of ${geometry.rowBytes}), L1 leaves ${budget}: use fewer input channels or a narrower tile`,
    );
  }
  return rows;
}

/** A run of a core's passes whose input rows fit the buffer together. */
export interface Chunk {
  readonly passes: readonly Pass[];
  /** The first buffer row's input row (negative or past the input: padding). */
  readonly firstInputRow: number;
  readonly inputRows: number;
}

/** A core's passes grouped into chunks of at most `capacity` buffer rows (flat layers: one pass each). */
export function chunksOf(spec: LayerSpec, passes: Range, capacity: number): Chunk[] {
  const geometry = bufferGeometry(spec);
  const chunks: Chunk[] = [];
  let current: Pass[] = [];
  const close = (): void => {
    if (current.length === 0) return;
    const first = current[0]!.row;
    const last = current[current.length - 1]!.row;
    chunks.push({ passes: current, firstInputRow: geometry.flat ? 0 : first * spec.stride - spec.pad.top, inputRows: geometry.flat ? 1 : inputRowsFor(spec, first, last) });
    current = [];
  };
  for (let index = passes.start; index < passes.start + passes.count; index++) {
    const pass = passAt(geometry, index);
    if (current.length > 0 && (geometry.flat || inputRowsFor(spec, current[0]!.row, pass.row) > capacity)) close();
    current.push(pass);
  }
  close();
  return chunks;
}
