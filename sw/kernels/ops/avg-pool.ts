/**
 * Average pooling (exactly goldenAvgPool, sw/layers/pool.ts) on the walk of pool-windows.ts: per
 * channel word, the window's n words and per word four SIMD dot products with a one in a single
 * lane (cv.sdotup.b or cv.sdotsp.b: channel c's sum gains byte c), the first non-accumulating
 * (cv.dotup.b / cv.dotsp.b); then per channel `mul` by the multiplier, cv.addrn (add 2^(s-1),
 * shift right by s) and cv.clip[u] to the output type, the four bytes packed (cv.packlo.b,
 * cv.packhi.b) into one word store. 5n + 15 instructions per 4 output bytes, no stall for n > 1
 * (global 4x4: 95, 7x7: 260). Padding positions are skipped, which is summing them as zeros.
 * Leftover channels (C % 4) are bytes: a byte load and an add per position, the same requantization
 * and a byte store.
 */
import { type AvgPoolScale, type PoolSpec } from '../../layers/pool.js';
import { MAX_MULTIPLIER, MAX_SHIFT } from '../../layers/requantize.js';
import { outputClipLine } from '../layers/requantize-asm.js';
import { type PoolAddresses, REDUCTION_REGISTERS, WALK, type WindowReduction, checkPool, interleavedLines, poolCode } from './pool-windows.js';
import { checkInteger } from './regions.js';

const [S0, S1, S2, S3, LANE0, LANE1, LANE2, LANE3, T0, T1, MULTIPLIER, PACKED] = REDUCTION_REGISTERS;
const SUMS = [S0!, S1!, S2!, S3!];
const LANES = [LANE0!, LANE1!, LANE2!, LANE3!];

function avgReduction(signed: boolean, scale: AvgPoolScale): WindowReduction {
  const dot = signed ? 'dotsp.b' : 'dotup.b';
  const requantize = (sum: string): string[] => [
    `  mul ${sum}, ${sum}, ${MULTIPLIER}`,
    `  cv.addrn ${sum}, ${sum}, zero, ${scale.shift}`,
    outputClipLine(scale.outputType, false, sum),
  ];
  return {
    setupLines: () => [...LANES.map((lane, c) => `  li ${lane}, ${1 << (8 * c)}              # a one in byte lane ${c}`), `  li ${MULTIPLIER}, ${scale.multiplier}`],
    wordLines: (n, load) => [
      ...interleavedLines(n, 0, load, [T0!, T1!], (k, word) => SUMS.map((sum, c) => `  cv.${k === 0 ? '' : 's'}${dot} ${sum}, ${word}, ${LANES[c]}`)),
      ...SUMS.flatMap(requantize),
      `  cv.packlo.b ${PACKED}, ${S1}, ${S0}`,
      `  cv.packhi.b ${PACKED}, ${S3}, ${S2}`,
      `  cv.sw ${PACKED}, (${WALK.output}), 4`,
    ],
    byteLines: (n, load) => [
      load(0, S0!),
      ...interleavedLines(n - 1, 1, load, [T0!, T1!], (_, value) => [`  add ${S0}, ${S0}, ${value}`]),
      ...requantize(S0!),
      `  cv.sb ${S0}, (${WALK.output}), 1`,
    ],
    byteLoad: signed ? 'cv.lb' : 'cv.lbu',
  };
}

/** The average pooling's code: `core_0` .. `core_<cores-1>` (VariantGenerator.code's contract), the tensors at `at`. */
export function avgPoolCode(spec: PoolSpec, scale: AvgPoolScale, at: PoolAddresses, cores: number): string[] {
  checkPool('avgpool', spec, at, cores);
  checkInteger(`avgpool '${spec.name}'`, 'multiplier', scale.multiplier, 0, MAX_MULTIPLIER);
  checkInteger(`avgpool '${spec.name}'`, 'shift', scale.shift, 1, MAX_SHIFT);
  return poolCode(spec, avgReduction(spec.signed, scale), at, cores, 'avgpool');
}
