/**
 * TCDM bank arbitration. Each bank serves one access per cycle; a request gets the first cycle at
 * or after the one it asks for in which its bank is free. Cores issuing in the same cycle are
 * visited in round-robin order (the cluster rotates the first core every cycle), so the waits fall
 * on each core in turn.
 *
 * Requests made when an instruction issues come in non-decreasing cycle order (the cluster runs
 * cores in cluster-time order). The second transaction of an access that crosses a word boundary
 * asks for a later cycle (the one after its first transaction's grant); a request issued after
 * it, for an earlier cycle, may still use the bank before it. So each bank keeps the set of its
 * reserved cycles from the latest issue cycle on, as a 64-bit mask (two 32-bit words).
 */
import type { Addr, Cycles } from '../../isa/types.js';

/** Reservations per bank reach at most two per core (an access and its second transaction) ahead. */
const WINDOW = 64;

export class Tcdm {
  /** The issue cycle of the latest request per bank: bit i of the masks is cycle windowStart + i. */
  private readonly windowStart: Float64Array;
  private readonly low: Int32Array;
  private readonly high: Int32Array;
  /** The issue cycle of the latest access: no request can ask for an earlier one any more. */
  private now = 0;
  /** banks - 1 when the bank count is a power of two (the usual case): a mask instead of a division. */
  private readonly bankMask: number;

  constructor(
    readonly l1Base: Addr,
    readonly banks: number,
  ) {
    this.windowStart = new Float64Array(banks);
    this.low = new Int32Array(banks);
    this.high = new Int32Array(banks);
    this.bankMask = (banks & (banks - 1)) === 0 ? banks - 1 : -1;
  }

  bankOf(addr: Addr): number {
    const word = (addr - this.l1Base) >>> 2;
    return this.bankMask >= 0 ? word & this.bankMask : word % this.banks;
  }

  /** Grant an access issued at `cycle`; returns how many cycles it waited. */
  access(addr: Addr, cycle: Cycles): Cycles {
    const bank = this.bankOf(addr);
    this.now = cycle;
    this.advance(bank, cycle);
    return this.reserve(bank, cycle) - cycle;
  }

  /**
   * Grant the second transaction of an access crossing a word boundary, asked for `cycle` (after
   * the first transaction's grant); returns how many cycles it waited.
   */
  accessLater(addr: Addr, cycle: Cycles): Cycles {
    const bank = this.bankOf(addr);
    this.advance(bank, this.now);
    return this.reserve(bank, cycle) - cycle;
  }

  /** Forget the bank's cycles before `cycle`: no request can ask for them any more. */
  private advance(bank: number, cycle: Cycles): void {
    const shift = cycle - this.windowStart[bank]!;
    if (shift <= 0) return;
    const low = this.low[bank]!;
    const high = this.high[bank]!;
    if (high === 0) {
      // The common case: nothing reserved more than 32 cycles ahead.
      this.low[bank] = shift >= 32 ? 0 : low >>> shift;
    } else if (shift >= WINDOW) {
      this.low[bank] = 0;
      this.high[bank] = 0;
    } else if (shift >= 32) {
      this.low[bank] = high >>> (shift - 32);
      this.high[bank] = 0;
    } else {
      this.low[bank] = (low >>> shift) | (high << (32 - shift));
      this.high[bank] = high >>> shift;
    }
    this.windowStart[bank] = cycle;
  }

  /** Reserve the first free cycle at or after `cycle` and return it. */
  private reserve(bank: number, cycle: Cycles): Cycles {
    const from = cycle - this.windowStart[bank]!;
    // The common case: the bank is free in the cycle asked for, the first of its window.
    if (from === 0 && (this.low[bank]! & 1) === 0) {
      this.low[bank] = this.low[bank]! | 1;
      return cycle;
    }
    if (from < 0) throw new Error(`tcdm: bank ${bank} asked for cycle ${cycle}, before its window`);
    for (let offset = from; offset < WINDOW; offset++) {
      const word = offset < 32 ? this.low : this.high;
      const bit = 1 << (offset & 31);
      if ((word[bank]! & bit) === 0) {
        word[bank] = word[bank]! | bit;
        return this.windowStart[bank]! + offset;
      }
    }
    throw new Error(`tcdm: bank ${bank} has no free cycle within ${WINDOW} cycles of ${this.windowStart[bank]}`);
  }
}
