/**
 * The core's ALU (docs/cv32e40p.md: EX computes ALU results in one cycle): RV32I arithmetic,
 * logic, shifts and comparisons, the branch conditions, and the CORE-V scalar ALU, bit
 * manipulation and packed-SIMD operations. Combinational.
 *
 * Like CV32E40P's ALU it is built around shared circuits rather than one circuit per instruction:
 * one lane adder (add, subtract, absolute value, every comparison, min/max and the clip test), one
 * segmented shifter (shifts, the normalizing add/sub family, averages, bit-field extract and insert,
 * bit reverse), per-byte equality from the logic unit's XOR, and one byte crossbar (shuffles and
 * packs). The op (alu-ops.ts) is a set of fields that steer them. The parts are built into this one
 * module: a module boundary between the operand selection and the adder or shifter stopped
 * synthesis from optimizing across it (measured: 74 levels instead of 57, for the same area).
 */
import { cat, defineModule, mux, U, UInt, type Expr } from '../hdl/index.js';
import { laneAdder } from './alu-adder.js';
import { countBits } from './alu-bit-count.js';
import { compareLanes } from './alu-compare.js';
import { fieldMask, fieldPlace } from './alu-field.js';
import { atLaneTop, BYTES, byteOf, joinBytes, type LaneWidthFlags } from './alu-lanes.js';
import { onesBelow } from './alu-masks.js';
import {
  ALU_OP_FIELDS, ALU_OP_WIDTH, AluAddFunction, AluFieldFunction, AluLane, AluLogicFunction, AluMinMaxFunction, AluNormalize,
  AluParam, AluShiftFunction, AluShuffle, AluUnit, AluX, AluY, type AluOpField, type AluUnitName,
} from './alu-ops.js';
import { PACK_PERMUTATIONS, permuteLanes } from './alu-permute.js';
import { laneShifter, reverseDigits } from './alu-shifter.js';

/** values[code] as a `width`-bit constant, chosen by `code`. */
function constantOf(code: Expr, values: readonly number[], width: number): Expr {
  return values.slice(0, -1).reduceRight((rest: Expr, value, k) => mux(code.eq(k), U(value, width), rest), U(values.at(-1)!, width));
}

export const CoreAlu = defineModule('CoreAlu', (m) => {
  const op = m.input('op', UInt(ALU_OP_WIDTH));
  /** rs1. */
  const a = m.input('a', UInt(32));
  /** rs2. */
  const b = m.input('b', UInt(32));
  /** rd for the rows whose format reads it (accumulating, insert, pack hi/lo, shuffle2), else rs3. */
  const c = m.input('c', UInt(32));
  /** The decoder's imm and imm2 slots. */
  const imm = m.input('imm', UInt(32));
  const imm2 = m.input('imm2', UInt(32));
  const result = m.output('result', UInt(32));
  /** The condition of a branch row (beq..bgeu, cv.beqimm, cv.bneimm); meaningless for other rows. */
  const branchTaken = m.output('branch_taken', UInt(1));

  const field = (name: AluOpField): Expr => {
    const [lo, bits] = ALU_OP_FIELDS[name];
    return op.bits(lo + bits - 1, lo);
  };
  const unit = field('unit');
  const fn = field('fn');
  const signed = field('signed');
  const subtract = field('subtract');
  const param = field('param');
  const is = (name: AluUnitName): Expr => unit.eq(AluUnit[name]);
  const width = field('width');
  const lanes: LaneWidthFlags = { half: width.eq(AluLane.half), byte: width.eq(AluLane.byte) };

  // --- operands ---------------------------------------------------------------------------
  const xSel = field('x');
  // cv.subrotmj subtracts across the operands: {rs2 low, rs1 high} - {rs1 low, rs2 high}.
  const crossed = xSel.eq(AluX.cross);
  const x = m.node('x', mux(xSel.eq(AluX.a), a, mux(xSel.eq(AluX.c), c, mux(crossed, cat(b.bits(15, 0), a.bits(31, 16)), U(0, 32)))));
  const ySel = field('y');
  const yRaw = mux(ySel.eq(AluY.b), b, mux(ySel.eq(AluY.imm), imm, mux(ySel.eq(AluY.imm2), imm2, a)));
  const yLane0 = mux(lanes.byte, yRaw.bits(7, 0).rep(4), yRaw.bits(15, 0).rep(2));
  const y = m.node('y', mux(crossed, cat(a.bits(15, 0), b.bits(31, 16)), mux(field('replicate'), yLane0, yRaw)));
  const laneSigns = (v: Expr): Expr[] => [0, 1, 2, 3].map((j) => atLaneTop(lanes, [0, 1, 2, 3].map((k) => v.bit(8 * k + 7)), j));
  const xSign = laneSigns(x);

  // --- logic ------------------------------------------------------------------------------
  const xorXY = m.node('xor_xy', x.xor(y));
  const logic = mux(fn.eq(AluLogicFunction.and), x.and(y), mux(fn.eq(AluLogicFunction.or), x.or(y), xorXY));

  // --- the adder --------------------------------------------------------------------------
  const isClip = is('clip');
  // The clip bound: rs2 without its sign bit, or 2^(Is2-1) - 1.
  const bound = m.node('clip_bound', mux(param.eq(AluParam.imm), onesBelow(imm.bits(4, 0)).shr(1), b.and(0x7fffffff)));
  // abs negates the negative lanes, cv.cplxconj the high halfword: (x ^ n) + n per lane, y = 0.
  // clip: (x ^ s) + ~bound, s the sign of x, carries out when |x| (~x for negative x) exceeds the
  // bound. Otherwise x + y, or x + ~y + 1.
  const isNegating = is('add').and(fn.eq(AluAddFunction.abs).or(fn.eq(AluAddFunction.conjugate)));
  const negated = xSign.map((sign, j) => mux(fn.eq(AluAddFunction.abs), sign, U(j >= 2 ? 1 : 0, 1)));
  const adder = laneAdder(m, {
    x,
    y: mux(isClip, bound, mux(isNegating, U(0, 32), y)),
    lanes,
    invertX: xSign.map((sign, j) => mux(isClip, sign, isNegating.and(negated[j]!))),
    invertY: subtract,
    laneCarry: negated.map((negate) => mux(isNegating, negate, subtract.and(isClip.not()))),
  });

  // --- comparisons --------------------------------------------------------------------------
  const comparisons = compareLanes(m, {
    lanes,
    carry: adder.carry,
    xSign,
    ySign: laneSigns(y),
    equalBytes: [0, 1, 2, 3].map((j) => byteOf(xorXY, j).orR().not()),
    condition: fn,
    signed,
  });
  const isWord = lanes.half.or(lanes.byte).not();
  // Word lanes give 0 or 1 (slt), narrower lanes all ones or zeros (cv.cmp*).
  const compared = joinBytes(comparisons.map(({ holds }, j) => mux(isWord, j === 0 ? holds.zext(8) : U(0, 8), holds.rep(8))));
  branchTaken.assign(comparisons[0]!.holds);

  // --- min/max and clip: per lane, x or the other candidate ---------------------------------
  const xNegative = x.bit(31);
  const exceeds = adder.carry[3]!;
  const saturates = mux(signed, exceeds, exceeds.or(xNegative));
  const saturated = mux(signed, bound.xor(xNegative.rep(32)), mux(xNegative, U(0, 32), bound));
  const isMinMax = is('minmax');
  const selected = joinBytes([0, 1, 2, 3].map((j) => {
    const keepX = mux(isMinMax, comparisons[j]!.less.xor(fn.eq(AluMinMaxFunction.max)), saturates.not());
    return mux(keepX, byteOf(x, j), mux(isMinMax, byteOf(y, j), byteOf(saturated, j)));
  }));

  // --- normalize: (x +- y + rounding) >> amount --------------------------------------------
  const normalizeAmounts = mux(param.eq(AluParam.b), b, mux(param.eq(AluParam.imm), imm2, fn.bits(1, 0).zext(8).rep(BYTES)));
  const roundingRun = onesBelow(normalizeAmounts.bits(4, 0));
  // 2^(amount-1), 0 for amount 0.
  const rounding = mux(fn.and(AluNormalize.round).orR(), roundingRun.xor(roundingRun.shr(1)), U(0, 32));
  const rounded = m.node('rounded', adder.sum.add(rounding));

  // --- the shifter, and the bit fields it moves ---------------------------------------------
  const isField = is('field');
  const isShift = is('shift');
  const isNormalize = is('normalize');
  const isBitrev = is('bitrev');
  const place = fieldPlace({ param, lanes, b, imm, imm2 });
  const position = m.node('field_position', place.position);
  const left = isShift.and(fn.eq(AluShiftFunction.left)).or(isField.and(fn.eq(AluFieldFunction.insert))).or(isBitrev);
  const laneShift = isShift.or(isNormalize);
  const shifter = laneShifter(m, {
    value: mux(isNormalize, rounded, x),
    amounts: mux(isShift, y, mux(isNormalize, normalizeAmounts, position.zext(32))),
    lanes: { half: lanes.half.and(laneShift), byte: lanes.byte.and(laneShift) },
    left,
    arithmetic: signed.and(left.not()),
    rotate: isShift.and(fn.eq(AluShiftFunction.rotate)),
  });
  const shifted = shifter.result;

  // The field, then (source & mask) | (target & ~mask); shifts keep the whole word.
  const extracting = fn.eq(AluFieldFunction.extract);
  const mask = m.node('field_mask', fieldMask(mux(extracting, U(0, 5), position), place.length1));
  // An extracted field's sign is its top bit, at the top bit of the mask.
  const fieldSign = shifted.and(mask).and(mask.shr(1).not()).orR();
  const constantField = isField.and(fn.eq(AluFieldFunction.clear).or(fn.eq(AluFieldFunction.set)));
  const source = mux(constantField, fn.eq(AluFieldFunction.set).rep(32),
    mux(isBitrev, reverseDigits(shifter.reversed, place.length1.bits(1, 0)), shifted));
  const target = mux(extracting, signed.and(fieldSign).rep(32), mux(fn.eq(AluFieldFunction.insert), c, x));
  const kept = mux(isField, mask, U(0xffffffff, 32));
  const fielded = source.and(kept).or(target.and(kept.not()));

  // --- lane permutation: shuffles and packs --------------------------------------------------
  const isPack = is('pack');
  const packFunction = fn.bits(1, 0);
  // cv.shuffle.sci.h: Imm6 bit k selects lane k's source; cv.shuffleIk.sci.b: byte 3 from lane k,
  // bytes 2..0 from Imm6's bit pairs.
  const sciHalfSelectors = cat(U(0, 15), imm.bit(1), U(0, 15), imm.bit(0));
  const sciByteSelectors = cat(U(0, 6), fn.bits(1, 0), U(0, 6), imm.bits(5, 4), U(0, 6), imm.bits(3, 2), U(0, 6), imm.bits(1, 0));
  const packKeep = constantOf(packFunction, PACK_PERMUTATIONS.map((p) => p.keep), BYTES);
  const permuted = permuteLanes({
    x,
    z: mux(isPack, y, c),
    kept: c,
    byteLanes: lanes.byte,
    twoSources: isPack.or(fn.and(AluShuffle.twoSources).orR()),
    selectors: mux(isPack, constantOf(packFunction, PACK_PERMUTATIONS.map((p) => p.selectors), 32),
      mux(param.eq(AluParam.imm), sciHalfSelectors, mux(param.eq(AluParam.constant), sciByteSelectors, y))),
    keep: [0, 1, 2, 3].map((j) => isPack.and(packKeep.bit(j))),
  });

  const bitCount = countBits(m, x, fn.bits(1, 0));

  m.switch(unit)
    .is([AluUnit.add], () => result.assign(adder.sum))
    .is([AluUnit.logic], () => result.assign(logic))
    .is([AluUnit.compare], () => result.assign(compared))
    .is([AluUnit.minmax, AluUnit.clip], () => result.assign(selected))
    .is([AluUnit.count], () => result.assign(bitCount.zext(32)))
    .is([AluUnit.shuffle, AluUnit.pack], () => result.assign(permuted))
    .default(() => result.assign(fielded));
  return { op, a, b, c, imm, imm2, result, branchTaken };
});
