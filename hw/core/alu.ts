/**
 * The core's ALU (docs/cv32e40p.md: the EX stage computes ALU results in one cycle): RV32I
 * arithmetic, logic, shifts and comparisons, the branch conditions, and the CORE-V scalar ALU,
 * bit-manipulation and packed-SIMD operations. Combinational.
 *
 * Like CV32E40P's ALU it is built around shared circuits rather than one circuit per instruction:
 * one lane adder (add, subtract, absolute value, every comparison, min/max and the clip test), one
 * segmented shifter (shifts, the normalizing add/sub family, averages, bit-field extract and insert,
 * bit reverse), and per-byte equality from the logic unit's XOR. The op value (alu-ops.ts) is a
 * set of fields that steer them.
 */
import { cat, defineModule, mux, U, UInt, type Expr } from '../hdl/index.js';
import { AluAdder } from './alu-adder.js';
import { AluBitCount } from './alu-bit-count.js';
import { allInLane, atLaneTop, BYTES, byteOf, joinBytes, type LaneWidthFlags } from './alu-lanes.js';
import { onesBelow, onesFrom } from './alu-masks.js';
import {
  ALU_OP_FIELDS, ALU_OP_WIDTH, AluAddFunction, AluCondition, AluLane, AluParam, AluUnit, AluX, AluY, type AluOpField, type AluUnitName,
} from './alu-ops.js';
import { AluPermute } from './alu-permute.js';
import { AluShifter } from './alu-shifter.js';

const ONES = 0xffffffff;

/**
 * The packs as two-source permutations (AluPermute) of x = rs1 and z = rs2, by fn: cv.pack and
 * cv.pack.h in halfword lanes, cv.packhi.b and cv.packlo.b in byte lanes keeping rd's other half.
 */
const PACKS: readonly { readonly selectors: number; readonly keep: number }[] = [
  { selectors: 0x0002_0000, keep: 0b0000 }, // rs1 lane 0, rs2 lane 0
  { selectors: 0x0003_0001, keep: 0b0000 }, // rs1 lane 1, rs2 lane 1
  { selectors: 0x0400_0000, keep: 0b0011 }, // rs1 byte 0, rs2 byte 0, rd's low half
  { selectors: 0x0000_0400, keep: 0b1100 }, // rd's high half, rs1 byte 0, rs2 byte 0
];

/** Digits of a bit-reversed value in radix 4 (pairs swapped) or 8 (triples from bit 0 reversed, bits 31:30 zero). */
function reverseDigits(reversed: Expr, radix: Expr): Expr {
  const pairs: Expr[] = [];
  const triples: Expr[] = [];
  for (let i = 31; i >= 0; i--) {
    pairs.push(reversed.bit(i ^ 1));
    triples.push(i >= 30 ? U(0, 1) : reversed.bit(i - (i % 3) + 2 - (i % 3)));
  }
  return mux(radix.eq(1), cat(...pairs), mux(radix.eq(2), cat(...triples), reversed));
}

export const CoreAlu = defineModule('CoreAlu', (m) => {
  const op = m.input('op', UInt(ALU_OP_WIDTH));
  const a = m.input('a', UInt(32));
  const b = m.input('b', UInt(32));
  const c = m.input('c', UInt(32));
  const imm = m.input('imm', UInt(32));
  const imm2 = m.input('imm2', UInt(32));
  const result = m.output('result', UInt(32));
  const branchTaken = m.output('branch_taken', UInt(1));

  const field = (name: AluOpField): Expr => {
    const [lo, bits] = ALU_OP_FIELDS[name];
    return op.bits(lo + bits - 1, lo);
  };
  const unit = field('unit');
  const fn = field('fn');
  const signed = field('signed');
  const param = field('param');
  const is = (name: AluUnitName): Expr => unit.eq(AluUnit[name]);
  const lanes: LaneWidthFlags = { half: field('width').eq(AluLane.half), byte: field('width').eq(AluLane.byte) };

  // --- operands ---------------------------------------------------------------------------
  const xSel = field('x');
  // cv.subrotmj subtracts across the operands: {rs2 low, rs1 high} - {rs1 low, rs2 high}.
  const crossed = xSel.eq(AluX.cross);
  const x = m.node('x', mux(xSel.eq(AluX.a), a, mux(xSel.eq(AluX.c), c, mux(crossed, cat(b.bits(15, 0), a.bits(31, 16)), U(0, 32)))));
  const ySel = field('y');
  const yRaw = mux(ySel.eq(AluY.b), b, mux(ySel.eq(AluY.imm), imm, mux(ySel.eq(AluY.imm2), imm2, a)));
  const yLane0 = mux(lanes.byte, yRaw.bits(7, 0).rep(4), yRaw.bits(15, 0).rep(2));
  const y = m.node('y', mux(crossed, cat(a.bits(15, 0), b.bits(31, 16)), mux(field('replicate'), yLane0, yRaw)));
  const bytesOf = (v: Expr): Expr[] => [0, 1, 2, 3].map((j) => byteOf(v, j));
  const laneMsb = (v: Expr): Expr[] => [0, 1, 2, 3].map((j) => atLaneTop(lanes, [0, 1, 2, 3].map((k) => v.bit(8 * k + 7)), j));
  const xSign = laneMsb(x);
  const ySign = laneMsb(y);

  // --- logic ------------------------------------------------------------------------------
  const xorXY = m.node('xor_xy', x.xor(y));
  const logic = mux(fn.eq(0), x.and(y), mux(fn.eq(1), x.or(y), xorXY));

  // --- clip bound: rs2 without its sign bit, or 2^(Is2-1) - 1 -------------------------------
  const clipImmediate = param.eq(AluParam.imm);
  const bound = m.node('clip_bound', mux(clipImmediate, onesBelow(imm.bits(4, 0)).shr(1), b.and(0x7fffffff)));

  // --- the adder --------------------------------------------------------------------------
  // abs: (x ^ s) + s per lane, s the lane's sign. clip: (x ^ s) + ~bound, whose carry says that
  // |x| (or ~x for negative x) exceeds the bound. Otherwise x + y or x + ~y + 1.
  // abs negates the negative lanes, cv.cplxconj the high halfword: (x ^ n) + n per lane, y = 0.
  const isNegating = is('add').and(fn.eq(AluAddFunction.abs).or(fn.eq(AluAddFunction.conjugate)));
  const negated = xSign.map((sign, j) => mux(fn.eq(AluAddFunction.abs), sign, U(j >= 2 ? 1 : 0, 1)));
  const isClip = is('clip');
  const subtract = field('subtract');
  const adder = m.instance('u_adder', AluAdder, {});
  adder.x.assign(x);
  adder.y.assign(mux(isClip, bound, mux(isNegating, U(0, 32), y)));
  adder.half.assign(lanes.half);
  adder.byte.assign(lanes.byte);
  adder.invertX.assign(joinBytes(xSign.map((sign, j) => mux(isClip, sign, isNegating.and(negated[j]!)))));
  adder.invertY.assign(subtract);
  adder.laneCarry.assign(joinBytes(negated.map((negate) => mux(isNegating, negate, subtract.and(isClip.not())))));
  const sum = adder.sum;

  // --- lane comparisons -------------------------------------------------------------------
  const carryBits = [0, 1, 2, 3].map((j) => adder.carry.bit(j));
  const equalBytes = bytesOf(xorXY).map((v) => v.orR().not());
  const conditions = [0, 1, 2, 3].map((j) => {
    const laneCarry = atLaneTop(lanes, carryBits, j);
    // x - y carries out when x >= y unsigned; lanes of different signs flip that when signed.
    const ge = laneCarry.xor(signed.and(xSign[j]!.xor(ySign[j]!)));
    const eq = allInLane(lanes, equalBytes, j);
    const base = mux(fn.bits(2, 1).eq(AluCondition.eq >> 1), eq, mux(fn.bits(2, 1).eq(AluCondition.ge >> 1), ge, ge.and(eq.not())));
    return { holds: m.node(`condition${j}`, base.xor(fn.bit(0))), lt: ge.not() };
  });
  const isWord = lanes.half.or(lanes.byte).not();
  // Word lanes give 0 or 1 (slt), narrower lanes all ones or zeros (cv.cmp*).
  const compared = joinBytes(conditions.map(({ holds }, j) =>
    mux(isWord, j === 0 ? cat(U(0, 7), holds) : U(0, 8), holds.rep(8))));
  branchTaken.assign(conditions[0]!.holds);

  // --- min/max and clip: x or something else, per lane -------------------------------------
  const xNegative = x.bit(31);
  const exceeds = adder.carry.bit(3);
  const saturates = mux(signed, exceeds, exceeds.or(xNegative));
  const saturated = mux(signed, bound.xor(xNegative.rep(32)), mux(xNegative, U(0, 32), bound));
  const selected = joinBytes([0, 1, 2, 3].map((j) => {
    const keepX = mux(is('minmax'), conditions[j]!.lt.xor(fn.bit(0)), saturates.not());
    return mux(keepX, byteOf(x, j), mux(is('minmax'), byteOf(y, j), byteOf(saturated, j)));
  }));

  // --- normalize: (x +- y + rounding) >> amount --------------------------------------------
  const normalizeAmounts = mux(param.eq(AluParam.b), b, mux(param.eq(AluParam.imm), imm2, fn.bits(1, 0).zext(8).rep(BYTES)));
  const roundingRun = onesBelow(normalizeAmounts.bits(4, 0));
  const rounding = mux(fn.bit(2), roundingRun.xor(roundingRun.shr(1)), U(0, 32));
  const rounded = m.node('rounded', sum.add(rounding));

  // --- bit fields: (source & mask) | (target & ~mask) ---------------------------------------
  const isField = is('field');
  const laneLength1 = mux(lanes.byte, U(7, 5), U(15, 5));
  const lanePosition = mux(lanes.byte, cat(imm.bits(1, 0), U(0, 3)), cat(imm.bit(0), U(0, 4)));
  const length1 = m.node('field_length1', mux(param.eq(AluParam.b), b.bits(9, 5), mux(param.eq(AluParam.imm), imm2.bits(4, 0), laneLength1)));
  const position = m.node('field_position', mux(param.eq(AluParam.b), b.bits(4, 0), mux(param.eq(AluParam.imm), imm.bits(4, 0),
    mux(param.eq(AluParam.lane), lanePosition, U(0, 5)))));
  const extracting = fn.eq(0);
  const low = mux(extracting, U(0, 5), position);
  const high = low.zext(6).add(length1.zext(6));
  const fieldMask = m.node('field_mask', onesFrom(low).and(onesBelow(high.add(1))));

  // --- the shifter --------------------------------------------------------------------------
  const isShift = is('shift');
  const isNormalize = is('normalize');
  const laneShift = isShift.or(isNormalize);
  const isBitrev = is('bitrev');
  const left = isShift.and(fn.eq(1)).or(isField.and(fn.eq(1))).or(isBitrev);
  const shifter = m.instance('u_shifter', AluShifter, {});
  shifter.value.assign(mux(isNormalize, rounded, x));
  shifter.amounts.assign(mux(isShift, y, mux(isNormalize, normalizeAmounts, position.zext(32))));
  shifter.half.assign(lanes.half.and(laneShift));
  shifter.byte.assign(lanes.byte.and(laneShift));
  shifter.left.assign(left);
  shifter.arithmetic.assign(signed.and(left.not()));
  shifter.rotate.assign(isShift.and(fn.eq(2)));
  const shifted = shifter.result;

  // The sign of an extracted field is its top bit, the top bit of the mask.
  const fieldSign = shifted.and(fieldMask).and(fieldMask.shr(1).not()).orR();
  // cv.bitrev: x << position with its bits reversed is the shifter's right-shift stage output.
  const bitReversed = reverseDigits(shifter.reversed, length1.bits(1, 0));
  const fieldSource = mux(isField.and(fn.bit(1)), fn.bit(0).rep(32), mux(isBitrev, bitReversed, shifted));
  const fieldTarget = mux(extracting, signed.and(fieldSign).rep(32), mux(fn.eq(1), c, x));
  const mask = mux(isField, fieldMask, U(ONES, 32));
  const fielded = fieldSource.and(mask).or(fieldTarget.and(mask.not()));

  // --- bit counting ------------------------------------------------------------------------
  const counter = m.instance('u_bit_count', AluBitCount, {});
  counter.value.assign(x);
  counter.fn.assign(fn.bits(1, 0));

  // --- lane permutation: shuffles and packs --------------------------------------------------
  const isPack = is('pack');
  const packSelectors = PACKS.reduceRight((rest: Expr, pack, k) => (k === PACKS.length - 1 ? U(pack.selectors, 32) : mux(fn.bits(1, 0).eq(k), U(pack.selectors, 32), rest)), U(0, 32));
  const packKeep = PACKS.reduceRight((rest: Expr, pack, k) => (k === PACKS.length - 1 ? U(pack.keep, BYTES) : mux(fn.bits(1, 0).eq(k), U(pack.keep, BYTES), rest)), U(0, BYTES));
  // cv.shuffle.sci.h: Imm6 bit k selects lane k; cv.shuffleIk.sci.b: byte 3 from lane k, bytes 2..0 from Imm6's pairs.
  const sciHalfSelectors = cat(U(0, 15), imm.bit(1), U(0, 15), imm.bit(0));
  const sciByteSelectors = cat(U(0, 6), fn.bits(1, 0), U(0, 6), imm.bits(5, 4), U(0, 6), imm.bits(3, 2), U(0, 6), imm.bits(1, 0));
  const shuffleSelectors = mux(param.eq(AluParam.imm), sciHalfSelectors, mux(param.eq(AluParam.constant), sciByteSelectors, y));
  const permute = m.instance('u_permute', AluPermute, {});
  permute.x.assign(x);
  permute.z.assign(mux(isPack, y, c));
  permute.kept.assign(c);
  permute.byteLanes.assign(lanes.byte);
  permute.twoSources.assign(isPack.or(fn.bit(2)));
  permute.selectors.assign(mux(isPack, packSelectors, shuffleSelectors));
  permute.keep.assign(mux(isPack, packKeep, U(0, BYTES)));

  m.switch(unit)
    .is([AluUnit.add], () => result.assign(sum))
    .is([AluUnit.logic], () => result.assign(logic))
    .is([AluUnit.compare], () => result.assign(compared))
    .is([AluUnit.minmax, AluUnit.clip], () => result.assign(selected))
    .is([AluUnit.count], () => result.assign(counter.count.zext(32)))
    .is([AluUnit.shuffle, AluUnit.pack], () => result.assign(permute.result))
    .default(() => result.assign(fielded));
  return { op, a, b, c, imm, imm2, result, branchTaken };
});
