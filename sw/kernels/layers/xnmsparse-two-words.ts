/**
 * The Xnmsparse kernel's channel over a pass of two buffer words (8 pixels), reading the channel's
 * weight stream once for both words (docs/kernels.md#xnmsparse).
 *
 * The four sums x28..x31 hold one word's pixels, so a loop over the groups per word reads the
 * stream twice: 7 instructions per group and word, 3 of them stream loads. Here the groups come in
 * chunks of up to CHUNK_GROUPS, whose stream stays in registers (3 words a group): the chunk is
 * loaded once and multiplied into one word, then into the other. The next chunk starts with the
 * word the previous one ended with, so the words alternate once per chunk:
 *
 *     chunk 0    loads, word 0 | word 1
 *     chunk 1    loads, word 1 | word 0
 *     chunk 2    loads, word 0 | word 1       ... (chunks 1 and 2: a pair)
 *
 * x28..x31 are never cleared between the words: they run on over both, a sum T of every product
 * so far (nm.mul4 starts it at the channel's first). Four partial registers P take, at each
 * switch `|`, P = T - P: at the first switch T is word 0's sum; at the next T - P is what word 1
 * gathered since; then word 0's sum again, and so on, P always the sum of the word just left,
 * which is whole once that word is done. One instruction per lane and switch, as the old
 * accumulator swap through the CSRs, but no state besides four registers.
 *
 * An instruction naming x28..x31 right after an nm.mac4 waits 2 cycles, so each switch comes two
 * instructions after the phase's last nm.mac4: two loads of the next chunk's first words (its first
 * group's offsets), into one of two register pairs PRELOADED, alternating with the chunks (the
 * current chunk holds the other pair until its second word is done). In the channel's last chunk
 * the two loads fetch the bias and shift instead, and the switch also takes the word left from
 * T (x = T - P), so that x28..x31 end holding the last word's sums and P the other's: the
 * channel's end starts with P's outputs and reads x28..x31 late, without waiting.
 *
 * Per group 3 loads and 8 nm.mac4, 11 instructions for 32 non-zero MACs, plus per chunk 4 `sub`
 * (or `mv` at the first switch), plus 4 in the last chunk; no waits. Registers: 13 for a chunk's
 * stream (FIXED) + 2 x 2 PRELOADED hold 5 groups; ra is parked in mscratch and s5/s6 (the fill's
 * selectors, constants) are set again before the routine returns, so that the stream gets them.
 *
 * Pairs of middle chunks run in hardware loop 0 when there are two pairs or more; the first chunk
 * (1 to CHUNK_GROUPS groups, what the full ones leave), an odd middle chunk and the last chunk are
 * straight code.
 */
import type { LayerSpec } from '../../layers/spec.js';
import { selectorLines } from './sparse-fill.js';
import type { BufferGeometry } from './sparse-geometry.js';
import { type OutputRegisters, passOutputLines, secondWordLines } from './sparse-passes.js';

/** Groups per chunk at most. */
const CHUNK_GROUPS = 5;
/**
 * A chunk's stream but its first group's offset words: group 0's weights in FIXED[0], group g > 0's
 * offsets (a, b), (c, d) and weights in FIXED[3g - 2 .. 3g].
 */
const FIXED = ['t0', 't1', 't2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's7', 'gp'] as const;
/** Chunk k's first group's offset words (a, b), (c, d): loaded during chunk k - 1, so alternating. */
const PRELOADED = [
  ['tp', 'ra'],
  ['s5', 's6'],
] as const;
/** The sums: x28..x31. */
export const SUMS = ['t3', 't4', 't5', 't6'] as const;
/** P: the sum of the word last left (see the header). */
const PARTIAL = ['s8', 's9', 's10', 's11'] as const;
/** The pass's two words in the buffer. */
const BASES = ['a1', 'a2'] as const;

/** A channel's groups as a first chunk of 1..CHUNK_GROUPS groups and `full` chunks of CHUNK_GROUPS. */
function channelChunks(groups: number): { first: number; full: number } {
  const full = Math.ceil(groups / CHUNK_GROUPS) - 1;
  return { first: groups - full * CHUNK_GROUPS, full };
}

/** Lanes worth switching: those holding a pixel in either word (word 0 has the most). */
const switchedLanes = (valid: readonly number[]): number => Math.max(...valid);

/**
 * Instructions of a channel's groups over both words (`valid` lanes of each): 11 per group, per
 * chunk one switch of an instruction per lane, and in the last chunk of several one more per lane.
 */
export function twoWordGroupInstructions(groups: number, valid: readonly number[]): number {
  const chunks = channelChunks(groups).full + 1;
  const lanes = switchedLanes(valid);
  return 11 * groups + lanes * (chunks + (chunks > 1 ? 1 : 0));
}

/** Where chunk `index`'s group g lies: [offsets a, b; offsets c, d; weights]. */
function groupRegisters(index: number, g: number): readonly [string, string, string] {
  if (g === 0) return [PRELOADED[index % 2]![0], PRELOADED[index % 2]![1], FIXED[0]];
  return [FIXED[3 * g - 2]!, FIXED[3 * g - 1]!, FIXED[3 * g]!];
}

/** The first chunk's whole stream; its last group's offsets of c, d last, which no nm.mac4 reads first. */
function firstChunkLoads(groups: number): string[] {
  const lines: string[] = [];
  for (let g = 0; g < groups - 1; g++) lines.push(...groupRegisters(0, g).map((r) => `  cv.lw ${r}, (s0), 4`));
  const [ab, cd, weights] = groupRegisters(0, groups - 1);
  lines.push(`  cv.lw ${ab}, (s0), 12`, `  lw ${weights}, -4(s0)`, `  lw ${cd}, -8(s0)`);
  return lines;
}

/** A later chunk's stream but the two preloaded words: group 0's weights, then groups 1.. in order. */
function laterChunkLoads(index: number, groups: number): string[] {
  const lines = [`  cv.lw ${groupRegisters(index, 0)[2]}, (s0), 4`];
  for (let g = 1; g < groups; g++) lines.push(...groupRegisters(index, g).map((r) => `  cv.lw ${r}, (s0), 4`));
  return lines;
}

/** One word's nm.mac4 over chunk `index`'s groups; `start`: its first is nm.mul4, x28..x31 starting from zero. */
function phase(spec: LayerSpec, index: number, groups: number, word: number, start: boolean): string[] {
  const kind = spec.inputSigned ? 's' : 'u';
  const lines = [`  # word ${word}`];
  for (let g = 0; g < groups; g++) {
    const [ab, cd, weights] = groupRegisters(index, g);
    for (let i = 0; i < 4; i++) lines.push(`  nm.${start && lines.length === 1 ? 'mul4' : 'mac4'}.${kind} ${BASES[word]}, ${i < 2 ? ab : cd}, ${weights}, ${i % 2}, ${i}`);
  }
  return lines;
}

/** The quantization record's registers at the channel's end: bias and shift loaded into the pair no chunk then holds. */
function outputRegisters(chunks: number): OutputRegisters {
  const [bias, shift] = PRELOADED[chunks % 2]!;
  return { bias, shift, multiplier: FIXED[0], scratch: [FIXED[1], FIXED[2]] };
}

/**
 * Chunk `index` of `chunks`, `groups` groups, from word index % 2 to the other: its loads, the
 * first word, two loads (the next chunk's first offsets, or the channel's bias and shift), the
 * switch of `lanes` lanes, the second word.
 */
function chunk(spec: LayerSpec, index: number, chunks: number, groups: number, lanes: number): string[] {
  const from = index % 2;
  const last = index === chunks - 1;
  const next = PRELOADED[(index + 1) % 2]!;
  const bias = outputRegisters(chunks);
  const lines = [`  # chunk ${index} of ${groups} groups`, ...(index === 0 ? firstChunkLoads(groups) : laterChunkLoads(index, groups)), ...phase(spec, index, groups, from, index === 0)];
  if (last) lines.push(`  cv.lw ${bias.bias}, (s1), 12             # bias; s1: the next channel's record`, `  lw ${bias.shift}, -8(s1)                  # shift`);
  else lines.push(`  cv.lw ${next[0]}, (s0), 4              # the next chunk's first offsets`, `  cv.lw ${next[1]}, (s0), 4`);
  lines.push(`  # switch: P = T - P, the sum of word ${from}`);
  for (let l = 0; l < lanes; l++) lines.push(index === 0 ? `  mv ${PARTIAL[l]}, ${SUMS[l]}` : `  sub ${PARTIAL[l]}, ${SUMS[l]}, ${PARTIAL[l]}`);
  // In the last chunk of one, word 1 starts from zero; of several, it goes on from T - P.
  if (last && index > 0) {
    lines.push(`  # word ${1 - from}'s sum so far: T - P`);
    for (let l = 0; l < lanes; l++) lines.push(`  sub ${SUMS[l]}, ${SUMS[l]}, ${PARTIAL[l]}`);
  }
  return [...lines, ...phase(spec, index, groups, 1 - from, last && index === 0)];
}

/** The pass routine of a pass whose two words hold pixels (`valid` of each). */
export function twoWordPassRoutine(spec: LayerSpec, geometry: BufferGeometry, groups: number, valid: readonly number[], label: string): string[] {
  const { first, full } = channelChunks(groups);
  const chunks = full + 1;
  const lanes = switchedLanes(valid);
  const middle = Math.max(0, chunks - 2);
  const pairs = Math.floor(middle / 2);
  const fullChunk = (index: number): string[] => chunk(spec, index, chunks, CHUNK_GROUPS, lanes);
  const lines = [
    `${label}:                   # ${valid.join(' + ')} output pixels, every channel of the core`,
    ...secondWordLines(geometry),
    '  csrw mscratch, ra              # ra holds stream words; back before the return',
    `  cv.setup 1, gp, ${label}_end`,
    ...chunk(spec, 0, chunks, first, lanes),
  ];
  const pair = [...fullChunk(1), ...fullChunk(2)];
  if (pairs > 1) lines.push(`  li ${FIXED[0]}, ${pairs}                    # pairs of chunks`, `  cv.setup 0, ${FIXED[0]}, ${label}_pairs_end`, ...pair, `${label}_pairs_end:`);
  else if (pairs === 1) lines.push(...pair);
  if (middle % 2 === 1) lines.push(...fullChunk(chunks - 2));
  if (chunks > 1) lines.push(...fullChunk(chunks - 1));
  const registers = outputRegisters(chunks);
  // The last switch left word (chunks - 1) % 2 in P, the other in x28..x31.
  const inPartial = (chunks - 1) % 2;
  const acc = inPartial === 0 ? [...PARTIAL, ...SUMS] : [...SUMS, ...PARTIAL];
  lines.push(`  lw ${registers.multiplier}, -4(s1)                  # multiplier`);
  const epilogue = ['  csrr ra, mscratch', ...selectorLines];
  return [...lines, ...passOutputLines(spec, geometry, valid, acc, label, { registers, order: [inPartial, 1 - inPartial], epilogue })];
}
