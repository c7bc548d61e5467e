// Sized Verilog literals for a bit pattern of a given type.
import type { HdlType } from '../../hw/hdl/index.js';

export function verilogLiteral(bits: bigint, t: HdlType): string {
  const w = t.width;
  if (!t.signed) return w <= 32 ? `${w}'d${bits}` : `${w}'h${bits.toString(16)}`;
  const value = BigInt.asIntN(w, bits);
  const minimum = -(1n << BigInt(w - 1));
  if (value === minimum) return `${w}'sh${bits.toString(16)}`;
  return value < 0n ? `-${w}'sd${-value}` : `${w}'sd${value}`;
}

/** `[7:0]` for multi-bit vectors, nothing for one bit. */
export function range(width: number): string {
  return width === 1 ? '' : `[${width - 1}:0]`;
}

/** `wire signed [7:0]`-style declaration prefix. */
export function declType(kind: string, t: HdlType): string {
  return [kind, t.signed ? 'signed' : '', range(t.width)].filter(Boolean).join(' ');
}
