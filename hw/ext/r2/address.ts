// Address of nm.mac4: base + the zero-extended 16-bit offset that `half` selects from rs2, with
// the misaligned flag of a word access (docs/isa-extension.md R2.4). In a core the load-store
// unit's own adder does the addition; only the offset select is new there.
import { defineModule, mux, UInt } from '../../hdl/index.js';

export const MacAddress = defineModule('MacAddress', (m) => {
  const base = m.input('base', UInt(32));
  const offsets = m.input('offsets', UInt(32));
  const half = m.input('half', UInt(1));
  const address = m.output('address', UInt(32));
  const misaligned = m.output('misaligned', UInt(1));

  const offset = m.node('offset', mux(half, offsets.bits(31, 16), offsets.bits(15, 0)));
  const sum = m.node('sum', base.add(offset.zext(32)));
  address.assign(sum);
  misaligned.assign(sum.bits(1, 0).orR());
  return { base, offsets, half, address, misaligned };
});
