/**
 * The activation buffer of the kernels over transposed rows (sparse.ts, xnmsparse.ts; where
 * everything lies is sparse-geometry.ts): the routines that fill a team member's part of it from
 * the input, four channels x four pixels at a time with a 4 x 4 byte transpose (18 instructions
 * per 16 bytes), a convolution's seam words with one shuffle and store each (9 per 16), padding
 * rows cleared (6 per 16), and rows a core keeps from its previous chunk moved down; a single
 * pixel's words (fc) are its bytes widened, 2 instructions per byte.
 */
import type { CodeContext } from './generator.js';
import { addConstantLines } from './im2col.js';
import { type BufferGeometry, type Chunk, type CoreShare, ownedChannels, pixelOf } from './sparse-geometry.js';

/** Addresses in hexadecimal, counts in decimal. */
export const immediate = (value: number): string => (value > 0xffff ? `0x${value.toString(16).padStart(8, '0')}` : `${value}`);

/**
 * cv.shuffle2.b selectors (per lane: bits 1:0 the source lane, bit 2 set for rs1, clear for rd):
 * with rd = P = [a0 a1 b0 b1] and rs1 = Q = [c0 c1 d0 d1], pixel 0 is [a0 b0 c0 d0] and pixel 1
 * [a1 b1 c1 d1]; the same selectors on the high halves give pixels 2 and 3.
 */
const EVEN_PIXEL = 0x06040200;
const ODD_PIXEL = 0x07050301;

/**
 * The 4 x 4 byte transpose of words a, b, c, d (lane i of each) into four words, the i-th holding
 * lane i of a, b, c, d in that order: returned in registers [p, b, a, d]; q is a second temporary.
 * s5 and s6 hold EVEN_PIXEL and ODD_PIXEL.
 */
export function transposeLines(a: string, b: string, c: string, d: string, p: string, q: string): { lines: string[]; out: readonly string[] } {
  const lines = [
    `  cv.pack ${p}, ${b}, ${a}         # [a0 a1 b0 b1]`,
    `  cv.pack.h ${a}, ${b}, ${a}       # [a2 a3 b2 b3]`,
    `  cv.pack ${q}, ${d}, ${c}         # [c0 c1 d0 d1]`,
    `  cv.pack.h ${c}, ${d}, ${c}       # [c2 c3 d2 d3]`,
    `  mv ${b}, ${p}`,
    `  mv ${d}, ${a}`,
    `  cv.shuffle2.b ${p}, ${q}, s5     # lane 0 of a, b, c, d`,
    `  cv.shuffle2.b ${b}, ${q}, s6     # lane 1`,
    `  cv.shuffle2.b ${a}, ${c}, s5     # lane 2`,
    `  cv.shuffle2.b ${d}, ${c}, s6     # lane 3`,
  ];
  return { lines, out: [p, b, a, d] };
}

/** Set once per core: every routine (fill or pass) leaves s5 and s6 as it found them (the Xnmsparse pass routine borrows them and sets them again). */
export const selectorLines = [`  li s5, ${immediate(EVEN_PIXEL)}           # transpose selectors, for every fill and pass`, `  li s6, ${immediate(ODD_PIXEL)}`];

const fillLabel = (rest: number, seam: boolean): string => `sparse_fill_${seam ? 'pair' : 'word'}_${rest}`;

/** Selectors of a seam word from word j's channel i (in rd) and column j + 4Q's channels (rs1): lanes 1..3 of rd, then lane i of rs1. */
const SEAM_SELECTORS = ['s2', 's3', 's4', 'gp'] as const;
const seamSelector = (i: number): number => (((4 + i) << 24) | 0x030201) >>> 0;

/**
 * Fills one word of a run of channels of a buffer phase: a3..a6 point at four pixels' first
 * channel of the run (lanes 0..3; the zero pixel for padding), a7 at that channel's word, t6
 * holds channelBytes; a0 counts its whole quads of channels (entered at `_rest` when there are
 * none), and `rest` channels follow them. Four channels at a time: four word loads, a 4 x 4
 * transpose, four word stores stepping a7 from channel to channel. With `seam`, word j's seam
 * word (laneStep words on) too: t5 points at column j + 4 * laneStep, and each channel's word
 * gives its seam word in one shuffle (SEAM_SELECTORS) instead of a second transpose.
 */
function fillRoutine(geometry: BufferGeometry, rest: number, seam: boolean): string[] {
  const label = fillLabel(rest, seam);
  const loads = ['t0', 't1', 't2', 't3'].map((w, l) => `  cv.lw ${w}, (a${3 + l}), 4`);
  if (seam) loads.push('  cv.lw t4, (t5), 4              # column j + 4Q: lane 3 of the seam words');
  const transposed = transposeLines('t0', 't1', 't2', 't3', 's7', 's8');
  // After a7 has stepped past the channel's word, its seam word is laneStep words on.
  const seamOffset = 4 * geometry.laneStep - geometry.channelBytes;
  const stores = (channels: number): string[] =>
    transposed.out.slice(0, channels).flatMap((w, i) => [
      `  cv.sw ${w}, (a7), t6`,
      ...(seam ? [`  cv.shuffle2.b ${w}, t4, ${SEAM_SELECTORS[i]}`, `  sw ${w}, ${seamOffset}(a7)          # its seam word`] : []),
    ]);
  const lines = [
    `${label}:             # a3..a6: lanes 0..3 (input pixels), ${seam ? 't5: column j + 4Q, ' : ''}a7: the first channel's word, t6: channel bytes, a0: quads, then ${rest} channels`,
    `  cv.setup 0, a0, ${label}_rest`,
    ...loads,
    ...transposed.lines,
    ...stores(4),
    `${label}_rest:`,
  ];
  if (rest > 0) {
    // The last channels: the loads read past them, only the channels of the run are stored.
    lines.push(`  # the last ${rest} channel${rest > 1 ? 's' : ''}`, ...loads, ...transposed.lines, ...stores(rest));
  }
  return [...lines, '  ret'];
}

/** A register and the address it holds. */
interface Base {
  readonly reg: string;
  readonly value: number;
}

/** `reg = value`: one addi from a base within reach, else li. */
function pointerLine(reg: string, value: number, bases: readonly Base[]): string[] {
  const base = bases.find((b) => Math.abs(value - b.value) < 2048);
  if (!base) return [`  li ${reg}, ${immediate(value)}`];
  return value === base.value ? [`  mv ${reg}, ${base.reg}`] : addConstantLines(reg, base.reg, value - base.value, reg);
}

export const BARRIER = ['  li t0, PERIPHERAL_BARRIER', "  lw zero, 0(t0)                 # meet the team: its buffer is ready, or read"];

export const call = (routine: string, args: Record<string, number>): string[] => [...Object.entries(args).map(([reg, value]) => `  li ${reg}, ${immediate(value)}`), `  jal ra, ${routine}`];

/** Clears a0 pairs of words from a7 (a padding row's: 1.5 instructions per word, not a fill's 4.5). */
const ZERO_ROUTINE = [
  'sparse_zero:                    # a7: from, a0: pairs of words',
  '  cv.setup 0, a0, sparse_zero_end',
  '  sw zero, 0(a7)',
  '  sw zero, 4(a7)',
  '  addi a7, a7, 8',
  'sparse_zero_end:',
  '  ret',
];

/** Moves a0 pairs of words from a3 up to a4 (a4 < a3: forward copy is safe). */
const MOVE_ROUTINE = [
  'sparse_move:                    # a3: from, a4: to (lower), a0: pairs of words',
  '  cv.setup 0, a0, sparse_move_end',
  '  cv.lw t0, (a3), 4',
  '  cv.lw t1, (a3), 4',
  '  cv.sw t0, (a4), 4',
  '  cv.sw t1, (a4), 4',
  'sparse_move_end:',
  '  ret',
];

const widenLabel = (rest: number): string => `sparse_widen_${rest}`;

/**
 * Widens input bytes into words {x, 0, 0, 0}, `channelBytes` apart: the buffer of a single-pixel
 * flat layer (fc), whose other lanes are the zero pixel's and whose second word no pass reads. a3:
 * the bytes, a7: the first word, a0: pairs of bytes (entered at `_rest` when there are none), then
 * `rest` more. 2 instructions per byte, against a transposing fill's 9 for the two words.
 */
function widenRoutine(geometry: BufferGeometry, rest: number): string[] {
  const label = widenLabel(rest);
  const one = (reg: string): string[] => [`  cv.lbu ${reg}, (a3), 1`];
  const store = (reg: string): string => `  cv.sw ${reg}, (a7), ${geometry.channelBytes}`;
  return [
    `${label}:              # a3: input bytes, a7: their words, a0: pairs, then ${rest} byte${rest === 1 ? '' : 's'}`,
    `  cv.setup 0, a0, ${label}_rest`,
    ...one('t0'),
    ...one('t1'),
    store('t0'),
    store('t1'),
    `${label}_rest:`,
    ...(rest > 0 ? [...one('t0'), store('t0')] : []),
    '  ret',
  ];
}

/** The routines a program calls, by label: each emitted once, after the cores' code. */
export type Routines = Map<string, () => string[]>;

/**
 * Lines that fill this core's part of the buffer rows of a chunk, the zero pixel standing in for
 * the padding columns, padding rows cleared. Rows the previous chunk already holds move down (2
 * instructions per 8 bytes instead of a fill's 18 per 16) when the core owns the whole buffer;
 * the rest are filled from the input.
 */
export function fillBuffer(context: CodeContext, geometry: BufferGeometry, chunk: Chunk, previous: Chunk | undefined, buffer: number, team: CoreShare['team'], zero: number, routines: Routines): string[] {
  const { spec } = context.data;
  if (geometry.flat && geometry.inCols === 1) {
    // One pixel: its lanes 1..3 are zeros and its second word unread, so the bytes need no transpose.
    const { first, end } = ownedChannels(spec, chunk, team, 0);
    if (end <= first) return [];
    const count = end - first;
    const pairs = Math.floor(count / 2);
    routines.set(widenLabel(count % 2), () => widenRoutine(geometry, count % 2));
    return [
      `  # positions ${first}..${end - 1}: one pixel, a word each`,
      ...call(`${widenLabel(count % 2)}${pairs > 0 ? '' : '_rest'}`, { a3: context.plan.input + first, a7: buffer + first * geometry.channelBytes, ...(pairs > 0 ? { a0: pairs } : {}) }),
    ];
  }
  const origin = geometry.flat ? chunk.passes[0]!.x0 : 0;
  const lines: string[] = [];
  const shift = previous && !geometry.flat ? chunk.firstInputRow - previous.firstInputRow : 0;
  const kept = previous && !geometry.flat ? Math.max(0, Math.min(chunk.inputRows, previous.inputRows - shift)) : 0;
  if (kept > 0) {
    lines.push(`  # buffer rows 0..${kept - 1}: input rows ${chunk.firstInputRow}..${chunk.firstInputRow + kept - 1}, moved down from rows ${shift}..${shift + kept - 1}`);
    lines.push(...call('sparse_move', { a3: buffer + shift * geometry.rowBytes, a4: buffer, a0: (kept * geometry.rowBytes) / 8 }));
    routines.set('sparse_move', () => MOVE_ROUTINE);
  }
  // The zero pixel (s9), then per row its first input pixel (s10) and buffer word (s11): the
  // lanes' and words' addresses are one addi from them.
  const zeroBase: Base = { reg: 's9', value: zero };
  // Seam words repeat words 0.. of the phase (not seam words themselves); the routine reaches
  // them by a store offset (fillRoutine), which must fit 12 bits.
  const seamed = Math.abs(4 * geometry.laneStep - geometry.channelBytes) < 2048 ? Math.min(geometry.seamWords, geometry.laneStep) : 0;
  let started = false;
  for (let r = kept; r < chunk.inputRows; r++) {
    // The channel blocks of row r this core owns.
    const { first, end } = ownedChannels(spec, chunk, team, r);
    if (end <= first) continue;
    const iy = chunk.firstInputRow + r;
    if (iy < 0 || iy >= geometry.inRows) {
      lines.push(`  # buffer row ${r}, channels ${first}..${end - 1}: padding`, ...call('sparse_zero', { a7: buffer + r * geometry.rowBytes + first * geometry.channelBytes, a0: ((end - first) * geometry.channelBytes) / 8 }));
      routines.set('sparse_zero', () => ZERO_ROUTINE);
      continue;
    }
    if (!started) {
      lines.push(`  li s9, ${immediate(zero)}           # the zero pixel`, `  li t6, ${geometry.channelBytes}                 # channel bytes, for every fill`);
      if (seamed > 0) SEAM_SELECTORS.forEach((reg, i) => lines.push(`  li ${reg}, ${immediate(seamSelector(i))}           # seam word of channel ${i} of four`));
    }
    started = true;
    const quads = Math.floor((end - first) / 4);
    const rest = (end - first) % 4;
    const rowBase: Base = { reg: 's10', value: context.plan.input + iy * geometry.inCols * spec.inC + first };
    const wordBase: Base = { reg: 's11', value: buffer + r * geometry.rowBytes + first * geometry.channelBytes };
    lines.push(`  # buffer row ${r}, channels ${first}..${end - 1}: input row ${iy}`, `  li s11, ${immediate(wordBase.value)}          # its first word`, `  li s10, ${immediate(rowBase.value)}          # its first input pixel`);
    const bases = [rowBase, zeroBase, wordBase];
    // The input pixel of the phase's column (zero outside the input).
    const pixel = (phase: number, x: number): number => {
      const column = x * spec.stride + phase - (geometry.flat ? 0 : spec.pad.left);
      return column >= 0 && column < geometry.inCols ? rowBase.value + column * spec.inC : zero;
    };
    for (let phase = 0; phase < spec.stride; phase++) {
      for (let j = 0; j < geometry.phaseWords; j++) {
        // Seam words come with the word they repeat.
        if (j >= geometry.laneStep && j < geometry.laneStep + seamed) continue;
        const seam = j < seamed;
        routines.set(fillLabel(rest, seam), () => fillRoutine(geometry, rest, seam));
        // Word j, lane l holds the phase's column pixelOf(j, l).
        for (let l = 0; l < 4; l++) lines.push(...pointerLine(`a${3 + l}`, pixel(phase, pixelOf(geometry, origin, j, l)), bases));
        if (seam) lines.push(...pointerLine('t5', pixel(phase, j + 4 * geometry.laneStep), bases));
        lines.push(...pointerLine('a7', wordBase.value + phase * geometry.phaseBytes + 4 * j, [wordBase]));
        if (quads > 0) lines.push(`  li a0, ${quads}`);
        lines.push(`  jal ra, ${fillLabel(rest, seam)}${quads > 0 ? '' : '_rest'}        # ${spec.stride > 1 ? `phase ${phase}, ` : ''}word ${j}${seam ? ` and ${j + geometry.laneStep}` : ''}`);
      }
    }
  }
  return lines;
}
