// The Xnmsparse units as registered designs: each unit alone, for unit tests and per-unit area,
// and the complete gather block; then revision 2's (r2/designs.ts).
import type { Params } from '../hdl/index.js';
import type { DesignEntry } from '../params.js';
import type { ParamSpec } from '../../util/params.js';
import { GatherAddress } from './address.js';
import { GatherDecoder } from './decoder.js';
import { IndexDecompressor } from './decompressor.js';
import { checkedFormats, formatParams } from './format.js';
import { GatherUnit } from './gather-unit.js';
import { LaneInserter } from './lane.js';
import { macDesigns } from './r2/designs.js';

function only(names: readonly string[]): ParamSpec[] {
  return formatParams.filter((p) => names.includes(p.name));
}

function checked(names: readonly string[]): Params[] {
  const unique = new Map<string, Params>();
  for (const f of checkedFormats) {
    const params = Object.fromEntries(names.map((n) => [n, f[n as keyof typeof f]]));
    unique.set(JSON.stringify(params), params);
  }
  return [...unique.values()];
}

const all = ['m', 'n', 'bytes'];

export const extensionDesigns: readonly DesignEntry[] = [
  {
    name: 'nm-decompressor',
    description: 'Xnmsparse index decompressor: lowest packed index and the shifted index register',
    generator: IndexDecompressor,
    params: only(['m']),
    checked: checked(['m']),
  },
  {
    name: 'nm-address',
    description: 'Xnmsparse indirect-load address generator: base + ((lane div N) * M + index) * size',
    generator: GatherAddress,
    params: formatParams,
    checked: checked(all),
  },
  {
    name: 'nm-lane',
    description: 'Xnmsparse lane inserter: element from the data bus word into one lane of rd',
    generator: LaneInserter,
    params: only(['bytes']),
    checked: checked(['bytes']),
  },
  {
    name: 'nm-decoder',
    description: 'Xnmsparse decoder for the decode stage: legal gather / illegal, lane, registers',
    generator: GatherDecoder,
    params: formatParams,
    checked: checked(all),
  },
  {
    name: 'nm-gather',
    description: 'Xnmsparse gather block: decompressor, address generator, OBI data port, lane insertion, write-back, exceptions',
    generator: GatherUnit,
    params: formatParams,
    checked: checked(all),
  },
  ...macDesigns,
];
