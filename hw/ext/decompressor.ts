// Index decompressor: the lowest packed index of the index register, and the register shifted
// right by one field (what nm.lgc writes back). Mirrors decompressIndex() of the golden model.
import { defineModule, UInt } from '../hdl/index.js';
import { type GatherFormat, indexWidth } from './format.js';

export const IndexDecompressor = defineModule('IndexDecompressor', (m, p: Pick<GatherFormat, 'm'>) => {
  const b = indexWidth(p);
  const indices = m.input('indices', UInt(32));
  const index = m.output('index', UInt(b));
  const rest = m.output('rest', UInt(32));
  index.assign(indices.bits(b - 1, 0));
  rest.assign(indices.shr(b));
  return { indices, index, rest };
});
