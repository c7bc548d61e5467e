// Counts given on the command line are plain decimal digits, so `1e1`, `2.0`, `0x8` and ` 8` are
// refused rather than read as something the user may not have meant. Every refusal names the
// option. (No option takes an address yet; one would also accept `0x` hexadecimal.)
import { UsageError } from './errors.js';

const DECIMAL = /^[0-9]+$/;

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

/** `value` when it is one of `allowed`; otherwise a refusal naming the option and the choices. */
export function parseChoice<T extends string>(value: string, option: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === value);
  if (found === undefined) throw new UsageError(`${option} must be one of ${allowed.join(', ')}, got '${value}'`);
  return found;
}

/** A comma-separated list without empty or repeated items, named after its option in refusals. */
export function list(text: string, option: string): string[] {
  const items = text.split(',');
  if (items.some((item) => item === '')) throw new UsageError(`${option} takes a comma-separated list without empty items, got '${text}'`);
  const repeated = items.find((item, i) => items.indexOf(item) !== i);
  if (repeated !== undefined) throw new UsageError(`${option} names '${repeated}' twice`);
  return items;
}
