// Hardware types: a bit vector of explicit width, unsigned or signed (two's complement).
import { HdlError } from './diagnostics.js';
import { captureSite } from './source.js';
export interface HdlType {
  readonly width: number;
  readonly signed: boolean;
}

function checkedWidth(width: number): number {
  if (!Number.isInteger(width) || width < 1) {
    throw HdlError.single('operator', `bit width must be a positive integer, got ${width}`, [{ label: 'type', site: captureSite() }]);
  }
  return width;
}

export function UInt(width: number): HdlType {
  return { width: checkedWidth(width), signed: false };
}

export function SInt(width: number): HdlType {
  return { width: checkedWidth(width), signed: true };
}

export const Bool: HdlType = UInt(1);

export function typeName(t: HdlType): string {
  return `${t.signed ? 'SInt' : 'UInt'}<${t.width}>`;
}

export function sameType(a: HdlType, b: HdlType): boolean {
  return a.width === b.width && a.signed === b.signed;
}

/** Smallest width able to index `count` distinct items (at least 1 bit). */
export function clog2(count: number): number {
  let bits = 0;
  while (2 ** bits < count) bits++;
  return Math.max(bits, 1);
}

/** Range of values a literal of type t may take (signed literals may be written negative). */
export function literalRange(t: HdlType): { min: bigint; max: bigint } {
  const w = BigInt(t.width);
  return t.signed ? { min: -(1n << (w - 1n)), max: (1n << (w - 1n)) - 1n } : { min: 0n, max: (1n << w) - 1n };
}

/** The unsigned bit pattern of `value` in `width` bits. */
export function toBits(value: bigint, width: number): bigint {
  return BigInt.asUintN(width, value);
}

/** Interprets a bit pattern as a value of type t (negative for signed types with the MSB set). */
export function fromBits(bits: bigint, t: HdlType): bigint {
  return t.signed ? BigInt.asIntN(t.width, bits) : BigInt.asUintN(t.width, bits);
}
