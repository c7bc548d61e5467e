// Pokes and peeks by bit pattern for signals of any width, through the simulator's number API for
// up to 32 bits and its bigint API above, so both paths of the simulator are exercised.
import type { HdlType } from '../../../hw/hdl/index.js';
import type { RtlSimulator } from '../../../hw/hdl/rtl-sim/index.js';

const narrow = (t: HdlType): boolean => t.width <= 32;

/** Drives input `name` with bit pattern `bits`; signed inputs receive their (possibly negative) value. */
export function pokeBits(sim: RtlSimulator, name: string, type: HdlType, bits: bigint): void {
  const value = type.signed ? BigInt.asIntN(type.width, bits) : bits;
  sim.poke(name, narrow(type) ? Number(value) : value);
}

/** The unsigned bit pattern of signal `name`. */
export function peekBits(sim: RtlSimulator, name: string, type: HdlType): bigint {
  return narrow(type) ? BigInt(sim.peek(name)) : sim.peekBig(name);
}
