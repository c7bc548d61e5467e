// The serial divider of the core's execute stage (div, divu, rem, remu), CV32E40P-style: in its
// first cycle it takes the magnitudes and shifts the divisor left by its leading zeros, then it
// finds one quotient bit per cycle, from that shift position down to bit 0, and in a last cycle
// gives the signed result. That takes 3 + the shift cycles, the CV32E40P's divide timing
// (docs/cv32e40p.md#timing): a zero divisor shifts by 32 (35 cycles), and a negative divisor of
// div/rem is shifted by the leading zeros of ~d minus one, the one position its magnitude needs
// when it is not a power of two (then its magnitude's top bit lands in bit 30 and the quotient
// still fits the positions counted).
import { cat, defineModule, mux, UInt } from '../hdl/index.js';
import type { InstructionDef } from '../../isa/definition.js';
import { leadingZeros } from './leading-zeros.js';

interface DividerOp {
  readonly signed: boolean;
  /** The result is the remainder, else the quotient. */
  readonly remainder: boolean;
}

/** The op input: bit 0 signed, bit 1 remainder. */
export const DIVIDER_OP_WIDTH = 2;

const DIVIDER_OPS: ReadonlyMap<string, DividerOp> = new Map([
  ['div', { signed: true, remainder: false }],
  ['divu', { signed: false, remainder: false }],
  ['rem', { signed: true, remainder: true }],
  ['remu', { signed: false, remainder: true }],
]);

/** The divider's op for an RV32M divide row, undefined for any other row. */
export function dividerControl(def: InstructionDef): number | undefined {
  const op = def.extension === 'M' ? DIVIDER_OPS.get(def.mnemonic) : undefined;
  return op && (Number(op.signed) | (Number(op.remainder) << 1));
}

export const CoreDivider = defineModule('CoreDivider', (m) => {
  const start = m.input('start', UInt(1));
  const first = m.input('first', UInt(1));
  const op = m.input('op', UInt(DIVIDER_OP_WIDTH));
  const a = m.input('a', UInt(32));
  const b = m.input('b', UInt(32));
  const result = m.output('result', UInt(32));
  const ready = m.output('ready', UInt(1));

  const load = m.node('load', start.and(first));
  const signedOp = op.bit(0);
  const dividendNegative = m.node('dividend_negative', signedOp.and(a.msb()));
  const divisorNegative = m.node('divisor_negative', signedOp.and(b.msb()));
  const dividendMagnitude = mux(dividendNegative, a.neg(), a);
  const divisorMagnitude = mux(divisorNegative, b.neg(), b);
  // 32 for a zero divisor; a negative divisor counts on ~d, whose top bit is 0, so never below 1.
  const divisorZeros = m.node('divisor_zeros', leadingZeros(mux(divisorNegative, b.not(), b)));
  const shift = m.node('shift', mux(divisorNegative, divisorZeros.sub(1), divisorZeros));

  const remainder = m.reg('remainder', UInt(32));
  const divisor = m.reg('divisor', UInt(32));
  const quotient = m.reg('quotient', UInt(32));
  const positionsLeft = m.reg('positions_left', UInt(6));
  const dividing = m.reg('dividing', UInt(1), { reset: 0 });
  const finished = m.reg('finished', UInt(1), { reset: 0 });
  const selectRemainder = m.reg('select_remainder', UInt(1));
  const negateResult = m.reg('negate_result', UInt(1));

  const difference = m.node('difference', remainder.zext(33).sub(divisor.zext(33)));
  const fits = m.node('fits', difference.msb().not());

  m.when(load, () => {
    remainder.assign(dividendMagnitude);
    divisor.assign(divisorMagnitude.shl(shift));
    quotient.assign(0);
    positionsLeft.assign(shift);
    dividing.assign(1);
    finished.assign(0);
    selectRemainder.assign(op.bit(1));
    // RISC-V: the remainder has the dividend's sign; the quotient of a division by zero is all ones.
    negateResult.assign(mux(op.bit(1), dividendNegative, dividendNegative.xor(divisorNegative).and(b.orR())));
  }).elseWhen(dividing, () => {
    m.when(fits, () => remainder.assign(difference.trunc(32)));
    quotient.assign(cat(quotient.bits(30, 0), fits));
    divisor.assign(divisor.shr(1));
    positionsLeft.assign(positionsLeft.sub(1));
    m.when(positionsLeft.eq(0), () => {
      dividing.assign(0);
      finished.assign(1);
    });
  });

  const magnitude = mux(selectRemainder, remainder, quotient);
  result.assign(mux(negateResult, magnitude.neg(), magnitude));
  ready.assign(finished.and(first.not()));
  return { start, first, op, a, b, result, ready };
});
