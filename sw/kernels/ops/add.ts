/**
 * The element-wise addition of two int8/uint8 tensors at their own scales (a residual connection),
 * exactly goldenAdd (sw/layers/add.ts): out = clamp((a * ma + b * mb + 2^(s-1)) >> s).
 *
 * Four elements per iteration of a hardware loop: one word of each operand, its bytes widened to
 * 16-bit lanes (even bytes and odd bytes, two lanes each: cv.sra/srl.sci.h for the odd ones, a mask
 * or a shift pair for the even ones), then per element a 16 x 16-bit multiply of the first operand
 * (cv.mulsn, or cv.mulhhsn for the high lane) and a multiply-accumulate of the second with the
 * rounding shift (cv.macsrn / cv.machhsrn: (acc + b * mb + 2^(s-1)) >> s), cv.clip[u] to the
 * output range, and the four results packed into one word store. A signed first operand is widened
 * to its even lanes by one shift left only (the lane holds a * 256) and its multiply shifts the
 * product back by 8, exactly. Per word: 2 loads, 4 to 5 widening instructions, 8 multiplies,
 * 4 clips, 2 packs and a store: 21 cycles per 4 bytes (22 when both operands are signed), no stall. Elements may lie at any
 * address (a misaligned word costs one more cycle per access).
 *
 * Work split: contiguous ranges of whole words (split.ts), the last range's 1 to 3 leftover bytes
 * in straight-line code. The output may be one of the operands (each word is read before it is
 * written).
 */
import type { Addr } from '../../../isa/types.js';
import type { AddScale } from '../../layers/add.js';
import { MAX_MULTIPLIER, MAX_SHIFT } from '../../layers/requantize.js';
import { outputClipLine } from '../layers/requantize-asm.js';
import { splitRange } from '../layers/split.js';
import { checkInteger, checkRegions } from './regions.js';

export interface AddOp {
  /** Elements (bytes) of each operand and of the output. */
  readonly count: number;
  readonly signedA: boolean;
  readonly signedB: boolean;
  readonly scale: AddScale;
}

/** Where the operands and the output lie in L1. */
export interface AddAddresses {
  readonly a: Addr;
  readonly b: Addr;
  readonly output: Addr;
}

/** L1 bytes of the operands and the output (no scratch); an in-place addition needs `count` fewer. */
export function addL1Bytes(op: AddOp): number {
  return 3 * op.count;
}

const R = {
  a: 's0',
  b: 's1',
  output: 's2',
  words: 's3',
  tail: 's4',
  // Each multiplier in both 16-bit halves, for the low- and high-lane multiplies.
  multiplierFirst: 's5',
  multiplierSecond: 's6',
  mask: 's7',
  first: 'a0',
  second: 'a1',
  firstLanes: ['a2', 'a3'],
  secondLanes: ['a4', 'a5'],
  results: ['t0', 't1', 't2', 't3'],
  packed: 't4',
} as const;

/** Which operand is multiplied first: a signed one if there is one (its even lanes then cost one instruction less). */
interface Operands {
  readonly first: { readonly pointer: string; readonly signed: boolean; readonly multiplier: number };
  readonly second: { readonly pointer: string; readonly signed: boolean; readonly multiplier: number };
}

function operands(op: AddOp): Operands {
  const a = { pointer: R.a, signed: op.signedA, multiplier: op.scale.multiplierA };
  const b = { pointer: R.b, signed: op.signedB, multiplier: op.scale.multiplierB };
  return !op.signedA && op.signedB ? { first: b, second: a } : { first: a, second: b };
}

function checkAdd(op: AddOp, at: AddAddresses, cores: number): void {
  const name = 'add';
  checkInteger(name, 'count', op.count, 1, 2 ** 31);
  checkInteger(name, 'cores', cores, 1, 16);
  checkInteger(name, 'multiplierA', op.scale.multiplierA, 0, MAX_MULTIPLIER);
  checkInteger(name, 'multiplierB', op.scale.multiplierB, 0, MAX_MULTIPLIER);
  checkInteger(name, 'shift', op.scale.shift, 1, MAX_SHIFT);
  const region = (n: string, address: Addr) => ({ name: n, address, bytes: op.count });
  checkRegions(name, [region('a', at.a), region('b', at.b)], region('output', at.output), true);
}

/**
 * The even lanes (bytes 0 and 2) and odd lanes (bytes 1 and 3) of `word` as 16-bit lanes: signed
 * by arithmetic shifts, unsigned by the mask and a logical shift. `scaledEven`: a signed operand's
 * even lanes are left at value * 256 (the multiply shifts by 8).
 */
function widenLines(word: string, signed: boolean, [even, odd]: readonly string[], scaledEven: boolean): string[] {
  if (!signed) return [`  and ${even}, ${word}, ${R.mask}`, `  cv.srl.sci.h ${odd}, ${word}, 8`];
  return [`  cv.sll.sci.h ${even}, ${word}, 8`, ...(scaledEven ? [] : [`  cv.sra.sci.h ${even}, ${even}, 8`]), `  cv.sra.sci.h ${odd}, ${word}, 8`];
}

/** One iteration, a word of each operand: per element a multiply, a multiply-accumulate with the rounding shift, a clip; one word stored. */
function iterationLines(op: AddOp, ops: Operands): string[] {
  const s = op.scale.shift;
  const lines = [
    `  cv.lw ${R.second}, (${ops.second.pointer}), 4`,
    `  cv.lw ${R.first}, (${ops.first.pointer}), 4`,
    ...widenLines(R.second, ops.second.signed, R.secondLanes, false),
    ...widenLines(R.first, ops.first.signed, R.firstLanes, true),
  ];
  // Element e of the word: lane (e & 1 ? odd : even), half (e >> 1).
  for (let e = 0; e < 4; e++) {
    const lane = e & 1;
    const hh = e >> 1 ? 'hh' : '';
    const result = R.results[e]!;
    const unscale = lane === 0 && ops.first.signed ? 8 : 0;
    lines.push(
      `  cv.mul${hh}sn ${result}, ${R.firstLanes[lane]}, ${R.multiplierFirst}, ${unscale}`,
      `  cv.mac${hh}srn ${result}, ${R.secondLanes[lane]}, ${R.multiplierSecond}, ${s}`,
    );
  }
  const [r0, r1, r2, r3] = R.results;
  return [
    ...lines,
    ...R.results.map((r) => outputClipLine(op.scale.outputType, op.scale.relu, r)),
    `  cv.packlo.b ${R.packed}, ${r1}, ${r0}`,
    `  cv.packhi.b ${R.packed}, ${r3}, ${r2}`,
    `  cv.sw ${R.packed}, (${R.output}), 4`,
  ];
}

/** One leftover element at byte `offset` past the pointers: byte loads extend it, the low-lane multiplies do the rest. */
function byteLines(op: AddOp, ops: Operands, offset: number): string[] {
  const load = (signed: boolean): string => (signed ? 'lb' : 'lbu');
  const [x, y] = R.results;
  return [
    `  ${load(ops.second.signed)} ${y}, ${offset}(${ops.second.pointer})`,
    `  ${load(ops.first.signed)} ${x}, ${offset}(${ops.first.pointer})`,
    `  cv.mulsn ${x}, ${x}, ${R.multiplierFirst}, 0`,
    `  cv.macsrn ${x}, ${y}, ${R.multiplierSecond}, ${op.scale.shift}`,
    outputClipLine(op.scale.outputType, op.scale.relu, x),
    `  sb ${x}, ${offset}(${R.output})`,
  ];
}

const bothHalves = (m: number): number => (m << 16) | m;

/**
 * Assembly lines of every core (VariantGenerator.code's contract): `core_0` .. `core_<cores-1>`,
 * each ending with `j kernel_end`; only the output is stored to.
 */
export function addCode(op: AddOp, at: AddAddresses, cores: number): string[] {
  checkAdd(op, at, cores);
  const ops = operands(op);
  const ranges = splitRange(op.count, cores, 4);
  const tail = op.count % 4;
  const coreLines = ranges.flatMap((range, core) => {
    if (range.count === 0) return [`core_${core}:                      # no work`, '  j kernel_end'];
    const words = Math.floor(range.count / 4);
    return [
      `core_${core}:                      # elements ${range.start}..${range.start + range.count - 1}`,
      `  li ${R.a}, ${at.a + range.start}`,
      `  li ${R.b}, ${at.b + range.start}`,
      `  li ${R.output}, ${at.output + range.start}`,
      `  li ${R.words}, ${words}`,
      ...(tail === 0 ? [] : [`  li ${R.tail}, ${range.count % 4}              # leftover elements`]),
      '  j add_start',
    ];
  });
  return [
    `# add of ${op.count} elements: (a * ${op.scale.multiplierA} + b * ${op.scale.multiplierB} + 2^${op.scale.shift - 1}) >> ${op.scale.shift}, 4 per iteration`,
    ...coreLines,
    'add_start:',
    `  li ${R.multiplierFirst}, ${bothHalves(ops.first.multiplier)}`,
    `  li ${R.multiplierSecond}, ${bothHalves(ops.second.multiplier)}`,
    ...(op.signedA && op.signedB ? [] : [`  li ${R.mask}, 0x00ff00ff           # an unsigned operand's even bytes as 16-bit lanes`]),
    `  beqz ${R.words}, add_words_end`,
    `  cv.setup 0, ${R.words}, add_words_end`,
    ...iterationLines(op, ops),
    'add_words_end:',
    ...(tail === 0 ? [] : [`  beqz ${R.tail}, kernel_end`, ...Array.from({ length: tail }, (_, i) => byteLines(op, ops, i)).flat()]),
    '  j kernel_end',
  ];
}
