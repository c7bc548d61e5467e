// Indirect-load address generator: base + ((lane div N) * M + index) * element size. M and the
// element size are powers of two, so the offset is a concatenation, and one 32-bit adder remains.
// Mirrors gatherAddress() of the golden model; also flags a misaligned halfword.
import { cat, defineModule, U, UInt } from '../hdl/index.js';
import { type GatherFormat, indexWidth, laneWidth } from './format.js';

export const GatherAddress = defineModule('GatherAddress', (m, p: GatherFormat) => {
  const base = m.input('base', UInt(32));
  const index = m.input('index', UInt(indexWidth(p)));
  const lane = m.input('lane', UInt(laneWidth(p)));
  const address = m.output('address', UInt(32));
  const misaligned = m.output('misaligned', UInt(1));

  // With two non-zeros per block, lanes pair up in one block: the block is the lane's upper bits.
  const blockBits = p.n === 2 ? lane.width - 1 : lane.width;
  const block = blockBits === 0 ? null : lane.bits(lane.width - 1, lane.width - blockBits);
  if (p.n === 2) m.unused(lane.bit(0));
  const elementOffset = block ? cat(block, index) : index;
  const offset = m.node('offset', p.bytes === 2 ? cat(elementOffset, U(0, 1)) : elementOffset);
  address.assign(base.add(offset.zext(32)));
  misaligned.assign(p.bytes === 2 ? base.bit(0) : U(0, 1));
  return { base, index, lane, address, misaligned };
});
