// An RV32-style integer ALU of any width: the base RV32I register-register operations and the four
// RV32M multiplications, all combinational.
//
// Datapath choices, as a CV32E40P-class core makes them:
// - One adder serves add, sub, slt and sltu: subtraction is a + ~b + 1, and the comparisons read its
//   carry and sign instead of instantiating separate comparators.
// - One signed (width+1)x(width+1) multiplier serves mul, mulh, mulhsu and mulhu: each operand is
//   widened by one bit, sign- or zero-extended according to the operation, so a single signed
//   product holds the exact result of every signedness combination.
// - Shift amounts are the low clog2(width) bits of b, as RV32 uses b[4:0]. When width is not a power
//   of two the amount can exceed width-1; the shift then yields 0 (sll, srl) or the sign (sra).
import { cat, clog2, defineModule, mux, UInt } from '../hdl/index.js';

/** Operation codes of the `op` input. */
export const AluOp = {
  ADD: 0,
  SUB: 1,
  SLL: 2,
  SLT: 3,
  SLTU: 4,
  XOR: 5,
  SRL: 6,
  SRA: 7,
  OR: 8,
  AND: 9,
  MUL: 10,
  MULH: 11,
  MULHSU: 12,
  MULHU: 13,
} as const;

/** Width of the `op` input. Codes 14 and 15 are unused and produce 0. */
export const aluOpWidth = 4;

export const Alu = defineModule('Alu', (m, p: { width: number }) => {
  const w = p.width;
  const a = m.input('a', UInt(w));
  const b = m.input('b', UInt(w));
  const op = m.input('op', UInt(aluOpWidth));
  const result = m.output('result', UInt(w));

  // Shared adder, one bit wider than the operands so its top bit is the carry out.
  const isSub = m.node('is_sub', op.eq(AluOp.SUB).or(op.eq(AluOp.SLT)).or(op.eq(AluOp.SLTU)));
  const addend = m.node('addend', mux(isSub, b.not(), b));
  const sumFull = m.node('sum_full', a.zext(w + 1).add(addend.zext(w + 1)).add(isSub.zext(w + 1)));
  const sum = m.node('sum', sumFull.bits(w - 1, 0));
  // a - b borrows exactly when a < b (unsigned): the carry out of a + ~b + 1 is then 0.
  const lessUnsigned = m.node('less_unsigned', sumFull.bit(w).not());
  // Signed a < b: with different signs, a is less iff it is negative; with equal signs the
  // subtraction cannot overflow and the sign of the difference decides.
  const signsDiffer = m.node('signs_differ', a.msb().xor(b.msb()));
  const lessSigned = m.node('less_signed', mux(signsDiffer, a.msb(), sum.msb()));

  const shamt = m.node('shamt', b.bits(clog2(w) - 1, 0));
  const shiftedLeft = m.node('shifted_left', a.shl(shamt));
  const shiftedRightLogical = m.node('shifted_right_logical', a.shr(shamt));
  const shiftedRightArith = m.node('shifted_right_arith', a.asSInt().shr(shamt).asUInt());

  // mulh treats both operands as signed, mulhsu only a, mulhu neither; mul's low half is the same
  // for every choice.
  const aSigned = m.node('a_signed', op.eq(AluOp.MULH).or(op.eq(AluOp.MULHSU)));
  const bSigned = m.node('b_signed', op.eq(AluOp.MULH));
  const mulA = m.node('mul_a', cat(aSigned.and(a.msb()), a).asSInt());
  const mulB = m.node('mul_b', cat(bSigned.and(b.msb()), b).asSInt());
  // The signed product is 2*width+2 bits wide, but every result the ALU takes from it lies in its
  // low 2*width bits, so only those two halves are named.
  const product = mulA.mul(mulB);
  const productLow = m.node('product_low', product.bits(w - 1, 0));
  const productHigh = m.node('product_high', product.bits(2 * w - 1, w));

  m.switch(op)
    .is([AluOp.ADD, AluOp.SUB], () => result.assign(sum))
    .is(AluOp.SLL, () => result.assign(shiftedLeft))
    .is(AluOp.SLT, () => result.assign(lessSigned.zext(w)))
    .is(AluOp.SLTU, () => result.assign(lessUnsigned.zext(w)))
    .is(AluOp.XOR, () => result.assign(a.xor(b)))
    .is(AluOp.SRL, () => result.assign(shiftedRightLogical))
    .is(AluOp.SRA, () => result.assign(shiftedRightArith))
    .is(AluOp.OR, () => result.assign(a.or(b)))
    .is(AluOp.AND, () => result.assign(a.and(b)))
    .is(AluOp.MUL, () => result.assign(productLow))
    .is([AluOp.MULH, AluOp.MULHSU, AluOp.MULHU], () => result.assign(productHigh))
    .default(() => result.assign(0));

  return { a, b, op, result };
});
