// Revision 2 of Xnmsparse as registered designs: each unit alone, for unit tests and per-unit
// area, and the complete nm.mac4 / nm.racc block. None has parameters: revision 2 has one form.
import type { DesignEntry } from '../../params.js';
import { MacAccumulators } from './accumulators.js';
import { MacAddress } from './address.js';
import { MacDecoder } from './decoder.js';
import { MacLanes } from './lanes.js';
import { MacUnit } from './mac-unit.js';
import { WeightSelect } from './weight.js';

const unparameterized = { params: [], checked: [{}] } as const;

export const macDesigns: readonly DesignEntry[] = [
  { name: 'nm-mac-decoder', description: 'Xnmsparse r2 decoder: legal nm.mac4 / nm.racc / illegal, fields, registers', generator: MacDecoder, ...unparameterized },
  { name: 'nm-mac-address', description: 'Xnmsparse r2 address: base + the selected 16-bit offset, misaligned flag', generator: MacAddress, ...unparameterized },
  { name: 'nm-mac-weight', description: 'Xnmsparse r2 weight select: int8 lane l of rs3', generator: WeightSelect, ...unparameterized },
  { name: 'nm-mac-lanes', description: 'Xnmsparse r2 multipliers: four (u8 or s8) x s8 products of the loaded word', generator: MacLanes, ...unparameterized },
  { name: 'nm-mac-acc', description: 'Xnmsparse r2 accumulators: four 32-bit registers, accumulate, read-and-clear and CSR port', generator: MacAccumulators, ...unparameterized },
  { name: 'nm-mac', description: 'Xnmsparse r2 block: nm.mac4 address, OBI data port, four MACs into the accumulators, nm.racc, CSRs, exceptions', generator: MacUnit, ...unparameterized },
];
