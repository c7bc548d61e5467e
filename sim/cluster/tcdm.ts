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
 *
 * The DMA uses banks too (sim/cluster/dma.ts), and before the cores: a cycle in which it moves a
 * word of a bank is not granted to a core (counted apart, as the DMA's share of the wait). Its
 * schedule is fixed once its transfers are queued, so it is known for every cycle a core asks for.
 * A core kept out of a bank by a long transfer may be granted a cycle beyond the 64-bit window:
 * such reservations wait in a set of their own until the window reaches them.
 *
 * Most requests find their bank with nothing reserved from the cycle they ask for on (each bank
 * keeps that cycle, `freeFrom`): since no later request asks for an earlier cycle, the bank's
 * window then starts over at the request, whatever it held before. Such a grant moves `freeFrom`
 * alone (`lazy`), here or in the cores' generated code (BankGrants in sim/core/block.ts); the
 * window is started over from it when it is next read (`settle`).
 */
import type { Addr, Cycles } from '../../isa/types.js';
import type { BankedMemory } from '../core/loop-batch-window.js';

/** Reservations per bank reach at most two per core (an access and its second transaction) ahead. */
const WINDOW = 64;

/** Something that takes TCDM banks before the cores do, on a schedule known in advance (the DMA). */
export interface BankOccupant {
  /** No bank is occupied before this cycle, */
  readonly busyFrom: Cycles;
  /** nor from this cycle on. */
  readonly busyUntil: Cycles;
  /** The bank is taken in `cycle`. */
  occupies(bank: number, cycle: Cycles): boolean;
  /** The banks taken in `cycle`, a bit each (when there are 32 banks at most). */
  banksAt(cycle: Cycles): number;
  /** Changes whenever what the occupant takes may change. */
  readonly schedule: number;
}

export class Tcdm implements BankedMemory {
  /** The issue cycle of the latest request per bank: bit i of the masks is cycle windowStart + i. */
  private readonly windowStart: Float64Array;
  private readonly low: Int32Array;
  private readonly high: Int32Array;
  /** The issue cycle of the latest access: no request can ask for an earlier one any more. */
  now = 0;
  /** banks - 1 when the bank count is a power of two (the usual case): a mask instead of a division. */
  readonly bankMask: number;
  /** Per bank, the reserved cycles past the window (a core kept out by the DMA), if any. */
  private readonly far: (Set<Cycles> | undefined)[];
  /** Per bank, a cycle from which it holds no reservation: one past the latest it granted. */
  readonly freeFrom: Float64Array;
  /**
   * Per bank, 1 when it was granted in the common case (access, or generated code: BankGrants),
   * which records the grant in freeFrom alone: its window then starts over at freeFrom - 1, reserved,
   * when it is next needed (settle).
   */
  readonly lazy: Uint8Array;
  /** Of the wait of the last access (or second transaction) granted, the cycles the DMA held its bank. */
  lastDmaWait = 0;
  /**
   * The DMA's banks in one cycle (dmaBanks), kept with the cycle and the DMA's schedule they are
   * for: the cores' accesses of a cycle, and a core's tries at the next cycles, ask about the same
   * few cycles while the DMA streams (measured: the DMA's bank test was 5% of a ResNet18 layer
   * streaming its weights).
   */
  private dmaCycle = -1;
  private dmaSchedule = -1;
  private dmaMask = 0;

  /** The end of L1, the memory the banks hold. */
  readonly l1End: Addr;

  constructor(
    readonly l1Base: Addr,
    l1Size: number,
    readonly banks: number,
    readonly occupant?: BankOccupant,
  ) {
    this.l1End = l1Base + l1Size;
    this.windowStart = new Float64Array(banks);
    this.low = new Int32Array(banks);
    this.high = new Int32Array(banks);
    this.freeFrom = new Float64Array(banks);
    this.lazy = new Uint8Array(banks);
    this.bankMask = (banks & (banks - 1)) === 0 ? banks - 1 : -1;
    this.far = new Array<Set<Cycles> | undefined>(banks).fill(undefined);
  }

  bankOf(addr: Addr): number {
    const word = (addr - this.l1Base) >>> 2;
    return this.bankMask >= 0 ? word & this.bankMask : word % this.banks;
  }

  /**
   * Grant an access issued at `cycle`; returns how many cycles it waited. The common case (the bank
   * free from `cycle` on, the DMA not streaming then) is a few operations, so that V8 inlines the
   * whole grant into the cores' compiled code (measured: past its inlining budget of 920 bytes of
   * bytecode, a copy loop's region called the arbitration at every load and store).
   */
  access(addr: Addr, cycle: Cycles): Cycles {
    const bank = this.bankOf(addr);
    this.now = cycle;
    this.lastDmaWait = 0;
    if (cycle >= this.freeFrom[bank]! && !this.dmaBusy(cycle, cycle + 1)) {
      this.freeFrom[bank] = cycle + 1;
      this.lazy[bank] = 1;
      return 0;
    }
    this.advance(bank, cycle);
    return this.reserve(bank, cycle) - cycle;
  }

  /**
   * A bank granted in the common case: its window starts over at that grant's cycle, reserved
   * (nothing was from there on, and no request asks for an earlier cycle any more).
   */
  private settle(bank: number): void {
    this.lazy[bank] = 0;
    this.windowStart[bank] = this.freeFrom[bank]! - 1;
    this.low[bank] = 1;
    this.high[bank] = 0;
    this.far[bank] = undefined;
  }

  /**
   * Grant the second transaction of an access crossing a word boundary, asked for `cycle` (after
   * the first transaction's grant); returns how many cycles it waited.
   */
  accessLater(addr: Addr, cycle: Cycles): Cycles {
    const bank = this.bankOf(addr);
    this.lastDmaWait = 0;
    this.advance(bank, this.now);
    return this.reserve(bank, cycle) - cycle;
  }

  /** Forget the bank's cycles before `cycle`: no request can ask for them any more. */
  private advance(bank: number, cycle: Cycles): void {
    if (this.lazy[bank] === 1) this.settle(bank);
    const shift = cycle - this.windowStart[bank]!;
    if (shift <= 0) return;
    const low = this.low[bank]!;
    const high = this.high[bank]!;
    if (high === 0) {
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
    if (this.far[bank] !== undefined) this.pullIntoWindow(bank);
  }

  /** Move the bank's reservations past the window that the window now reaches into its mask. */
  private pullIntoWindow(bank: number): void {
    const far = this.far[bank]!;
    for (const cycle of far) {
      const offset = cycle - this.windowStart[bank]!;
      if (offset >= WINDOW) continue;
      if (offset >= 0) {
        const word = offset < 32 ? this.low : this.high;
        word[bank] = word[bank]! | (1 << (offset & 31));
      }
      far.delete(cycle);
    }
    if (far.size === 0) this.far[bank] = undefined;
  }

  /**
   * The reservations of `cycles` cycles from `from` on (no request asks for an earlier one any
   * more): bit b of taken[k] set when bank b is reserved in cycle from + k. False when some bank has
   * a reservation past its 64-bit window, which the caller then leaves to access.
   */
  reservedFrom(from: Cycles, cycles: number, taken: Int32Array): boolean {
    for (let bank = 0; bank < this.banks; bank++) {
      if (this.lazy[bank] === 1) this.settle(bank);
      const shift = from - this.windowStart[bank]!;
      if (this.far[bank] !== undefined || shift < 0) return false;
      if (shift >= WINDOW) continue;
      // The reserved cycles, bit by bit (a bank holds a few at most): offsets [shift, end) of its window.
      const end = Math.min(WINDOW, shift + cycles);
      for (let half = 0; half < 2; half++) {
        let bits = half === 0 ? this.low[bank]! : this.high[bank]!;
        while (bits !== 0) {
          const bit = bits & -bits;
          bits ^= bit;
          const offset = 32 * half + 31 - Math.clz32(bit);
          if (offset >= shift && offset < end) taken[offset - shift] = taken[offset - shift]! | (1 << bank);
        }
      }
    }
    return true;
  }

  /** The DMA may take a bank in some cycle from `from` up to `to`. */
  dmaBusy(from: Cycles, to: Cycles): boolean {
    const occupant = this.occupant;
    return occupant !== undefined && occupant.busyFrom < to && from < occupant.busyUntil;
  }

  /** The banks the DMA takes in `cycle`, a bit each (32 banks at most). */
  dmaBanks(cycle: Cycles): number {
    const occupant = this.occupant;
    if (occupant === undefined || cycle < occupant.busyFrom || cycle >= occupant.busyUntil) return 0;
    if (cycle !== this.dmaCycle || occupant.schedule !== this.dmaSchedule) {
      this.dmaMask = occupant.banksAt(cycle);
      this.dmaCycle = cycle;
      this.dmaSchedule = occupant.schedule;
    }
    return this.dmaMask;
  }

  /** The DMA takes the bank in `cycle`. */
  private dmaTakes(bank: number, cycle: Cycles): boolean {
    if (this.banks <= 32) return ((this.dmaBanks(cycle) >>> bank) & 1) !== 0;
    const occupant = this.occupant;
    return occupant !== undefined && cycle >= occupant.busyFrom && cycle < occupant.busyUntil && occupant.occupies(bank, cycle);
  }

  /**
   * Reserve the first cycle at or after `cycle` in which neither the DMA nor an earlier request
   * holds the bank, and return it; `lastDmaWait` counts the cycles skipped because the DMA held it.
   */
  private reserve(bank: number, cycle: Cycles): Cycles {
    const from = cycle - this.windowStart[bank]!;
    if (from < 0) throw new Error(`tcdm: bank ${bank} asked for cycle ${cycle}, before its window`);
    for (let offset = from; ; offset++) {
      const at = this.windowStart[bank]! + offset;
      if (this.dmaTakes(bank, at)) {
        this.lastDmaWait++;
      } else if (offset >= WINDOW) {
        const far = (this.far[bank] ??= new Set());
        if (!far.has(at)) {
          far.add(at);
          return this.granted(bank, at);
        }
      } else {
        const word = offset < 32 ? this.low : this.high;
        const bit = 1 << (offset & 31);
        if ((word[bank]! & bit) === 0) {
          word[bank] = word[bank]! | bit;
          return this.granted(bank, at);
        }
      }
    }
  }

  /** reserve took `cycle`: the bank is free from the cycle after it, if not from a later one. */
  private granted(bank: number, cycle: Cycles): Cycles {
    if (cycle >= this.freeFrom[bank]!) this.freeFrom[bank] = cycle + 1;
    return cycle;
  }
}
