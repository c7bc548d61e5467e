/**
 * The Xnmsparse kernel's channel over a pass of two buffer words (8 pixels), reading the channel's
 * weight stream once for both words (docs/kernels.md#xnmsparse).
 *
 * The four accumulators hold one word's pixels, so a loop over the groups per word reads the stream
 * twice: 7 instructions per group and word, 3 of them stream loads. Here the groups come in chunks
 * of up to CHUNK_GROUPS, whose stream stays in registers (3 words a group, 18 registers): the chunk
 * is loaded once, multiplied into one word's accumulators, then the accumulators are swapped with
 * four registers holding the other word's partial sums (`csrrw p, nmaccK, p`: one instruction
 * reads the accumulator and writes it, R2.5) and the same registers are multiplied into the other
 * word. The next chunk starts with the word the accumulators hold, so one swap serves each chunk
 * boundary: per group 3 loads and 8 nm.mac4, 11 instructions for 32 non-zero MACs (0.34 cycles per
 * non-zero MAC; two loops take 14), plus 4 csrrw and a one-cycle wait (the swap reads the
 * accumulators right after an nm.mac4) per chunk after the first, whose "swap" is four nm.racc into
 * the partial-sum registers (the accumulators start each channel at zero).
 *
 *     chunk 0    loads, word 0, nm.racc -> p, word 1    accumulators: word 1, p: word 0
 *     chunk 1    loads, word 1, swap, word 0            accumulators: word 0, p: word 1
 *     chunk 2    loads, word 0, swap, word 1            accumulators: word 1, p: word 0
 *     ...        (chunks 1 and 2: a pair)
 *
 * Pairs of full chunks run in hardware loop 0 when there are two pairs or more; the first chunk
 * (1 to CHUNK_GROUPS groups, what the full ones leave) and an odd last chunk are straight code.
 * At the channel's end the quantization loads stand between the last nm.mac4 and the nm.racc of
 * the word the accumulators hold; the other word is in the partial-sum registers.
 */
import type { LayerSpec } from '../../layers/spec.js';
import { type BufferGeometry, LANES } from './sparse-geometry.js';
import { passOutputLines, QUANTIZATION_LOADS } from './sparse-passes.js';

/** Groups per chunk at most: three stream words each, in STREAM. */
const CHUNK_GROUPS = 6;
/** A chunk's stream, group g in registers 3g (offsets a, b), 3g + 1 (c, d), 3g + 2 (weights). */
const STREAM = ['t0', 't1', 't2', 't3', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's7', 'gp', 'tp', 't4', 't5', 't6'] as const;
/** The partial sums of the word the accumulators do not hold. */
const PARTIAL = ['s8', 's9', 's10', 's11'] as const;
/** The accumulators' word at the channel's end (stream registers then free, none a quantization register). */
const FINAL = ['t4', 't5', 't6', 'tp'] as const;
/** The pass's two words in the buffer. */
const BASES = ['a1', 'a2'] as const;

/** A channel's groups as a first chunk of 1..CHUNK_GROUPS groups and `full` chunks of CHUNK_GROUPS. */
function channelChunks(groups: number): { first: number; full: number } {
  const full = Math.ceil(groups / CHUNK_GROUPS) - 1;
  return { first: groups - full * CHUNK_GROUPS, full };
}

/** Instructions of a channel's groups over both words: 11 per group, 4 csrrw per chunk after the first. */
export const twoWordGroupInstructions = (groups: number): number => 11 * groups + 4 * channelChunks(groups).full;

function chunkLoads(groups: number): string[] {
  const lines: string[] = [];
  for (let g = 0; g < groups - 1; g++) lines.push(...[0, 1, 2].map((i) => `  cv.lw ${STREAM[3 * g + i]}, (s0), 4`));
  // The last group's offsets of c, d last: no nm.mac4 reads them first, even in a one-group chunk.
  const last = 3 * (groups - 1);
  lines.push(`  cv.lw ${STREAM[last]}, (s0), 12`, `  lw ${STREAM[last + 2]}, -4(s0)`, `  lw ${STREAM[last + 1]}, -8(s0)`);
  return lines;
}

function chunkMacs(spec: LayerSpec, groups: number, word: number): string[] {
  const mac = spec.inputSigned ? 'nm.mac4.s' : 'nm.mac4.u';
  const lines = [`  # word ${word}`];
  for (let g = 0; g < groups; g++) {
    for (let i = 0; i < 4; i++) lines.push(`  ${mac} ${BASES[word]}, ${STREAM[3 * g + (i < 2 ? 0 : 1)]}, ${STREAM[3 * g + 2]}, ${i % 2}, ${i}`);
  }
  return lines;
}

const swapLines = (): string[] => PARTIAL.map((p, k) => `  csrrw ${p}, nmacc${k}, ${p}`);

/** A full chunk beginning with the word the accumulators hold (`from`), ending with the other. */
const fullChunk = (spec: LayerSpec, from: number): string[] => [
  `  # chunk of ${CHUNK_GROUPS} groups`,
  ...chunkLoads(CHUNK_GROUPS),
  ...chunkMacs(spec, CHUNK_GROUPS, from),
  '  # swap: the accumulators take the other word, its partial sums come back',
  ...swapLines(),
  ...chunkMacs(spec, CHUNK_GROUPS, 1 - from),
];

/**
 * Reads the accumulators' word into `registers`, clearing them; lanes without a pixel into zero
 * (their windows may hold input), or not at all in a flat layer, whose buffer holds zeros there.
 */
export function accumulatorReads(geometry: BufferGeometry, valid: number, registers: readonly string[]): string[] {
  const lanes = geometry.flat ? valid : LANES;
  return Array.from({ length: lanes }, (_, k) => (k < valid ? `  nm.racc ${registers[k]}, ${k}` : `  nm.racc zero, ${k}                # no pixel: cleared only`));
}

/** The pass routine of a pass whose two words hold pixels (`valid` of each). */
export function twoWordPassRoutine(spec: LayerSpec, geometry: BufferGeometry, groups: number, valid: readonly number[], label: string): string[] {
  const { first, full } = channelChunks(groups);
  const pairs = Math.floor(full / 2);
  const lines = [`${label}:                   # ${valid.join(' + ')} output pixels, every channel of the core`, '  addi a2, a1, 4                 # the second word', `  cv.setup 1, gp, ${label}_end`, `  # chunk of ${first} groups`];
  lines.push(...chunkLoads(first), ...chunkMacs(spec, first, 0), '  # word 0 to the partial sums, the accumulators cleared', ...PARTIAL.map((p, k) => `  nm.racc ${p}, ${k}`), ...chunkMacs(spec, first, 1));
  const pair = [...fullChunk(spec, 1), ...fullChunk(spec, 0)];
  if (pairs > 1) lines.push(`  li t0, ${pairs}                    # pairs of chunks`, `  cv.setup 0, t0, ${label}_pairs_end`, ...pair, `${label}_pairs_end:`);
  else if (pairs === 1) lines.push(...pair);
  if (full % 2 === 1) lines.push(...fullChunk(spec, 1));
  // After an odd number of full chunks the accumulators hold word 0.
  const held = full % 2 === 1 ? 0 : 1;
  const acc = held === 0 ? [...FINAL, ...PARTIAL] : [...PARTIAL, ...FINAL];
  lines.push(...QUANTIZATION_LOADS, ...accumulatorReads(geometry, valid[held]!, FINAL));
  return [...lines, ...passOutputLines(spec, geometry, valid, acc, label)];
}
