/**
 * Which TCDM banks a DMA transfer takes in each cycle. The transfer moves its bytes as one stream,
 * row after row, `bandwidth` bytes per cycle from its first data cycle. On its L1 side it accesses
 * each word of a row once, in the cycle the stream reaches the word's first byte in that row: a
 * transfer of B bytes per cycle takes about B / 4 words per cycle, and consecutive words lie in
 * consecutive banks (bank = word index mod banks). Two words of one bank in one cycle (a 2D
 * transfer whose L1 rows are a multiple of the bank count apart) take that bank once: the transfer
 * keeps its duration, which does not depend on the banks.
 */
import type { Addr, Cycles } from '../../isa/types.js';

/** One end of a transfer in L1: where its first row lies, and how far apart its rows are. */
export interface L1Side {
  readonly base: Addr;
  readonly stride: number;
}

/** The shape of a transfer's byte stream. */
export interface Stream {
  /** Bytes per row. */
  readonly length: number;
  readonly rows: number;
  /** Bytes per cycle. */
  readonly bandwidth: number;
}

/**
 * The words the side of the transfer accesses in the `step`-th cycle of its data phase, one range
 * per row it reaches: word index (from L1's base) and count in out[2k] and out[2k + 1]; returns the
 * number of ranges. `out` must hold two numbers per row a cycle can reach.
 */
function wordRanges(side: L1Side, stream: Stream, step: Cycles, l1Base: Addr, out: Int32Array): number {
  const { length, rows, bandwidth } = stream;
  const from = step * bandwidth;
  const to = Math.min(from + bandwidth, length * rows);
  let ranges = 0;
  for (let row = Math.floor(from / length); row * length < to; row++) {
    const rowStart = row * length;
    const firstByte = Math.max(from, rowStart) - rowStart;
    const endByte = Math.min(to, rowStart + length) - rowStart;
    const start = ((side.base + row * side.stride) >>> 0) - l1Base + firstByte;
    // A word whose first byte in the row came earlier was accessed in an earlier cycle.
    const firstWord = (start >>> 2) + (firstByte !== 0 && (start & 3) !== 0 ? 1 : 0);
    const lastWord = (start + endByte - firstByte - 1) >>> 2;
    out[2 * ranges] = firstWord;
    out[2 * ranges + 1] = lastWord - firstWord + 1;
    ranges++;
  }
  return ranges;
}

/** wordRanges' output, reused: a cycle reaches at most bandwidth + 1 rows (rows of one byte). */
let scratch = new Int32Array(16);

function rangesOf(side: L1Side, stream: Stream, step: Cycles, l1Base: Addr): number {
  if (scratch.length < 2 * (stream.bandwidth + 1)) scratch = new Int32Array(2 * (stream.bandwidth + 1));
  return wordRanges(side, stream, step, l1Base, scratch);
}

/** The side of the transfer accesses a word of `bank` in the `step`-th cycle of its data phase. */
export function l1SideTakesBank(side: L1Side, stream: Stream, step: Cycles, l1Base: Addr, banks: number, bank: number): boolean {
  const ranges = rangesOf(side, stream, step, l1Base);
  for (let k = 0; k < ranges; k++) {
    const firstWord = scratch[2 * k]!;
    const words = scratch[2 * k + 1]!;
    if (words >= banks || (words > 0 && (((bank - firstWord) % banks) + banks) % banks < words)) return true;
  }
  return false;
}

/** The banks (at most 32, a bit each) the side of the transfer takes in the `step`-th cycle of its data phase. */
export function l1SideBanks(side: L1Side, stream: Stream, step: Cycles, l1Base: Addr, banks: number): number {
  const ranges = rangesOf(side, stream, step, l1Base);
  let mask = 0;
  for (let k = 0; k < ranges; k++) {
    const firstWord = scratch[2 * k]!;
    const words = Math.min(scratch[2 * k + 1]!, banks);
    for (let w = 0; w < words; w++) mask |= 1 << ((firstWord + w) % banks);
  }
  return mask;
}
