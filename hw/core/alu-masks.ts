/**
 * Thermometer masks from small numbers: the bit fields of Xcvbitmanip, the clip bounds and the
 * rounding constants of the ALU all are runs of ones whose ends are operands.
 */
import { cat, U, type Expr } from '../hdl/index.js';

/** 32 bits: bit i set when i < n (n of 6 bits at most; 32 and above give all ones). */
export function onesBelow(n: Expr): Expr {
  const bits: Expr[] = [];
  // n never exceeds an i at or above its largest value.
  for (let i = 31; i >= 0; i--) bits.push(i >= 2 ** n.width - 1 ? U(0, 1) : n.gt(i));
  return cat(...bits);
}

/** 32 bits: bit i set when i >= n (n of 5 bits). */
export function onesFrom(n: Expr): Expr {
  return onesBelow(n).not();
}
