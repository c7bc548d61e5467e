// Revision 2 of Xnmsparse as registered designs: each unit alone, for unit tests and per-unit
// area, and the complete nm.mac4 / nm.mul4 block. None has parameters: revision 2 has one form.
import type { DesignEntry } from '../../params.js';
import { MacAddress } from './address.js';
import { MacDecoder } from './decoder.js';
import { MacLanes } from './lanes.js';
import { MacUnit } from './mac-unit.js';
import { MacSums } from './sums.js';
import { WeightSelect } from './weight.js';

const unparameterized = { params: [], checked: [{}] } as const;

export const macDesigns: readonly DesignEntry[] = [
  { name: 'nm-mac-decoder', description: 'Xnmsparse r2 decoder: legal nm.mac4 / nm.mul4 / illegal, fields, registers', generator: MacDecoder, ...unparameterized },
  { name: 'nm-mac-address', description: 'Xnmsparse r2 address: base + the selected 16-bit offset, misaligned flag', generator: MacAddress, ...unparameterized },
  { name: 'nm-mac-weight', description: 'Xnmsparse r2 weight select: int8 lane l of rs3', generator: WeightSelect, ...unparameterized },
  { name: 'nm-mac-lanes', description: 'Xnmsparse r2 multipliers: four (u8 or s8) x s8 products of the loaded word', generator: MacLanes, ...unparameterized },
  { name: 'nm-mac-sums', description: 'Xnmsparse r2 sum adders: x28..x31 (or zero for nm.mul4) plus the four sign-extended products', generator: MacSums, ...unparameterized },
  { name: 'nm-mac', description: 'Xnmsparse r2 block: nm.mac4/nm.mul4 address, OBI data port, four multipliers and sum adders for x28..x31, exceptions', generator: MacUnit, ...unparameterized },
];
