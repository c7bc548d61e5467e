/** Bit-twiddling helpers shared by operand extraction, semantics and timing. */

/** Bits hi..lo of `word`, as an unsigned number. */
export function bits(word: number, hi: number, lo: number): number {
  const width = hi - lo + 1;
  return width === 32 ? word >>> 0 : (word >>> lo) & ((1 << width) - 1);
}

/** Sign-extend the low `width` bits of `value` to an int32. */
export function sext(value: number, width: number): number {
  const shift = 32 - width;
  return (value << shift) >> shift;
}

/** Hex rendering used by disassembly and error messages. */
export function hex(value: number, digits = 8): string {
  return '0x' + (value >>> 0).toString(16).padStart(digits, '0');
}
