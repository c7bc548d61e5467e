// The four sum adders of nm.mac4 / nm.mul4 (docs/isa-extension.md R2.4): sum p is the current
// x[28+p] (zero for nm.mul4, `start`) plus product p sign-extended to 32 bits, wrapping around.
// The sums are general-purpose registers, so the adders hold no state: the register file (or the
// caller) supplies x28..x31 and writes the results back. Each is a plain 32-bit addition: Yosys
// makes it smaller than a 16-bit adder with an incrementer/decrementer for the upper half (1092
// against 1210 GE for the four, built-in GE library), and masking the current sum for nm.mul4
// costs less than selecting the product alone afterwards.
import { cat, defineModule, type Expr, UInt } from '../../hdl/index.js';
import { SUM_COUNT } from '../../../isa/xnmsparse/mac.js';
import { productBits } from './lanes.js';

/** Width of the packed sum buses: sum p in bits 32p+31 .. 32p. */
export const SUM_BUS_BITS = 32 * SUM_COUNT;

/** Sum `p` of a packed sum bus. */
export const sumOf = (bus: Expr, p: number): Expr => bus.bits(32 * p + 31, 32 * p);

export const MacSums = defineModule('MacSums', (m) => {
  const sums = m.input('sums', UInt(SUM_BUS_BITS));
  const products = m.input('products', UInt(SUM_COUNT * productBits));
  const start = m.input('start', UInt(1));
  const nextSums = m.output('next_sums', UInt(SUM_BUS_BITS));

  const next: Expr[] = [];
  for (let p = SUM_COUNT - 1; p >= 0; p--) {
    // nm.mul4 starts from zero: the current sum is masked rather than the result selected.
    const current = m.node(`current${p}`, sumOf(sums, p).and(start.not().rep(32)));
    const product = products.bits(productBits * p + productBits - 1, productBits * p);
    next.push(m.node(`next${p}`, current.add(product.asSInt().sext(32).asUInt())));
  }
  nextSums.assign(cat(...next));
  return { sums, products, start, nextSums };
});
