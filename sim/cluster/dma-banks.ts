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

/** The side of the transfer accesses a word of `bank` in the `step`-th cycle of its data phase. */
export function l1SideTakesBank(side: L1Side, stream: Stream, step: Cycles, l1Base: Addr, banks: number, bank: number): boolean {
  const { length, rows, bandwidth } = stream;
  const from = step * bandwidth;
  const to = Math.min(from + bandwidth, length * rows);
  for (let row = Math.floor(from / length); row * length < to; row++) {
    const rowStart = row * length;
    const firstByte = Math.max(from, rowStart) - rowStart;
    const endByte = Math.min(to, rowStart + length) - rowStart;
    const start = ((side.base + row * side.stride) >>> 0) - l1Base + firstByte;
    // A word whose first byte in the row came earlier was accessed in an earlier cycle.
    const firstWord = (start >>> 2) + (firstByte !== 0 && (start & 3) !== 0 ? 1 : 0);
    const lastWord = (start + endByte - firstByte - 1) >>> 2;
    const words = lastWord - firstWord + 1;
    if (words >= banks || (words > 0 && (((bank - firstWord) % banks) + banks) % banks < words)) return true;
  }
  return false;
}
