// Numbers given on the command line. A count is plain decimal digits, so `1e1`, `2.0`, `0x8` and
// ` 8` are refused rather than read as something the user may not have meant; an address or a bit
// pattern may also be written in hexadecimal with `0x`. Every refusal names the option.
import { UsageError } from './errors.js';

const DECIMAL = /^[0-9]+$/;
const HEXADECIMAL = /^0[xX][0-9a-fA-F]+$/;

function checked(value: number, text: string, option: string, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`${option} must be an integer from ${min} to ${max}, got '${text}'`);
  }
  return value;
}

/** A count in decimal digits, from `min` to `max`. */
export function parseCount(text: string, option: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!DECIMAL.test(text)) throw new UsageError(`${option} takes a whole number in decimal digits, got '${text}'`);
  return checked(Number(text), text, option, min, max);
}

/** An address or bit pattern: decimal digits, or hexadecimal after `0x`; 0 to 2^32 - 1. */
export function parseAddress(text: string, option: string): number {
  if (!DECIMAL.test(text) && !HEXADECIMAL.test(text)) throw new UsageError(`${option} takes a decimal or 0x-hexadecimal number, got '${text}'`);
  return checked(Number(text), text, option, 0, 2 ** 32 - 1);
}
