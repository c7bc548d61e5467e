/**
 * CORE-V bit-field operations, shared by the immediate forms (custom-2) and the register forms
 * (custom-1 funct3 011). A field is given by `len1` (its length minus one) and `pos` (its lowest bit),
 * the same mask the CV32E40P ALU builds: ones in bits pos..pos+len1, truncated at bit 31.
 */

function fieldMask(len1: number, pos: number): number {
  // 2 << 31 is 0 in JavaScript, so a 32-bit field yields all ones as required.
  return ((2 << len1) - 1) << pos;
}

export function extractSigned(value: number, len1: number, pos: number): number {
  const low = fieldMask(len1, 0);
  const shifted = value >> pos;
  const negative = (shifted >>> len1) & 1;
  return negative ? shifted | ~low : shifted & low;
}

export function extractUnsigned(value: number, len1: number, pos: number): number {
  return (value >>> pos) & fieldMask(len1, 0);
}

/** Bits of `source` from bit 0 upwards replace the field of `target`. */
export function insertField(source: number, target: number, len1: number, pos: number): number {
  const mask = fieldMask(len1, pos);
  return ((source << pos) & mask) | (target & ~mask);
}

export function clearField(value: number, len1: number, pos: number): number {
  return value & ~fieldMask(len1, pos);
}

export function setField(value: number, len1: number, pos: number): number {
  return value | fieldMask(len1, pos);
}

/**
 * cv.bitrev: `value << pos`, then its digits reversed in the given radix (0: bits, 1: 2-bit groups,
 * 2: 3-bit groups counted from bit 31, the two leftover low bits dropped; 3 behaves as 0).
 */
export function bitReverse(value: number, radix: number, pos: number): number {
  const shifted = value << pos;
  const digit = radix === 1 ? 2 : radix === 2 ? 3 : 1;
  const digits = Math.floor(32 / digit);
  const digitMask = (1 << digit) - 1;
  let result = 0;
  for (let j = 0; j < digits; j++) {
    // Digit j of the result is the digit whose top bit is bit 31 - j*digit of the input.
    result |= ((shifted >>> (32 - (j + 1) * digit)) & digitMask) << (j * digit);
  }
  return result | 0;
}
