/**
 * `.option rvc`: 32-bit words that have an RVC equivalent. The map is the inverse of the table's
 * RVC expansion, built once by expanding every 16-bit encoding, so it cannot disagree with the
 * decoder.
 */
import type { InstructionTable } from '../../isa/table.js';

const inverses = new WeakMap<InstructionTable, Map<number, number>>();

/**
 * The 16-bit form of a 32-bit word, if any. Like GNU as, `addi rd, rs, 0` (the `mv` idiom) is
 * compressed to c.mv, which computes the same value as `add rd, x0, rs`.
 */
export function compressed(table: InstructionTable, word: number): number | undefined {
  const map = compressionMap(table);
  const direct = map.get(word);
  if (direct !== undefined) return direct;
  const isMove = (word & 0xfff0707f) === 0x00000013 && ((word >>> 7) & 31) !== 0 && ((word >>> 15) & 31) !== 0;
  if (!isMove) return undefined;
  const rd = (word >>> 7) & 31;
  const rs = (word >>> 15) & 31;
  return map.get(((rs << 20) | (rd << 7) | 0x33) >>> 0);
}

function compressionMap(table: InstructionTable): Map<number, number> {
  let map = inverses.get(table);
  if (map) return map;
  map = new Map();
  for (let half = 0; half < 0x10000; half++) {
    if ((half & 3) === 3) continue;
    const expanded = table.lookupCompressed(half)?.expand(half);
    // Keep the first (lowest) encoding when several expand to the same word.
    if (expanded !== undefined && !map.has(expanded)) map.set(expanded, half);
  }
  inverses.set(table, map);
  return map;
}
