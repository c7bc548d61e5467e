// The four 32-bit accumulators of revision 2 (docs/isa-extension.md R2.5: zero at reset, the CSRs
// nmacc0..3). `accumulate` adds the four sign-extended products, one to each accumulator, when an
// nm.mac4's load data arrives. One access port, addressed by `index`, serves both nm.racc (read,
// `clear`) and the CSR instructions (read, `write` with `write_data`): the core's execute stage
// runs one of them at a time. An access in the same cycle as an accumulation acts after it (it is
// the younger instruction), but reads the value before it: the core stalls an nm.racc or CSR read
// that follows an nm.mac4 until the accumulation is done (docs/isa-extension.md R2.6).
import { defineModule, mux, UInt } from '../../hdl/index.js';
import { productBits } from './lanes.js';

export const MacAccumulators = defineModule('MacAccumulators', (m) => {
  const accumulate = m.input('accumulate', UInt(1));
  const products = m.input('products', UInt(4 * productBits));
  const index = m.input('index', UInt(2));
  const clear = m.input('clear', UInt(1));
  const write = m.input('write', UInt(1));
  const writeData = m.input('write_data', UInt(32));
  const readData = m.output('read_data', UInt(32));

  const accs = [0, 1, 2, 3].map((p) => m.reg(`acc${p}`, UInt(32), { reset: 0 }));
  accs.forEach((acc, p) => {
    const product = products.bits(productBits * p + productBits - 1, productBits * p).asSInt().sext(32).asUInt();
    const selected = m.node(`selected${p}`, index.eq(p));
    m.when(accumulate, () => acc.assign(acc.add(product)));
    m.when(selected.and(clear), () => acc.assign(0));
    m.when(selected.and(write), () => acc.assign(writeData));
  });
  const low = mux(index.bit(0), accs[1]!, accs[0]!);
  const high = mux(index.bit(0), accs[3]!, accs[2]!);
  readData.assign(mux(index.bit(1), high, low));
  return { accumulate, products, index, clear, write, writeData, readData };
});
