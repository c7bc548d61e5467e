// The multiplier of the core's execute stage: mul, mulh*, the Xcvmac rows, the SIMD dot products
// and the complex multiplies (hw/core/multiplier-ops.ts lists them). For area it has few
// multipliers and shares them, where the CV32E40P has one per job: one 17 x 17 (`wide0`), one more
// 17 x 17 (`wide1`) and four 9 x 9 (`lane0..3`), all signed so that a 9th/17th bit makes any operand
// signed or unsigned. Every product feeds one sum with the accumulator, then one right shifter:
//   dot8      the four lanes, a byte of a and of b each;
//   dot16     wide0 and wide1, a halfword pair each;
//   mul32     a x b mod 2^32 = Al*Bl + (Ah*Bl + Al*Bh) * 2^16: wide0 takes Al*Bl, wide1 Ah*Bl (its low
//             half counts), and three lanes Al*Bh's low half, as bytes: Al0*Bh0 + (Al1*Bh0 + Al0*Bh1) * 2^8;
//             cv.msu adds (~a) * b + b = -a * b (the sum wraps at 32 bits);
//   halfword  wide0, then the rounding constant, then the shift by Is3;
//   complex   wide0 and wide1 (the real part negates wide1 as (~x) * y + y), shifted by 15 + div;
//   mulh      wide0 over four cycles, one 16 x 16 partial product each into a 34-bit register
//             (Al*Bl >> 16, + Ah*Bl, + Al*Bh then >> 16, + Ah*Bh), which holds the result in the fifth
//             cycle: the CV32E40P's mulh timing (docs/cv32e40p.md#timing).
// Products not used by an op have an operand forced to zero, so they add nothing.
import { cat, defineModule, type Expr, mux, SInt, U, UInt } from '../hdl/index.js';
import { MULTIPLIER_KINDS, MULTIPLIER_OP_FIELDS, MULTIPLIER_OP_WIDTH, OPERAND_B_SOURCES, type MultiplierKind } from './multiplier-ops.js';

const SUM_BITS = 34;
/** The mulh partial product of each cycle: which halves of a and b. */
const MULH_STEPS = [
  { upperA: false, upperB: false, shift: true },
  { upperA: true, upperB: false, shift: false },
  { upperA: false, upperB: true, shift: true },
  { upperA: true, upperB: true, shift: false },
] as const;
const MULH_DONE = MULH_STEPS.length;

/** A signed operand of `bits.width + 1` bits: `bits` extended by its top bit when `signed`, else by 0. */
const extend = (bits: Expr, signed: Expr): Expr => cat(signed.and(bits.msb()), bits).asSInt();
const byteOf = (x: Expr, i: number): Expr => x.bits(8 * i + 7, 8 * i);
const halfOf = (x: Expr, upper: Expr): Expr => mux(upper, x.bits(31, 16), x.bits(15, 0));

export const CoreMultiplier = defineModule('CoreMultiplier', (m) => {
  const start = m.input('start', UInt(1));
  const first = m.input('first', UInt(1));
  const op = m.input('op', UInt(MULTIPLIER_OP_WIDTH));
  const a = m.input('a', UInt(32));
  const b = m.input('b', UInt(32));
  const c = m.input('c', UInt(32));
  const imm = m.input('imm', UInt(32));
  const imm2 = m.input('imm2', UInt(32));
  const result = m.output('result', UInt(32));
  const ready = m.output('ready', UInt(1));

  const field = (name: keyof typeof MULTIPLIER_OP_FIELDS): Expr => {
    const { lsb, width } = MULTIPLIER_OP_FIELDS[name];
    return op.bits(lsb + width - 1, lsb);
  };
  const kindField = field('kind');
  const is = (kind: MultiplierKind): Expr => m.node(`is_${kind}`, kindField.eq(MULTIPLIER_KINDS.indexOf(kind)));
  const isMul32 = is('mul32');
  const isMulh = is('mulh');
  const isHalfword = is('halfword');
  const isDot8 = is('dot8');
  const isDot16 = is('dot16');
  const isComplex = is('complex');
  const signedA = field('signedA');
  const signedB = field('signedB');
  const upperHalves = field('upperHalves');
  const imaginary = field('imaginary');
  const operandB = field('operandB');
  m.unused(imm.bits(31, 16), imm2.bits(31, 5));

  // mulh's cycle: 0..3 compute a partial product each, 4 (MULH_DONE) gives the result.
  const stepCount = m.reg('mulh_step', UInt(3), { reset: 0 });
  const step = m.node('step', mux(first, U(0, 3), stepCount));
  const mulhActive = m.node('mulh_active', start.and(isMulh).and(step.ne(MULH_DONE)));
  m.when(mulhActive, () => stepCount.assign(step.add(1)));
  const stepIs = (pick: (s: (typeof MULH_STEPS)[number]) => boolean): Expr =>
    MULH_STEPS.map((s, i) => (pick(s) ? step.eq(i) : U(0, 1))).reduce((x, y) => x.or(y));
  const mulhUpperA = m.node('mulh_upper_a', stepIs((s) => s.upperA));
  const mulhUpperB = m.node('mulh_upper_b', stepIs((s) => s.upperB));

  // Operand b of the dot products: rs2, or rs2's / Imm6's lane 0 in every lane.
  const scalar = mux(operandB.eq(OPERAND_B_SOURCES.indexOf('immediate')), imm.bits(15, 0), b.bits(15, 0));
  const replicated = mux(isDot8, scalar.bits(7, 0).rep(4), scalar.rep(2));
  const bLanes = m.node('b_lanes', mux(operandB.eq(OPERAND_B_SOURCES.indexOf('register')), b, replicated));
  // cv.msu multiplies ~a (and adds b below).
  const aWord = m.node('a_word', a.xor(field('subtract').and(isMul32).rep(32)));

  // wide0: the low halves (dot16 lane 0, mul32's Al*Bl, the complex real parts), the halves Is3's
  // forms choose, or mulh's halves of the cycle; signed as the op says, but mul32's and mulh's
  // lower halves are digits of an unsigned number.
  const wide0UpperA = m.node('wide0_upper_a', mux(isMulh, mulhUpperA, isHalfword.and(upperHalves)));
  const wide0UpperB = m.node('wide0_upper_b', mux(isMulh, mulhUpperB, isHalfword.and(upperHalves).or(isComplex.and(imaginary))));
  const wide0SignedA = signedA.and(isMulh.not().or(wide0UpperA));
  const wide0SignedB = signedB.and(isMulh.not().or(wide0UpperB));
  const wide0Used = isDot8.not();
  const wide0 = m.node('wide0', extend(halfOf(aWord, wide0UpperA).and(wide0Used.rep(16)), wide0SignedA).mul(extend(halfOf(bLanes, wide0UpperB), wide0SignedB)));

  // wide1: the upper halves (dot16 lane 1, complex), or mul32's Ah*Bl; the real part of a complex
  // product negates it: (~x) * y, with y added below.
  const negateWide1 = m.node('negate_wide1', isComplex.and(imaginary.not()));
  const wide1Used = isDot16.or(isMul32).or(isComplex);
  const wide1A = extend(aWord.bits(31, 16).and(wide1Used.rep(16)), signedA).asUInt().xor(negateWide1.rep(17)).asSInt();
  const wide1LowB = isMul32.or(isComplex.and(imaginary));
  const wide1 = m.node('wide1', wide1A.mul(extend(halfOf(bLanes, wide1LowB.not()), signedB)));

  // The byte lanes: a dot8's lanes, or mul32's Al0*Bh0, Al1*Bh0, Al0*Bh1.
  const crossBytes = [[0, 2], [1, 2], [0, 3]] as const;
  const lanes = [0, 1, 2, 3].map((i) => {
    const [crossA, crossB] = crossBytes[i] ?? [i, i];
    const used = i < crossBytes.length ? isDot8.or(isMul32) : isDot8;
    const laneA = mux(isMul32, byteOf(aWord, crossA), byteOf(aWord, i)).and(used.rep(8));
    const laneB = mux(isMul32, byteOf(b, crossB), byteOf(bLanes, i));
    return m.node(`lane${i}`, extend(laneA, signedA).mul(extend(laneB, signedB)));
  });

  const widen = (x: Expr): Expr => x.resize(SUM_BITS);
  const laneTerms = lanes.map((lane, i) => {
    const crossShift = i === 0 ? 16 : 24;
    return i < crossBytes.length ? mux(isMul32, widen(lane).shl(crossShift), widen(lane)) : widen(lane);
  });
  const wide1Term = mux(isMul32, widen(wide1).shl(16), widen(wide1));

  // The accumulator: c, or mulh's partial sum after its first cycle.
  const partial = m.reg('mulh_partial', SInt(SUM_BITS));
  const addend = m.node('addend', mux(field('accumulate'), c.asSInt().resize(SUM_BITS), mux(isMulh.and(step.ne(0)), partial, U(0, SUM_BITS).asSInt())));
  // The one other term: cv.msu's b, the complex real part's correction y, the rounding constant.
  const shiftBy = imm2.bits(4, 0);
  const rounding = U(1, 32).shl(shiftBy).shr(1).and(isHalfword.and(field('round')).rep(32));
  const msuCorrection = b.and(field('subtract').and(isMul32).rep(32));
  const complexCorrection = b.bits(31, 16).asSInt().resize(SUM_BITS).asUInt().and(negateWide1.rep(SUM_BITS));
  const correction = m.node('correction', rounding.or(msuCorrection).zext(SUM_BITS).or(complexCorrection).asSInt());

  const sum = m.node('sum', [widen(wide0), wide1Term, ...laneTerms, correction].reduce((x, y) => x.add(y), addend));

  // Right shift: halfword forms by Is3 (on the 32-bit sum, sign- or zero-extended as the form
  // says), mulh by 16 in its first and third cycles, complex by 15 + div.
  const halfwordFill = signedA.and(sum.bit(31));
  const shiftIn = m.node('shift_in', mux(isHalfword, cat(halfwordFill, halfwordFill, sum.bits(31, 0)).asSInt(), sum));
  const mulhShifts = m.node('mulh_shifts', stepIs((s) => s.shift));
  const complexShift = U(15, 5).add(field('complexShift').zext(5));
  const shiftAmount = mux(isHalfword, shiftBy, mux(isComplex, complexShift, mux(isMulh.and(mulhShifts), U(16, 5), U(0, 5))));
  const shifted = m.node('shifted', shiftIn.shr(shiftAmount));
  m.when(mulhActive, () => partial.assign(shifted));

  const complexPart = shifted.bits(15, 0);
  const complexResult = mux(imaginary, cat(complexPart, c.bits(15, 0)), cat(c.bits(31, 16), complexPart));
  result.assign(mux(isMulh, partial.bits(31, 0), mux(isComplex, complexResult, shifted.bits(31, 0))));
  ready.assign(isMulh.not().or(step.eq(MULH_DONE)));
  return { start, first, op, a, b, c, imm, imm2, result, ready };
});
