// The multiplier of the core's execute stage: mul, mulh*, the Xcvmac rows, the SIMD dot products
// and the complex multiplies (hw/core/multiplier-ops.ts lists them). For area it shares a few
// multipliers among all of them, where the CV32E40P has one per job (a 32 x 32, three 17 x 17 and
// four 9 x 9): here one 17 x 17 (`wide`), four 9 x 9 (`lane0..3`), which also make one 16 x 16
// product byte by byte, and two 8 x 8 of which only the low byte counts. The 9th and 17th bits make
// each operand signed or unsigned. Every product feeds one sum with the accumulator, then one right
// shifter:
//   dot8      the four lanes, a byte of a and of b each;
//   dot16     wide (lane 0 of the halfwords) and the lanes (lane 1, byte by byte);
//   mul32     a x b mod 2^32 = Al*Bl + (Ah*Bl + Al*Bh) * 2^16: wide takes Al*Bl, the lanes and the
//             8 x 8s the low halves of Ah*Bl and Al*Bh, byte by byte; cv.msu multiplies ~a and adds
//             b, (~a) * b + b = -a * b (the sum wraps at 32 bits);
//   halfword  wide, plus the rounding constant, shifted by Is3;
//   complex   wide (re(a) times re(b) or im(b)) and the lanes (im(a) times im(b) or re(b)); the real
//             part negates the second as (~x) * y + y; shifted by 15 + div;
//   mulh      wide over four cycles, one 16 x 16 partial product each into a 34-bit register
//             (Al*Bl >> 16, + Ah*Bl, + Al*Bh then >> 16, + Ah*Bh), which holds the result in the fifth
//             cycle: the CV32E40P's mulh timing (docs/cv32e40p.md#timing), and its way of reusing
//             one halfword multiplier for the upper word.
// Products an op does not use have an operand forced to zero, so they add nothing (and do not toggle).
import { exOperands } from './ex-operands.js';
import { cat, defineModule, type Expr, mux, SInt, U, UInt } from '../hdl/index.js';
import { productBits as MAC_PRODUCT_BITS } from '../ext/r2/lanes.js';
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

export interface CoreMultiplierParams {
  /** The `mac_*` ports: the byte lanes also compute nm.mac4's products (the core with Xnmsparse). */
  readonly macLanes: boolean;
}

export const CoreMultiplier = defineModule('CoreMultiplier', (m, p: CoreMultiplierParams) => {
  const start = m.input('start', UInt(1));
  const first = m.input('first', UInt(1));
  const op = m.input('op', UInt(MULTIPLIER_OP_WIDTH));
  const { a, b, c, imm, imm2 } = exOperands(m);
  const result = m.output('result', UInt(32));
  const ready = m.output('ready', UInt(1));
  // nm.mac4's products (docs/isa-extension.md R2.6, hw/core/mac-writeback.ts): with `mac_lanes`,
  // and `op` an nm.mac4's (macLanesOp, of either signedness), the four byte lanes multiply the
  // loaded word's bytes by the weight; the result of an instruction of the unit's own in EX then
  // does not count (the core holds it there).
  const mac = p.macLanes
    ? {
      lanes: m.input('mac_lanes', UInt(1)),
      word: m.input('mac_word', UInt(32)),
      weight: m.input('mac_weight', UInt(8)),
      signed: m.input('mac_signed', UInt(1)),
      products: m.output('mac_products', UInt(4 * MAC_PRODUCT_BITS)),
    }
    : undefined;
  /** `own`, or while nm.mac4 has the lanes `forMac`. */
  const orMac = (own: Expr, forMac: (io: NonNullable<typeof mac>) => Expr): Expr => (mac ? mux(mac.lanes, forMac(mac), own) : own);

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

  // nm.mac4's op is a cv.dot{usp,sp}.sc.b's (macLanesOp): the lanes multiply the loaded word's bytes
  // by the weight, which take the places of operand a and of operand b's lane 0 (before any select
  // of the op's, so that they lengthen no path); only the bytes' signedness comes with them.
  const aOperand = orMac(a, (io) => io.word);
  const bLane0 = orMac(b.bits(7, 0), (io) => io.weight);
  // Operand b of the dot products: rs2, or rs2's / Imm6's lane 0 in every lane.
  const scalar = mux(operandB.eq(OPERAND_B_SOURCES.indexOf('immediate')), imm.bits(15, 0), cat(b.bits(15, 8), bLane0));
  const replicated = mux(isDot8, scalar.bits(7, 0).rep(4), scalar.rep(2));
  const bLanes = m.node('b_lanes', mux(operandB.eq(OPERAND_B_SOURCES.indexOf('register')), b, replicated));
  // cv.msu multiplies ~a, the real part of a complex product ~im(a); each adds the other factor below.
  const negateUpperProduct = m.node('negate_upper_product', isComplex.and(imaginary.not()));
  const subtract = m.node('subtract', field('subtract').and(isMul32));
  const aWord = m.node('a_word', aOperand.xor(cat(subtract.or(negateUpperProduct).rep(16), subtract.rep(16))));

  // wide: the low halves (dot16 lane 0, mul32's Al*Bl, complex re(a) times re(b) or im(b)), the
  // halves Is3's forms choose, or mulh's halves of the cycle; signed as the op says, but mul32's and
  // mulh's lower halves are digits of an unsigned number.
  const wideUpperA = m.node('wide_upper_a', mux(isMulh, mulhUpperA, isHalfword.and(upperHalves)));
  const wideUpperB = m.node('wide_upper_b', mux(isMulh, mulhUpperB, isHalfword.and(upperHalves).or(isComplex.and(imaginary))));
  const wideSignedA = signedA.and(isMulh.not().or(wideUpperA));
  const wideSignedB = signedB.and(isMulh.not().or(wideUpperB));
  const wideA = halfOf(aWord, wideUpperA).and(isDot8.not().rep(16));
  const wide = m.node('wide', extend(wideA, wideSignedA).mul(extend(halfOf(bLanes, wideUpperB), wideSignedB)));

  // The byte lanes: a dot8's four byte products, or byte by byte the product of a's upper half
  // x = {x1, x0} and a halfword y = {y1, y0}: x0*y0 + (x1*y0 + x0*y1) * 2^8 + x1*y1 * 2^16, where y
  // is b's upper half (dot16 lane 1, the complex real part) or its lower half (the complex
  // imaginary part, and mul32's Ah*Bl, whose low half is all that counts: the lanes then sit 16 bits
  // higher, and the fourth, whose x1*y1 would land beyond bit 31, takes Al0*Bh0 of Al*Bh instead).
  const bytewise = m.node('bytewise', isDot8.not());
  const lanesUsed = isDot8.or(isDot16).or(isMul32).or(isComplex);
  const laneSignedA = orMac(signedA, (io) => io.signed);
  const y = m.node('y', halfOf(bLanes, isMul32.or(isComplex.and(imaginary)).not()));
  // The bytes of each lane when bytewise; the op's signedness applies to a dot8 lane and to the top
  // byte of a halfword (x1, y1), never to a low byte.
  const always = U(1, 1);
  const bytewiseOperands = [
    { a: byteOf(aWord, 2), b: byteOf(y, 0), aSignable: isDot8, bSignable: isDot8 },
    { a: byteOf(aWord, 3), b: byteOf(y, 0), aSignable: always, bSignable: isDot8 },
    { a: byteOf(aWord, 2), b: byteOf(y, 1), aSignable: isDot8, bSignable: always },
    { a: mux(isMul32, byteOf(aWord, 0), byteOf(aWord, 3)), b: mux(isMul32, byteOf(b, 2), byteOf(y, 1)), aSignable: always, bSignable: always },
  ];
  const lanes = bytewiseOperands.map((operands, i) => {
    const laneA = mux(bytewise, operands.a, byteOf(aWord, i)).and(lanesUsed.rep(8));
    const laneB = mux(bytewise, operands.b, byteOf(bLanes, i));
    return m.node(`lane${i}`, extend(laneA, laneSignedA.and(operands.aSignable)).mul(extend(laneB, signedB.and(operands.bSignable))));
  });
  // Each nm.mac4 product fits 16 signed bits (MacLanes).
  mac?.products.assign(cat(...[...lanes].reverse().map((lane) => lane.trunc(MAC_PRODUCT_BITS).asUInt())));
  // The rest of Al*Bh's low half for mul32: (Al1*Bh0 + Al0*Bh1) mod 2^8, at bit 24.
  const crossOf = (aByte: number, bByte: number): Expr => byteOf(aWord, aByte).and(isMul32.rep(8)).mul(byteOf(b, bByte)).trunc(8);
  const cross = m.node('cross_bytes', crossOf(1, 2).add(crossOf(0, 3)));

  const widen = (x: Expr): Expr => x.resize(SUM_BITS);
  /** A lane's product at its weight: 1 in dot8, 2^bytewiseShift in a bytewise product, 2^16 more in mul32. */
  const placed = (lane: Expr, bytewiseShift: number): Expr => {
    const term = widen(lane);
    const halfwordProduct = bytewiseShift === 0 ? term : mux(bytewise, term.shl(bytewiseShift), term);
    return bytewiseShift === 16 ? halfwordProduct : mux(isMul32, term.shl(bytewiseShift + 16), halfwordProduct);
  };
  const laneTerms = [placed(lanes[0]!, 0), placed(lanes[1]!, 8), placed(lanes[2]!, 8), placed(lanes[3]!, 16)];
  const crossTerm = cross.zext(SUM_BITS).shl(24).asSInt();

  // The accumulator: c, or mulh's partial sum after its first cycle.
  const partial = m.reg('mulh_partial', SInt(SUM_BITS));
  const addend = m.node('addend', mux(field('accumulate'), c.asSInt().resize(SUM_BITS), mux(isMulh.and(step.ne(0)), partial, U(0, SUM_BITS).asSInt())));
  // The one other term: cv.msu's b, the complex real part's correction y, the rounding constant.
  const shiftBy = imm2.bits(4, 0);
  const rounding = U(1, 32).shl(shiftBy).shr(1).and(isHalfword.and(field('round')).rep(32));
  const msuCorrection = b.and(subtract.rep(32));
  const complexCorrection = b.bits(31, 16).asSInt().resize(SUM_BITS).asUInt().and(negateUpperProduct.rep(SUM_BITS));
  const correction = m.node('correction', rounding.or(msuCorrection).zext(SUM_BITS).or(complexCorrection).asSInt());

  const sum = m.node('sum', [widen(wide), ...laneTerms, crossTerm, correction].reduce((x, y) => x.add(y), addend));

  // Right shift: halfword forms by Is3 (on the 32-bit sum, sign- or zero-extended as the form
  // says), mulh by 16 in its first and third cycles, complex by 15 + div.
  const halfwordFill = signedA.and(sum.bit(31));
  const shiftIn = m.node('shift_in', mux(isHalfword, cat(halfwordFill, halfwordFill, sum.bits(31, 0)).asSInt(), sum));
  const mulhShifts = m.node('mulh_shifts', stepIs((s) => s.shift));
  const complexShift = U(15, 5).add(field('complexShift').zext(5));
  const shiftAmount = mux(isHalfword, shiftBy, mux(isComplex, complexShift, mux(isMulh.and(mulhShifts), U(16, 5), U(0, 5))));
  const shifted = m.node('shifted', shiftIn.shr(shiftAmount));
  m.when(mulhActive, () => partial.assign(shifted));

  // A complex product's part replaces one half of c: the real part the lower, the imaginary the upper.
  const complexPart = shifted.bits(15, 0);
  const lowerHalf = mux(isComplex.and(imaginary), c.bits(15, 0), complexPart);
  const upperHalf = mux(isComplex, mux(imaginary, complexPart, c.bits(31, 16)), shifted.bits(31, 16));
  result.assign(mux(isMulh, partial.bits(31, 0), cat(upperHalf, lowerHalf)));
  ready.assign(isMulh.not().or(step.eq(MULH_DONE)));
  return {
    start, first, op, a, b, c, imm, imm2, result, ready,
    ...(mac && { macLanes: mac.lanes, macWord: mac.word, macWeight: mac.weight, macSigned: mac.signed, macProducts: mac.products }),
  };
});
