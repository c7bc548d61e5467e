// The four sum adders of nm.mac4 / nm.mul4 (docs/isa-extension.md R2.4): sum p is the current
// x[28+p] (zero for nm.mul4, `start`) plus product p sign-extended to 32 bits, wrapping around.
// The sums are general-purpose registers, so the adders hold no state: the register file (or the
// caller) supplies x28..x31 and writes the results back. Without `add` the outputs are the current
// sums unchanged, so a register file may write them back every cycle: its four registers then need
// no hold multiplexer for the sum port (regfile.ts), 128 multiplexers against the 64 AND gates that
// mask the products here. Each adds the 16-bit product to the low
// half and its carry and sign to the high half, which Yosys maps smaller than one 32-bit addition
// of the sign-extended product (1071 against 1092 GE for the four, built-in GE library) or than an
// incrementer/decrementer for the high half (1210); masking the current sum for nm.mul4 costs less
// than selecting the product alone afterwards (1212).
import { cat, defineModule, type Expr, UInt } from '../../hdl/index.js';
import { SUM_COUNT } from '../../../isa/xnmsparse/mac.js';
import { productBits } from './lanes.js';

/** Width of the packed sum buses: sum p in bits 32p+31 .. 32p. */
export const SUM_BUS_BITS = 32 * SUM_COUNT;

/** Sum `p` of a packed sum bus. */
const sumOf = (bus: Expr, p: number): Expr => bus.bits(32 * p + 31, 32 * p);

export const MacSums = defineModule('MacSums', (m) => {
  const sums = m.input('sums', UInt(SUM_BUS_BITS));
  const products = m.input('products', UInt(SUM_COUNT * productBits));
  const start = m.input('start', UInt(1));
  const add = m.input('add', UInt(1));
  const nextSums = m.output('next_sums', UInt(SUM_BUS_BITS));

  const next: Expr[] = [];
  for (let p = SUM_COUNT - 1; p >= 0; p--) {
    // nm.mul4 starts from zero: the current sum is masked rather than the result selected.
    const current = m.node(`current${p}`, sumOf(sums, p).and(start.and(add).not().rep(32)));
    const product = m.node(`product${p}`, products.bits(productBits * p + productBits - 1, productBits * p).and(add.rep(productBits)));
    const low = m.node(`low${p}`, current.bits(15, 0).zext(17).add(product.zext(17)));
    const high = current.bits(31, 16).add(product.msb().rep(16)).add(low.bit(16).zext(16));
    next.push(m.node(`next${p}`, cat(high, low.bits(15, 0))));
  }
  nextSums.assign(cat(...next));
  return { sums, products, start, add, nextSums };
});
