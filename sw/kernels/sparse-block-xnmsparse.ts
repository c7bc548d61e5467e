/**
 * A block of a 1:8-sparse int8 layer written with the Xnmsparse gather instructions: `channels`
 * output channels x 2 pixels, K = 64 (two groups of four non-zeros per channel, one index word).
 * For each group, nm.lg.b gathers the four activations of pixel 0 that the packed indices select
 * and nm.lgc.b those of pixel 1 (consuming the indices), then cv.sdotusp.b multiplies each with the
 * four packed weights. Channel c, pixel p accumulates in s(2 + 2c + p), that is x(18 + 2c + p);
 * the block runs `repeats` times, then stores the accumulators.
 */
import { lanesPerWord, patternName, type SparsityPattern } from '../../isa/xnmsparse/gather.js';
import { PULP_L1 } from '../../isa/platform/memory-map.js';
import { Random } from '../../util/random.js';
import { sparseLayout } from '../sparse/format.js';
import { packNM, unpackNM } from '../sparse/pack.js';
import { pruneNM } from '../sparse/prune.js';
import { inputRegion, type InputRegion, type KernelEntry } from './kernel.js';
import { bytesToWords, wordsToBytes } from './words.js';

type BlockParams = { readonly channels: number; readonly repeats: number };

const PATTERN: SparsityPattern = { n: 1, m: 8 };
const K = 64;
const LAYOUT = sparseLayout(PATTERN, K);
const LANES = lanesPerWord(LAYOUT.valueBytes);
const PIXELS = 2;

// L1 layout: the packed weights (shared by all cores), each core's two im2col columns, each core's outputs.
const VALUES = PULP_L1.base;
const INDICES = PULP_L1.base + 0x80;
const COLUMNS = PULP_L1.base + 0x100;
const OUTPUTS = PULP_L1.base + 0x1000;
const OUTPUT_BYTES_PER_CHANNEL = 4 * PIXELS;

const accumulator = (channel: number, pixel: number): string => `s${2 + PIXELS * channel + pixel}`;

function source({ channels, repeats }: BlockParams): string {
  const pattern = patternName(PATTERN);
  const lines = [
    '  .globl _start',
    '_start:',
    '  csrr t3, mhartid',
    `  li t4, ${PIXELS * K}`,
    '  mul t4, t3, t4',
    `  li a5, ${COLUMNS}`,
    '  add a5, a5, t4              # a5: this core\'s columns',
    `  li t4, ${OUTPUT_BYTES_PER_CHANNEL * channels}`,
    '  mul t4, t3, t4',
    `  li a6, ${OUTPUTS}`,
    '  add a6, a6, t4              # a6: this core\'s outputs',
    `  li a4, ${repeats}`,
    '1:',
  ];
  for (let c = 0; c < channels; c++) {
    lines.push('  mv a2, a5', `  addi a3, a5, ${K}`, `  li t0, ${INDICES + 4 * LAYOUT.indexWordsPerChannel * c}`, '  lw t0, 0(t0)', `  li t2, ${VALUES + LAYOUT.nonZerosPerChannel * c}`);
    for (let group = 0; group < K / LAYOUT.groupSpan; group++) {
      for (let lane = 0; lane < LANES; lane++) lines.push(`  nm.lg.b a0, t0(a2), ${lane}, ${pattern}`, `  nm.lgc.b a1, t0(a3), ${lane}, ${pattern}`);
      lines.push(
        '  cv.lw t1, (t2), 4',
        `  cv.sdotusp.b ${accumulator(c, 0)}, a0, t1`,
        `  cv.sdotusp.b ${accumulator(c, 1)}, a1, t1`,
        `  addi a2, a2, ${LAYOUT.groupSpan}`,
        `  addi a3, a3, ${LAYOUT.groupSpan}`,
      );
    }
  }
  lines.push('  addi a4, a4, -1', '  bnez a4, 1b');
  for (let c = 0; c < channels; c++) {
    for (let p = 0; p < PIXELS; p++) lines.push(`  sw ${accumulator(c, p)}, ${OUTPUT_BYTES_PER_CHANNEL * c + 4 * p}(a6)`);
  }
  lines.push('  li a0, 0', '  li a7, 93', '  ecall');
  return `${lines.join('\n')}\n`;
}

/** Random weights pruned to 1:8 and packed, then two random uint8 columns per core. */
function inputs({ channels }: BlockParams, cores: number, seed: number): InputRegion[] {
  const random = new Random(seed);
  const dense = random.fill(new Int8Array(channels * K));
  const packed = packNM(pruneNM({ channels, k: K, data: dense }, PATTERN), PATTERN);
  const columns = random.fill(new Uint8Array(cores * PIXELS * K));
  return [
    { name: 'values', address: VALUES, bytes: new Uint8Array(packed.values.buffer, packed.values.byteOffset, packed.values.byteLength) },
    { name: 'indices', address: INDICES, bytes: wordsToBytes(packed.indices) },
    { name: 'columns', address: COLUMNS, bytes: columns },
  ];
}

/** Dense dot products of the unpacked weights with each core's columns, times `repeats`. */
function golden({ channels, repeats }: BlockParams, cores: number, regions: readonly InputRegion[]): Int32Array {
  const values = inputRegion(regions, 'values').bytes;
  const weights = unpackNM({
    layout: LAYOUT,
    channels,
    values: new Int8Array(values.buffer, values.byteOffset, values.byteLength),
    indices: bytesToWords(inputRegion(regions, 'indices').bytes),
  }).data;
  const columns = inputRegion(regions, 'columns').bytes;
  const outputs = new Int32Array(cores * channels * PIXELS);
  for (let core = 0; core < cores; core++) {
    for (let c = 0; c < channels; c++) {
      for (let p = 0; p < PIXELS; p++) {
        const column = (core * PIXELS + p) * K;
        let sum = 0;
        for (let j = 0; j < K; j++) sum += weights[c * K + j]! * columns[column + j]!;
        outputs[(core * channels + c) * PIXELS + p] = Math.imul(sum, repeats);
      }
    }
  }
  return outputs;
}

export const sparseBlockXnmsparse: KernelEntry<BlockParams> = {
  name: 'sparse-block-xnmsparse',
  description: 'channels x 2 pixels of a 1:8-sparse int8 layer (K = 64) through the nm.lg.b/nm.lgc.b gathers and cv.sdotusp.b; int32 outputs in L1',
  params: [
    { name: 'channels', description: 'output channels (two accumulators each, s2..s11)', default: 4, min: 1, max: 5 },
    { name: 'repeats', description: 'times the block runs, accumulating', default: 1, min: 1, max: 10_000 },
  ],
  maxCores: 16,
  split: 'every core computes all channels for its own 2 pixels (columns chosen by mhartid); the weights are shared',
  generate: (params) => ({ source: source(params), file: 'sparse-block-xnmsparse.S', instructionSet: 'cv32e40p+xnmsparse' }),
  inputs,
  golden,
  outputs: ({ channels }, cores) => ({ kind: 'memory', address: OUTPUTS, words: cores * channels * PIXELS }),
  checked: [
    { channels: 4, repeats: 1 },
    { channels: 1, repeats: 3 },
    { channels: 5, repeats: 2 },
  ],
};
