/**
 * The software N:M-sparse layer kernel on the plain CV32E40P (variant `sparse`): no Xnmsparse
 * instruction. The weights are a stream of groups {four 16-bit activation offsets, four int8
 * values} (sw/sparse/offsets.ts, docs/sparse-format.md); the activations are a transposed copy
 * of the input rows (sparse-geometry.ts), in which one aligned word holds four output pixels'
 * activations at one weight position.
 *
 * Inner loop, per output channel and pass of 8 pixels, per group of four non-zeros: 41
 * instructions for 32 non-zero MACs (1.28 cycles per non-zero MAC, no stall): 4 `cv.lhu`
 * offsets, 8 register-offset `cv.lw` (4 positions x 2 words), 1 `cv.lw` weight word, and per
 * word a 4 x 4 byte transpose into pixel words (2 `cv.pack`, 2 `cv.pack.h`, 2 `mv`, 4
 * `cv.shuffle2.b`) and 4 `cv.sdotusp.b` (`cv.sdotsp.b` for int8 input). A channel's first group
 * is peeled and uses the non-accumulating `cv.dotusp.b` (`cv.dotsp.b`), so the accumulators need
 * no initial value; after the groups, per channel and pass: 3 loads of the quantization record,
 * 3 setup instructions, and per existing pixel the requantization with the bias added from a
 * register (requantize-asm.ts) and a store.
 *
 * Before the passes, the buffer is filled from the input four channels x four pixels at a time
 * with the same transpose (18 instructions per 16 bytes); a convolution's seam words (the
 * window's columns past a row's laneStep words, geometry.seamWords) come with the word they
 * repeat shifted by one lane, one `cv.shuffle2.b` and one store each (9 instructions per 16
 * bytes with the load of their last lanes); padding rows are cleared (6 per 16). A team of
 * cores shares one buffer, laid over their scratch areas: each member fills an equal part of the
 * channel blocks of its input rows and of each padding row (ownedChannels), a cluster barrier
 * says it is ready (another comes before a refill, when the team's rows do not fit at once), and
 * the members split the team's passes x output channels between them. When the whole tile's
 * rows fit the cores' pooled scratch, all cores are one team and every input byte is transposed
 * once for the cluster; the core split (coreShares) weighs the largest share of passes x
 * channels first, then the bytes each core fills. Members computing the same channels start at
 * different ones, so that their weight loads do not meet at one TCDM bank.
 */
import type { SparsityPattern } from '../../../isa/xnmsparse/gather.js';
import type { Cycles } from '../../../isa/types.js';
import type { LayerData } from '../../layers/data.js';
import { type LayerSpec, reductionLength } from '../../layers/spec.js';
import { sparseLayout } from '../../sparse/format.js';
import { OFFSET_GROUP_BYTES, offsetGroupsPerChannel, packOffsets } from '../../sparse/offsets.js';
import type { CodeContext, VariantGenerator, WeightImage } from './generator.js';
import { addConstantLines } from './im2col.js';
import { requantizeLines } from './requantize-asm.js';
import type { Range } from './split.js';
import {
  type BufferGeometry,
  type Chunk,
  type Pass,
  bufferGeometry,
  chunksOf,
  type CoreShare,
  coreShares,
  LANES,
  ownedChannels,
  pixelOf,
  positionOffset,
  scratchBytesFor,
  teamRows,
  zeroBytes,
} from './sparse-geometry.js';

/** Instructions of the inner loop per group of four non-zeros (see the header). */
const GROUP_INSTRUCTIONS = 41;

/** The accumulators of pixels 0..7 of a pass. */
const ACC = ['s8', 's9', 's10', 's11', 't4', 't5', 't6', 'tp'] as const;
/** Per group of 4 pixels: the 4 loaded words (positions a..d), two transpose temporaries. */
const GROUPS = [
  { words: ['a3', 'a4', 'a5', 'a6'], temps: ['t0', 't1'], base: 'a1' },
  { words: ['a7', 's2', 's3', 's4'], temps: ['t2', 't3'], base: 'a2' },
] as const;
const OFFSETS = ['t0', 't1', 't2', 't3'] as const;

/**
 * cv.shuffle2.b selectors (per lane: bits 1:0 the source lane, bit 2 set for rs1, clear for rd):
 * with rd = P = [a0 a1 b0 b1] and rs1 = Q = [c0 c1 d0 d1], pixel 0 is [a0 b0 c0 d0] and pixel 1
 * [a1 b1 c1 d1]; the same selectors on the high halves give pixels 2 and 3.
 */
const EVEN_PIXEL = 0x06040200;
const ODD_PIXEL = 0x07050301;

/** Addresses in hexadecimal, counts in decimal. */
const immediate = (value: number): string => (value > 0xffff ? `0x${value.toString(16).padStart(8, '0')}` : `${value}`);

const groupsPerChannel = (spec: LayerSpec, pattern: SparsityPattern): number => offsetGroupsPerChannel(sparseLayout(pattern, reductionLength(spec)));

function weightImage(data: LayerData, pattern: SparsityPattern | undefined): WeightImage {
  const { spec } = data;
  if (!pattern) throw new Error('the sparse kernel needs an N:M pattern');
  const geometry = bufferGeometry(spec);
  const k = reductionLength(spec);
  const { bytes, layout } = packOffsets({ channels: spec.outC, k, data: data.weights }, pattern, (position) => positionOffset(spec, geometry, position));
  const nonZeros = spec.outC * layout.nonZerosPerChannel;
  // The zero pixel after the stream: the buffer fill reads it in place of the input's padding.
  const image = new Uint8Array(bytes.length + zeroBytes(spec));
  image.set(bytes);
  return { bytes: image, valueBytes: nonZeros, indexBytes: 2 * nonZeros };
}

/**
 * The 4 x 4 byte transpose of words a, b, c, d (lane i of each) into four words, the i-th holding
 * lane i of a, b, c, d in that order: returned in registers [p, b, a, d]; q is a second temporary.
 * s5 and s6 hold EVEN_PIXEL and ODD_PIXEL.
 */
function transposeLines(a: string, b: string, c: string, d: string, p: string, q: string): { lines: string[]; out: readonly string[] } {
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

/** Set once per core: no routine writes s5 or s6. */
const selectorLines = [`  li s5, ${immediate(EVEN_PIXEL)}           # transpose selectors, for every fill and pass`, `  li s6, ${immediate(ODD_PIXEL)}`];

/**
 * One group of four non-zeros for 8 pixels (the hardware loop's body): `dot` accumulates, or, for
 * a channel's first group, starts the accumulators (the non-accumulating form).
 */
function groupBody(dot: string): string[] {
  const lines = OFFSETS.map((o, i) => `  cv.lhu ${o}, (s0), 2            # offset of non-zero ${'abcd'[i]}`);
  for (let i = 0; i < 4; i++) for (const [n, g] of GROUPS.entries()) lines.push(`  cv.lw ${g.words[i]}, ${OFFSETS[i]}(${g.base})       # word ${n} at position ${'abcd'[i]}`);
  lines.push('  cv.lw s7, (s0), 4              # the four weights');
  GROUPS.forEach((g, n) => {
    const [a, b, c, d] = g.words;
    const transposed = transposeLines(a, b, c, d, g.temps[0], g.temps[1]);
    lines.push(`  # word ${n}: pixels' activations at positions a..d`, ...transposed.lines);
    transposed.out.forEach((word, lane) => lines.push(`  ${dot} ${ACC[4 * n + lane]}, ${word}, s7`));
  });
  return lines;
}

const passLabel = (valid: readonly number[]): string => `sparse_pass_${valid.join('_')}`;

/**
 * The pass routine for `valid` lanes of each word: a1 = the pass's buffer base, a0 = the output
 * byte of its first pixel and first channel, s0 = that channel's weight stream, s1 = its
 * quantization record, gp = the number of channels, s5/s6 = the transpose selectors. Per
 * channel, the first group sets the accumulators (cv.dotusp.b, not cv.sdotusp.b: no initial
 * value to write) and the requantization adds the bias. Returns with `ret` (ra is kept).
 */
function passRoutine(spec: LayerSpec, geometry: BufferGeometry, groups: number, valid: readonly number[]): string[] {
  const [first, dot] = spec.inputSigned ? ['cv.dotsp.b', 'cv.sdotsp.b'] : ['cv.dotusp.b', 'cv.sdotusp.b'];
  const label = passLabel(valid);
  const laneBytes = geometry.laneStep * spec.outC;
  const lines = [
    `${label}:                   # ${valid.join(' + ')} output pixels, every channel of the core`,
    '  addi a2, a1, 4                 # the second word',
    `  cv.setup 1, gp, ${label}_end`,
    '  # the first group starts the accumulators',
    ...groupBody(first),
  ];
  if (groups > 1) lines.push(`  li gp, ${groups - 1}                    # the other groups`, `  cv.setup 0, gp, ${label}_groups_end`, ...groupBody(dot), `${label}_groups_end:`);
  lines.push(
    "  cv.lw a3, (s1), 12             # bias; s1: the next channel's record",
    '  lw t0, -8(s1)                  # shift',
    '  lw t1, -4(s1)                  # multiplier',
  );
  const outputOffset = (g: number, l: number): number => g * geometry.groupStep * spec.outC + l * laneBytes;
  const output = (g: number, l: number): string => `  sb ${ACC[4 * g + l]}, ${outputOffset(g, l)}(a0)`;
  if (outputOffset(1, LANES - 1) < 2048) {
    // Every output at a 12-bit offset from a0.
    valid.forEach((lanes, g) => {
      for (let l = 0; l < lanes; l++) lines.push(...requantizeLines(spec, ACC[4 * g + l]!, 't0', 't1', 'a3'), output(g, l));
    });
    lines.push("  addi a0, a0, 1                 # the next channel's first output", `${label}_end:`, '  ret');
    return lines;
  }
  // Else group 1's outputs from t3, group 0's from a0, which its stores move on and the end takes back.
  lines.push(`  li t2, ${laneBytes}               # output bytes between lanes`);
  if (valid[1]! > 0) lines.push(...addConstantLines('t3', 'a0', geometry.groupStep * spec.outC, 't3').map((line, i, all) => (i === all.length - 1 ? `${line}        # group 1's first output` : line)));
  valid.forEach((lanes, g) => {
    for (let l = 0; l < lanes; l++) lines.push(...requantizeLines(spec, ACC[4 * g + l]!, 't0', 't1', 'a3'), `  cv.sb ${ACC[4 * g + l]}, (${g === 0 ? 'a0' : 't3'}), t2`);
  });
  lines.push(...addConstantLines('a0', 'a0', 1 - valid[0]! * laneBytes, 't3').map((line, i, all) => (i === all.length - 1 ? `${line}      # the next channel's first output` : line)), `${label}_end:`, '  ret');
  return lines;
}

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

const BARRIER = ['  li t0, PERIPHERAL_BARRIER', "  lw zero, 0(t0)                 # meet the team: its buffer is ready, or read"];

const call = (routine: string, args: Record<string, number>): string[] => [...Object.entries(args).map(([reg, value]) => `  li ${reg}, ${immediate(value)}`), `  jal ra, ${routine}`];

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

/** The routines a program calls, by label: each emitted once, after the cores' code. */
type Routines = Map<string, () => string[]>;

/**
 * Lines that fill this core's part of the buffer rows of a chunk, the zero pixel standing in for
 * the padding columns, padding rows cleared. Rows the previous chunk already holds move down (2
 * instructions per 8 bytes instead of a fill's 18 per 16) when the core owns the whole buffer;
 * the rest are filled from the input.
 */
function fillBuffer(context: CodeContext, geometry: BufferGeometry, chunk: Chunk, previous: Chunk | undefined, buffer: number, team: CoreShare['team'], zero: number, routines: Routines): string[] {
  const { spec } = context.data;
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

/** The channels from `rotation` on, then the first ones. */
const rotated = (channels: Range, rotation: number): Range[] =>
  [
    { start: channels.start + rotation, count: channels.count - rotation },
    { start: channels.start, count: rotation },
  ].filter((part) => part.count > 0);

function passCall(context: CodeContext, geometry: BufferGeometry, chunk: Chunk, pass: Pass, buffer: number, channels: Range, groups: number): string[] {
  const { spec } = context.data;
  const { plan } = context;
  const base = buffer + (geometry.flat ? 0 : (pass.row - chunk.passes[0]!.row) * spec.stride * geometry.rowBytes + 4 * pass.x0);
  const pixel = pass.row * geometry.outCols + pass.x0;
  return [
    `  # pass: output row ${pass.row}, pixels from ${pass.x0} (${pass.valid.join(' + ')})`,
    ...call(passLabel(pass.valid), {
      a1: base,
      a0: plan.output + pixel * spec.outC + channels.start,
      s0: plan.weights + channels.start * groups * OFFSET_GROUP_BYTES,
      s1: plan.quantization + 12 * channels.start,
      gp: channels.count,
    }),
  ];
}

function code(context: CodeContext): string[] {
  const { data, pattern, cores, plan } = context;
  const { spec } = data;
  if (!pattern) throw new Error('the sparse kernel needs an N:M pattern');
  const geometry = bufferGeometry(spec);
  const groups = groupsPerChannel(spec, pattern);
  const zero = plan.weights + spec.outC * groups * OFFSET_GROUP_BYTES;
  const shares = coreShares(spec, cores, plan.scratchBytes);
  const chunks = shares.map((share) => (share.team.passes.count > 0 ? chunksOf(spec, share.team.passes, teamRows(spec, plan.scratchBytes, share.team.size)) : []));
  // Teams of more than one core fill their buffer together: every core then meets the others at
  // a barrier when the buffer is ready and again before it is refilled, the same number of times.
  const teams = shares.some((share, core) => chunks[core]!.length > 0 && share.team.size > 1);
  const meetings = 2 * Math.max(...chunks.map((c) => c.length)) - 1;
  const lines: string[] = [];
  const valids = new Map<string, readonly number[]>();
  const routines: Routines = new Map();
  shares.forEach((share, core) => {
    const { team } = share;
    const buffer = plan.scratch + team.first * plan.scratchBytes;
    const own = share.passes;
    const computes = own.count > 0 && share.channels.count > 0;
    lines.push(
      `core_${core}:                 # team of ${team.size} from core ${team.first}: ${computes ? `passes ${own.start}..${own.start + own.count - 1}, channels ${share.channels.start}..${share.channels.start + share.channels.count - 1}` : 'fills only'}`,
      ...selectorLines,
    );
    // Members start their channels at different ones: the TCDM does not broadcast, so cores reading
    // the same weight word in the same cycle would queue at its bank.
    const rotation = computes ? Math.floor((team.member * share.channels.count) / team.size) % share.channels.count : 0;
    let previous: Chunk | undefined;
    chunks[core]!.forEach((chunk, index) => {
      if (teams && index > 0) lines.push(...BARRIER);
      // A core alone owns its buffer and moves the rows the next chunk keeps; a team refills.
      lines.push(...fillBuffer(context, geometry, chunk, team.size > 1 ? undefined : previous, buffer, team, zero, routines));
      if (teams) lines.push(...BARRIER);
      previous = chunk;
      if (!computes) return;
      for (const pass of chunk.passes.filter((p) => p.index >= own.start && p.index < own.start + own.count)) {
        valids.set(passLabel(pass.valid), pass.valid);
        for (const channels of rotated(share.channels, rotation)) lines.push(...passCall(context, geometry, chunk, pass, buffer, channels, groups));
      }
    });
    if (teams) for (let i = Math.max(0, 2 * chunks[core]!.length - 1); i < meetings; i++) lines.push(...BARRIER);
    lines.push('  j kernel_end');
  });
  for (const label of [...valids.keys()].sort()) lines.push(...passRoutine(spec, geometry, groups, valids.get(label)!));
  for (const label of [...routines.keys()].sort()) lines.push(...routines.get(label)!());
  return lines;
}

function scratchBytes(spec: LayerSpec, _pattern: SparsityPattern | undefined, budget: number): number {
  return scratchBytesFor(spec, budget);
}

/** The largest core share's passes x channels x groups x 41 cycles: the inner loop without stalls. */
function bound(spec: LayerSpec, pattern: SparsityPattern | undefined, cores: number): Cycles {
  if (!pattern) throw new Error('the sparse kernel needs an N:M pattern');
  const groups = groupsPerChannel(spec, pattern);
  return Math.max(...coreShares(spec, cores).map((s) => s.passes.count * s.channels.count * groups * GROUP_INSTRUCTIONS));
}

export const sparseGenerator: VariantGenerator = {
  variant: 'sparse',
  kinds: ['conv', 'pointwise', 'matmul'],
  instructionSet: 'cv32e40p',
  weightImage,
  scratchBytes,
  code,
  bound,
};

