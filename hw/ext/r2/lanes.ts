// The four multipliers of nm.mac4: each byte lane p of the loaded word (unsigned, or signed when
// `signed_act` is set) times the int8 weight (docs/isa-extension.md R2.4). An activation lane is
// widened to 9 signed bits so that one signed 9 x 8 multiplier serves both forms; every product
// (-32640 .. 32385) fits 16 signed bits, which the sum adders sign-extend.
import { cat, defineModule, type Expr, UInt } from '../../hdl/index.js';

export const productBits = 16;

export const MacLanes = defineModule('MacLanes', (m) => {
  const word = m.input('word', UInt(32));
  const weight = m.input('weight', UInt(8));
  const signedAct = m.input('signed_act', UInt(1));
  const products = m.output('products', UInt(4 * productBits));

  const lanesOut: Expr[] = [];
  for (let p = 3; p >= 0; p--) {
    const byte = word.bits(8 * p + 7, 8 * p);
    const activation = cat(signedAct.and(byte.bit(7)), byte).asSInt();
    const product = m.node(`product${p}`, activation.mul(weight.asSInt()).trunc(productBits).asUInt());
    lanesOut.push(product);
  }
  products.assign(cat(...lanesOut));
  return { word, weight, signedAct, products };
});
