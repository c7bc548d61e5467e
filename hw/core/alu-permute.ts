/**
 * The ALU's lane permutation (Xcvsimd cv.shuffle*, cv.pack*): a byte crossbar. Each result byte is
 * a byte of x or of z picked by its lane's selector in `selectors` (for halfword lanes, the lane's
 * halfword: its low byte for the lane's low byte, its high byte for the high one), or the byte of
 * `kept` in its own place when `keep` says so (the half of rd that cv.packhi.b/packlo.b leave).
 */
import { cat, defineModule, mux, U, UInt, type Expr } from '../hdl/index.js';
import { BYTES, byteOf, joinBytes } from './alu-lanes.js';

/** Byte `index` (2 bits) of a 32-bit value. */
function pickByte(value: Expr, index: Expr): Expr {
  const pair = (hi: number): Expr => mux(index.bit(0), byteOf(value, hi), byteOf(value, hi - 1));
  return mux(index.bit(1), pair(3), pair(1));
}

export const AluPermute = defineModule('AluPermute', (m) => {
  const x = m.input('x', UInt(32));
  const z = m.input('z', UInt(32));
  const kept = m.input('kept', UInt(32));
  /** Byte lanes (else halfword lanes). */
  const byteLanes = m.input('lane_byte', UInt(1));
  /** The selectors' next bit up picks x (1) or z (0); otherwise every byte comes from x. */
  const twoSources = m.input('two_sources', UInt(1));
  /** Per lane, in the lane's low bits: the source lane, then (with two_sources) x or z. */
  const selectors = m.input('selectors', UInt(32));
  const keep = m.input('keep', UInt(BYTES));
  const result = m.output('result', UInt(32));

  const bytes = [0, 1, 2, 3].map((j) => {
    const halfLane = 16 * (j >> 1);
    const index = mux(byteLanes, selectors.bits(8 * j + 1, 8 * j), cat(selectors.bit(halfLane), U(j & 1, 1)));
    const fromX = twoSources.not().or(mux(byteLanes, selectors.bit(8 * j + 2), selectors.bit(halfLane + 1)));
    return mux(keep.bit(j), byteOf(kept, j), mux(fromX, pickByte(x, index), pickByte(z, index)));
  });
  result.assign(joinBytes(bytes));
  m.unused(selectors.bits(7, 3), selectors.bits(15, 11), selectors.bits(23, 19), selectors.bits(31, 27));
  return { x, z, kept, byteLanes, twoSources, selectors, keep, result };
});
