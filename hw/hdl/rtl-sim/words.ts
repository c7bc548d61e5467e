// Code for the operators on values wider than 32 bits, which the generated code holds as arrays of
// unsigned 32-bit words, least significant first (layout.ts). Each function takes its operands' words
// as code that may be repeated (locals, slots, literals) and returns code for each result word, an
// unsigned number with the bits above the value's width zero. Bit fields are cut at generation
// time, so that the code is straight-line 32-bit integer arithmetic.

/** The mask of the low `bits` bits (1..32), as a literal. */
export const mask = (bits: number): string => (bits === 32 ? '0xffffffff' : `0x${((1n << BigInt(bits)) - 1n).toString(16)}`);

/** Bits in each word of a `width`-bit value: 32, ..., then what is left for the top word. */
export function wordWidths(width: number): number[] {
  return Array.from({ length: Math.ceil(width / 32) }, (_, k) => Math.min(32, width - 32 * k));
}

/** Reduces the JS number `code` to its low `bits` bits (1..32), unsigned. */
export function wrap(code: string, bits: number): string {
  return bits === 32 ? `((${code}) >>> 0)` : `((${code}) & ${mask(bits)})`;
}

/** Reads a `bits`-bit pattern (1..32) as a signed int32. */
export function signedOf(code: string, bits: number): string {
  return bits === 32 ? `(${code} | 0)` : `((${code} << ${32 - bits}) >> ${32 - bits})`;
}

/** One operand of an or: `count` bits of value `code` (nothing above them), placed at bit `at`. */
interface Piece {
  readonly code: string;
  readonly at: number;
  readonly count: number;
}

/** Ors pieces into one word; `|` and `<<` give an int32, which is negative when bit 31 is set. */
function orPieces(pieces: readonly Piece[]): string {
  if (pieces.length === 0) return '0';
  const parts = pieces.map((p) => (p.at === 0 ? p.code : `(${p.code} << ${p.at})`));
  const reachesBit31 = pieces.some((p) => p.at + p.count === 32);
  if (pieces.length === 1 && pieces[0]!.at === 0) return parts[0]!;
  return reachesBit31 ? `((${parts.join(' | ')}) >>> 0)` : `(${parts.join(' | ')})`;
}

/** Bit `i` of a value, as 0 or 1. */
function bitAt(words: readonly string[], i: number): string {
  return `((${words[i >> 5]} >>> ${i & 31}) & 1)`;
}

/**
 * Bits [lo, lo + len) of a `width`-bit value (len <= 32) as an unsigned number: bits below 0 read
 * 0 (a left shift brings in zeros), bits at or above `width` read the sign bit when `signed`
 * (arithmetic right shift, sign extension), 0 otherwise.
 */
export function field(words: readonly string[], width: number, signed: boolean, lo: number, len: number): string {
  const pieces: Piece[] = [];
  for (let at = Math.max(0, -lo); at < len; ) {
    const source = lo + at;
    if (source >= width) {
      if (signed) pieces.push({ code: `(${bitAt(words, width - 1)} ? ${mask(len - at)} : 0)`, at, count: len - at });
      break;
    }
    const offset = source & 31;
    const count = Math.min(32 - offset, width - source, len - at);
    const shifted = offset === 0 ? words[source >> 5]! : `(${words[source >> 5]} >>> ${offset})`;
    // Bits above the field are zero already when it ends at the word's top or at the value's.
    const clean = offset + count === 32 || source + count === width;
    pieces.push({ code: clean ? shifted : `(${shifted} & ${mask(count)})`, at, count });
    at += count;
  }
  return orPieces(pieces);
}

/** A part of a concatenation: its words and width. */
export interface Part {
  readonly words: readonly string[];
  readonly width: number;
}

/**
 * The words of a concatenation, most significant part first. A run of the same one-bit value
 * (replication, as in a sign fill) becomes one negation instead of a piece per bit.
 */
export function concat(parts: readonly Part[], width: number): string[] {
  const runs: { part: Part; lo: number; width: number; repeat: boolean }[] = [];
  let lo = width;
  for (const part of parts) {
    lo -= part.width;
    const last = runs.at(-1);
    if (last && part.width === 1 && last.part.width === 1 && last.part.words[0] === part.words[0]) {
      last.lo = lo;
      last.width++;
      last.repeat = true;
    } else {
      runs.push({ part, lo, width: part.width, repeat: false });
    }
  }
  return wordWidths(width).map((bits, k) => {
    const pieces: Piece[] = [];
    for (const run of runs) {
      const start = Math.max(32 * k, run.lo);
      const end = Math.min(32 * k + bits, run.lo + run.width);
      if (start >= end) continue;
      const count = end - start;
      const code = run.repeat ? wrap(`-${run.part.words[0]}`, count) : field(run.part.words, run.width, false, start - run.lo, count);
      pieces.push({ code, at: start - 32 * k, count });
    }
    return orPieces(pieces);
  });
}

/** Bitwise and, or, xor word by word (unsigned again where bit 31 may be set). */
export function bitwise(a: readonly string[], b: readonly string[], width: number, symbol: '&' | '|' | '^'): string[] {
  return wordWidths(width).map((bits, k) => (bits === 32 ? `((${a[k]} ${symbol} ${b[k]}) >>> 0)` : `(${a[k]} ${symbol} ${b[k]})`));
}

export function invert(a: readonly string[], width: number): string[] {
  return wordWidths(width).map((bits, k) => wrap(`~${a[k]}`, bits));
}

/**
 * a + b or a - b with the carry (borrow) carried word to word: a word's sum is exact in a double,
 * so its low 32 bits are the result word and its excess the carry. `bind` makes a sum a local.
 */
export function addOrSubtract(a: readonly string[], b: readonly string[], width: number, subtract: boolean, bind: (code: string) => string): string[] {
  const op = subtract ? '-' : '+';
  let carry = '';
  return wordWidths(width).map((bits, k) => {
    const sum = bind(`${a[k]} ${op} ${b[k]}${carry}`);
    carry = subtract ? ` - (${sum} < 0 ? 1 : 0)` : ` + (${sum} > 0xffffffff ? 1 : 0)`;
    return wrap(sum, bits);
  });
}

/** A comparison of two `width`-bit values, as 1 or 0: equality word by word, order from the top word down. */
export function compare(a: readonly string[], b: readonly string[], width: number, signed: boolean, op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'): string {
  if (op === 'eq') return `(${a.map((x, k) => `${x} === ${b[k]}`).join(' && ')} ? 1 : 0)`;
  if (op === 'ne') return `(${a.map((x, k) => `${x} !== ${b[k]}`).join(' || ')} ? 1 : 0)`;
  const symbol = { lt: '<', le: '<=', gt: '>', ge: '>=' }[op];
  const strict = symbol[0]!;
  const bits = wordWidths(width);
  const top = bits.length - 1;
  // Only the top word carries the sign; the words below compare as unsigned.
  const word = (code: string, k: number): string => (signed && k === top ? signedOf(code, bits[k]!) : code);
  let order = `${a[0]} ${symbol} ${b[0]}`;
  for (let k = 1; k <= top; k++) order = `${word(a[k]!, k)} ${strict} ${word(b[k]!, k)} || (${a[k]} === ${b[k]} && (${order}))`;
  return `(${order} ? 1 : 0)`;
}

export function allOnes(a: readonly string[], width: number): string {
  return `(${wordWidths(width).map((bits, k) => `${a[k]} === ${mask(bits)}`).join(' && ')} ? 1 : 0)`;
}

export function anyOne(a: readonly string[]): string {
  return `(${a.map((x) => `${x} !== 0`).join(' || ')} ? 1 : 0)`;
}

export function parityOf(a: readonly string[]): string {
  return `parity(${a.join(' ^ ')})`;
}

/** The words of a value taken from a bigint (the only wide multiply that needs one; see codegen). */
export function fromBigint(code: string, width: number): string[] {
  return wordWidths(width).map((_, k) => `Number((${code} >> ${32 * k}n) & 0xffffffffn)`);
}

/** A bigint holding a value given as words, read as signed when `signed`. */
export function toBigint(a: readonly string[], width: number, signed: boolean): string {
  const unsigned = a.map((x, k) => (k === 0 ? `BigInt(${x})` : `(BigInt(${x}) << ${32 * k}n)`)).join(' | ');
  return signed ? `BigInt.asIntN(${width}, ${unsigned})` : `(${unsigned})`;
}
