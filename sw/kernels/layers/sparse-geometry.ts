/**
 * Where the software sparse kernel (sparse.ts) keeps its activations and how it divides the work.
 *
 * The activation buffer is the input transposed once per team of cores, not an im2col per pass: buffer row
 * r holds input row `iy`, channel after channel; within a channel, the padded input columns split
 * by stride phase (padded column X * stride + phase belongs to phase `phase`, column X of it), and
 * a phase is a run of words, word j holding columns j, j + Q, j + 2Q, j + 3Q (Q = laneStep). Then
 * the activations of one weight position (ky, kx, c) for the four output pixels x, x + Q, x + 2Q,
 * x + 3Q of a row are one aligned word, at a byte offset from the pass's base that does not depend
 * on the pass: the weights carry that offset (sw/sparse/offsets.ts). A pass is two such words,
 * pixels x and x + 1 (groupStep 1). Every input byte is transposed once per team (plus the
 * columns two words share at their seams) and serves all kH * kW windows that read it.
 *
 * A row of at most four output pixels would leave half of such a pass's lanes empty (Q = 2 for
 * x + 1 to stay clear of the next pass). There a pass is two rows instead: Q = 1, its first word
 * holds row y's pixels, its second row y + 1's, stride rows of the buffer further on (passRows 2).
 *
 * Layers with a 1x1 kernel and stride 1 (pointwise, fc, matmul) are one flat row of pixels; their
 * buffer holds one pass of 8 consecutive pixels (laneStep 1, groupStep 4). A single pixel (fc, a
 * one-token matmul) has one word per position, {x, 0, 0, 0}, consecutive words on consecutive TCDM
 * banks: no pass has a second word (the software kernel's loads of it read the next position's,
 * into lanes without pixels).
 */
import { type LayerSpec, LayerSpecError, outputHeight, outputWidth } from '../../layers/spec.js';
import { type Range, splitRange } from './split.js';

/** Output pixels per pass: two groups of four, one word of the buffer each. */
export const PASS_PIXELS = 8;
/** Lanes (pixels) per buffer word. */
export const LANES = 4;

const roundUp = (n: number, unit: number): number => Math.ceil(n / unit) * unit;

export interface BufferGeometry {
  /** A 1x1, stride-1 layer, seen as one row of inH * inW pixels. */
  readonly flat: boolean;
  readonly inRows: number;
  readonly inCols: number;
  readonly outRows: number;
  readonly outCols: number;
  readonly passesPerRow: number;
  /** Output rows of one pass: 2 when a row has at most four pixels (the two words are two rows), else 1. */
  readonly passRows: number;
  /** From a pass's first word to its second: output pixels, and bytes of the buffer. */
  readonly secondWord: { readonly pixels: number; readonly bytes: number };
  /** Output columns between the lanes of a word, and between a pass's two words. */
  readonly laneStep: number;
  readonly groupStep: number;
  /** Words of one stride phase of one channel of one row. */
  readonly phaseWords: number;
  /**
   * The words of a phase after its first laneStep that the window adds (a convolution's): word
   * laneStep + j holds word j's lanes 1..3 in lanes 0..2 and column j + 4 * laneStep in lane 3.
   */
  readonly seamWords: number;
  readonly phaseBytes: number;
  /** A multiple of 8, except for a single pixel's 4. */
  readonly channelBytes: number;
  readonly rowBytes: number;
}

export function bufferGeometry(spec: LayerSpec): BufferGeometry {
  const flat = spec.kH === 1 && spec.kW === 1 && spec.stride === 1;
  const inRows = flat ? 1 : spec.inH;
  const inCols = flat ? spec.inH * spec.inW : spec.inW;
  const outRows = flat ? 1 : outputHeight(spec);
  const outCols = flat ? inCols : outputWidth(spec);
  // A convolution's row: Q columns per lane, Q even so that a pass's two words (x, x + 1) never
  // overlap the next pass's; its phase adds the window's columns to the last word. Rows of at
  // most four pixels: Q = 1 and a pass's words on two rows.
  const passRows = !flat && outCols <= LANES && outRows > 1 ? 2 : 1;
  const laneStep = flat || passRows === 2 ? 1 : 2 * Math.ceil(Math.ceil(outCols / LANES) / 2);
  const groupStep = flat ? LANES : 1;
  const passesPerRow = flat ? Math.ceil(outCols / PASS_PIXELS) : Math.max(1, laneStep / 2);
  const seamWords = flat ? 0 : Math.floor((spec.kW - 1) / spec.stride);
  const singlePixel = flat && inCols === 1;
  const windowWords = singlePixel ? 1 : flat ? PASS_PIXELS / LANES : laneStep + seamWords;
  // An even number of words per channel: channel blocks of a multiple of 8 bytes, so rows move
  // as pairs of words and the cores sharing a buffer own whole channel blocks. A single pixel's
  // buffer is one row that never moves, widened a byte at a time (sparse-fill.ts).
  const phaseWords = (spec.stride * windowWords) % 2 === 1 && !singlePixel ? windowWords + 1 : windowWords;
  const phaseBytes = 4 * phaseWords;
  const channelBytes = spec.stride * phaseBytes;
  const rowBytes = spec.inC * channelBytes;
  const secondWord = passRows === 2 ? { pixels: outCols, bytes: spec.stride * rowBytes } : { pixels: groupStep, bytes: 4 };
  return { flat, inRows, inCols, outRows, outCols, passesPerRow, passRows, secondWord, laneStep, groupStep, phaseWords, seamWords, phaseBytes, channelBytes, rowBytes };
}

/** The layer's passes, row after row. */
export const passCount = (geometry: BufferGeometry): number => Math.ceil(geometry.outRows / geometry.passRows) * geometry.passesPerRow;

/** Byte offset of weight position k (im2col order ky, kx, c) from a pass's base. */
export function positionOffset(spec: LayerSpec, geometry: BufferGeometry, k: number): number {
  const c = k % spec.inC;
  const kx = Math.floor(k / spec.inC) % spec.kW;
  const ky = Math.floor(k / (spec.inC * spec.kW));
  return ky * geometry.rowBytes + c * geometry.channelBytes + (kx % spec.stride) * geometry.phaseBytes + 4 * Math.floor(kx / spec.stride);
}

/**
 * One pass: the output pixels x0 + g * groupStep + l * laneStep of one row (group g = 0, 1, lane l =
 * 0..3), or with passRows 2, pixels x0 + l of rows row and row + 1 (group g, row + g); valid[g] of
 * each group's lanes exist (always the first ones).
 */
export interface Pass {
  /** Its place in the layer's passes, row after row. */
  readonly index: number;
  readonly row: number;
  /** The last output row it computes. */
  readonly lastRow: number;
  readonly x0: number;
  readonly valid: readonly [number, number];
}

export function passAt(geometry: BufferGeometry, index: number): Pass {
  const row = Math.floor(index / geometry.passesPerRow) * geometry.passRows;
  const x0 = (index % geometry.passesPerRow) * (geometry.flat ? PASS_PIXELS : 2);
  const lanes = (g: number): number => {
    if (geometry.passRows === 2) return row + g < geometry.outRows ? Math.min(LANES, geometry.outCols) : 0;
    let n = 0;
    while (n < LANES && pixelOf(geometry, x0, g, n) < geometry.outCols) n++;
    return n;
  };
  const valid: [number, number] = [lanes(0), lanes(1)];
  return { index, row, lastRow: geometry.passRows === 2 && valid[1] > 0 ? row + 1 : row, x0, valid };
}

/** The output column of a pass's group g, lane l (passRows 1), or of buffer word g, lane l from x0 (the fill's view). */
export const pixelOf = (geometry: BufferGeometry, x0: number, g: number, l: number): number => x0 + g * geometry.groupStep + l * geometry.laneStep;

/**
 * A core's share: its own range of passes and of output channels (empty ranges: it computes
 * nothing), and its team: the cores that share one buffer, laid over their scratch areas one
 * after the other, for the team's range of passes. Every member fills an equal part of the
 * buffer (ownedChannels), idle ones too; the members split the team's passes x channels between them.
 */
export interface CoreShare {
  readonly passes: Range;
  readonly channels: Range;
  /** The team's first core, size and passes, and this core's place in it. */
  readonly team: { readonly first: number; readonly size: number; readonly member: number; readonly passes: Range };
}

/**
 * The passes are split into ranges, one per team of cores; each team's members split its passes
 * and the output channels again. Of the splits whose busiest core computes the fewest passes x
 * channels, the one whose busiest core fills the fewest buffer bytes when the scratch per core is
 * known (a team fills its buffer once for all its members, an equal part each), then the one with
 * the fewest passes per core (each costs a call and its setup), then the one with the most teams
 * (fewer cores meeting at barriers). When a team's rows come in several chunks, its members meet
 * at a barrier after each: a chunk takes as long as its busiest member, so the work counted is
 * the sum over the chunks (splitting the channels keeps every member busy in each chunk), and a
 * team whose pooled scratch holds no pass's rows is no candidate.
 */
export function coreShares(spec: LayerSpec, cores: number, scratchBytes?: number): CoreShare[] {
  const geometry = bufferGeometry(spec);
  const passes = passCount(geometry);
  const { least } = rowsWanted(spec);
  const candidates: { teams: number; size: number; passParts: number; channelParts: number; work: number; fill: number; ownPasses: number }[] = [];
  for (let teams = 1; teams <= Math.min(passes, cores); teams++) {
    const size = Math.floor(cores / teams);
    const teamPasses = Math.ceil(passes / teams);
    if (scratchBytes !== undefined && size * scratchBytes < least * geometry.rowBytes) continue;
    // The busiest team's chunks, when the scratch is known (else one chunk).
    const chunks = scratchBytes === undefined ? [{ start: 0, count: teamPasses, inputRows: 0 }] : chunkRanges(spec, teamPasses, teamRows(spec, scratchBytes, size));
    const inputRows = chunks.reduce((sum, chunk) => sum + chunk.inputRows, 0);
    for (let passParts = 1; passParts <= Math.min(size, teamPasses); passParts++) {
      const channelParts = Math.min(spec.outC, Math.floor(size / passParts));
      const parts = splitRange(teamPasses, passParts);
      const channelsEach = Math.ceil(spec.outC / channelParts);
      const overlap = (a: Range, b: Range): number => Math.max(0, Math.min(a.start + a.count, b.start + b.count) - Math.max(a.start, b.start));
      const work = chunks.reduce((sum, chunk) => sum + Math.max(...parts.map((part) => overlap(part, chunk))) * channelsEach, 0);
      const fill = (inputRows * geometry.rowBytes) / size;
      candidates.push({ teams, size, passParts, channelParts, work, fill, ownPasses: Math.ceil(teamPasses / passParts) });
    }
  }
  // No team holds the rows of a pass: teamRows says so.
  if (candidates.length === 0) teamRows(spec, scratchBytes!, cores);
  const better = (a: (typeof candidates)[number], b: (typeof candidates)[number]): boolean =>
    a.work !== b.work ? a.work < b.work : a.fill !== b.fill ? a.fill < b.fill : a.ownPasses !== b.ownPasses ? a.ownPasses < b.ownPasses : a.teams > b.teams;
  const best = candidates.reduce((a, b) => (better(b, a) ? b : a));
  const { teams, size, passParts, channelParts } = best;
  const teamRanges = splitRange(passes, teams);
  const channelRanges = splitRange(spec.outC, channelParts);
  const none = { start: 0, count: 0 };
  return Array.from({ length: cores }, (_, core): CoreShare => {
    if (core >= teams * size) return { passes: none, channels: none, team: { first: core, size: 1, member: 0, passes: none } };
    const member = core % size;
    const team = { first: core - member, size, member, passes: teamRanges[Math.floor(core / size)]! };
    if (member >= passParts * channelParts) return { passes: none, channels: none, team };
    const own = splitRange(team.passes.count, passParts)[Math.floor(member / channelParts)]!;
    return { passes: { start: team.passes.start + own.start, count: own.count }, channels: channelRanges[member % channelParts]!, team };
  });
}

/**
 * The channels of buffer row r of a chunk that team member fills: an equal share of the channel
 * blocks of the chunk's input rows, taken in order, and an equal share of every padding row's
 * (cleared, much cheaper than transposed: each member clears a part).
 */
export function ownedChannels(spec: LayerSpec, chunk: Chunk, team: CoreShare['team'], r: number): { readonly first: number; readonly end: number } {
  const { inRows } = bufferGeometry(spec);
  const inside = (row: number): boolean => chunk.firstInputRow + row >= 0 && chunk.firstInputRow + row < inRows;
  const share = (count: number, m: number): number => Math.floor((m * count) / team.size);
  if (!inside(r)) return { first: share(spec.inC, team.member), end: share(spec.inC, team.member + 1) };
  // Blocks of the input rows before row r, then this member's blocks relative to row r.
  const before = Array.from({ length: r }, (_, row) => row).filter(inside).length * spec.inC;
  const blocks = Array.from({ length: chunk.inputRows }, (_, row) => row).filter(inside).length * spec.inC;
  const clamp = (block: number): number => Math.max(0, Math.min(spec.inC, block - before));
  return { first: clamp(share(blocks, team.member)), end: clamp(share(blocks, team.member + 1)) };
}

/** Input rows (of the buffer) that the passes of output rows first..last read. */
export function inputRowsFor(spec: LayerSpec, first: number, last: number): number {
  return (last - first) * spec.stride + spec.kH;
}

/**
 * Zero bytes read in place of the input's padding (they follow the weight stream): one pixel's
 * channels and the three bytes a word load of its last channels reads past them.
 */
export const zeroBytes = (spec: LayerSpec): number => roundUp(spec.inC + 3, 4);

/** Buffer rows of the whole layer (flat layers: one pass) and the fewest a pass needs. */
export function rowsWanted(spec: LayerSpec): { readonly all: number; readonly least: number } {
  const geometry = bufferGeometry(spec);
  return geometry.flat ? { all: 1, least: 1 } : { all: inputRowsFor(spec, 0, geometry.outRows - 1), least: inputRowsFor(spec, 0, geometry.passRows - 1) };
}

/**
 * Scratch bytes per core: every buffer row of the layer when they fit in `budget`, else as many
 * whole channel blocks as fit (a team of cores pools them).
 */
export function scratchBytesFor(spec: LayerSpec, budget: number): number {
  const geometry = bufferGeometry(spec);
  const bytes = Math.min(rowsWanted(spec).all * geometry.rowBytes, Math.floor(budget / geometry.channelBytes) * geometry.channelBytes);
  if (bytes === 0) throw new LayerSpecError('tile', `layer '${spec.name}': L1 leaves ${budget} bytes per core, less than one channel row (${geometry.channelBytes}) of the sparse kernel's activation buffer`);
  return bytes;
}

/** Rows of a team's buffer; throws when fewer than a pass needs. */
export function teamRows(spec: LayerSpec, scratchBytes: number, teamSize: number): number {
  const geometry = bufferGeometry(spec);
  const rows = Math.min(rowsWanted(spec).all, Math.floor((teamSize * scratchBytes) / geometry.rowBytes));
  const { least } = rowsWanted(spec);
  if (rows < least) {
    throw new LayerSpecError(
      'tile',
      `layer '${spec.name}': the sparse kernel's activation buffer needs ${least} rows of ${geometry.rowBytes} bytes, the ${teamSize} core${teamSize > 1 ? 's' : ''} sharing it have ${teamSize * scratchBytes}: use fewer input channels or a narrower tile`,
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
    const last = current[current.length - 1]!.lastRow;
    chunks.push({ passes: current, firstInputRow: geometry.flat ? 0 : first * spec.stride - spec.pad.top, inputRows: geometry.flat ? 1 : inputRowsFor(spec, first, last) });
    current = [];
  };
  for (let index = passes.start; index < passes.start + passes.count; index++) {
    const pass = passAt(geometry, index);
    if (current.length > 0 && (geometry.flat || inputRowsFor(spec, current[0]!.row, pass.lastRow) > capacity)) close();
    current.push(pass);
  }
  close();
  return chunks;
}

/** chunksOf's chunks of a team's first `count` passes, as ranges of pass indices with their input rows. */
function chunkRanges(spec: LayerSpec, count: number, capacity: number): (Range & { readonly inputRows: number })[] {
  return chunksOf(spec, { start: 0, count }, capacity).map((chunk) => ({ start: chunk.passes[0]!.index, count: chunk.passes.length, inputRows: chunk.inputRows }));
}
