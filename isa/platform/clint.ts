/**
 * The platform's CLINT (memory-map.ts, CLINT_BASE): the machine timer and software interrupt bits
 * of each hart, and the interrupt lines they drive; the ISS (sim/core/clint-device.ts, sim/cluster/core-port.ts)
 * and the project core's simulation testbench (gen/core/run.ts) use it, the Verilator drivers have
 * it in C++ (gen/rtl-harness/driver-support.ts). Time is the ISS's cycle count:
 * in cycle k (numbered from 1, docs/iss.md#interrupts) mtime reads k - 1. The ISS runs a hart's
 * instructions one after another and asks about cycles both before and after the latest access,
 * so a register keeps its recent values with the cycle each took effect from, and the lines are a
 * function of the cycle rather than a current state.
 */
import { hex, sext } from '../bits.js';
import type { AccessSize, Cycles, Word } from '../types.js';
import { Fault } from '../fault.js';
import { CLINT, MTIMECMP_NEVER } from './memory-map.js';
import { IRQ_LINE } from '../csr-values.js';

/** Values older than the last few writes are never asked for again: the hart only looks back over one instruction. */
const KEPT_VALUES = 4;

/** A register whose writes take effect from a given cycle on. */
class TimedRegister {
  /** (from, value), oldest first; the first entry holds from cycle 0. */
  private readonly history: { from: Cycles; value: bigint }[];

  constructor(reset: bigint) {
    this.history = [{ from: 0, value: reset }];
  }

  at(cycle: Cycles): bigint {
    const h = this.history;
    for (let i = h.length - 1; i > 0; i--) if (h[i]!.from <= cycle) return h[i]!.value;
    return h[0]!.value;
  }

  set(from: Cycles, value: bigint): void {
    this.history.push({ from, value });
    if (this.history.length > KEPT_VALUES) this.history.shift();
  }

  /** The last value written, whenever it takes effect (what a read-modify-write starts from). */
  get latest(): bigint {
    return this.history[this.history.length - 1]!.value;
  }

  /** The cycles at which the value changes after `cycle`, in order. */
  changesAfter(cycle: Cycles): Cycles[] {
    return this.history.filter((e) => e.from > cycle).map((e) => e.from);
  }
}

const ALL_ONES = (1n << 64n) - 1n;
const HART_SOFTWARE_STRIDE = 4;
const HART_TIMER_STRIDE = 8;

/** mtime in cycle `cycle` (numbered from 1). */
export function mtimeAt(cycle: Cycles): bigint {
  return BigInt(Math.max(0, cycle - 1));
}

export class Clint {
  private readonly msip: TimedRegister[];
  private readonly mtimecmp: TimedRegister[];

  constructor(readonly harts: number) {
    this.msip = Array.from({ length: harts }, () => new TimedRegister(0n));
    this.mtimecmp = Array.from({ length: harts }, () => new TimedRegister(ALL_ONES));
  }

  /** The interrupt lines (irq_i) of `hart` in cycle `cycle`: software (3) and timer (7). */
  lines(hart: number, cycle: Cycles): number {
    const software = Number(this.msip[hart]!.at(cycle) & 1n) << IRQ_LINE.software;
    const timer = (mtimeAt(cycle) >= this.mtimecmp[hart]!.at(cycle) ? 1 : 0) << IRQ_LINE.timer;
    return software | timer;
  }

  /**
   * The first cycle from `cycle` on in which a line of `mask` is high, assuming no further
   * writes, or undefined when none ever will be (what a wfi sleeps until).
   */
  firstLineFrom(hart: number, cycle: Cycles, mask: number): Cycles | undefined {
    const candidates = [cycle, ...this.msip[hart]!.changesAfter(cycle), ...this.mtimecmp[hart]!.changesAfter(cycle)].sort((a, b) => a - b);
    for (let i = 0; i < candidates.length; i++) {
      const from = candidates[i]!;
      if ((this.lines(hart, from) & mask) !== 0) return from;
      // The timer line rises by itself once mtime reaches mtimecmp, before the next write takes effect.
      const compare = this.mtimecmp[hart]!.at(from);
      const until = candidates[i + 1] ?? Number.POSITIVE_INFINITY;
      if (((mask >>> IRQ_LINE.timer) & 1) !== 0 && compare < BigInt(MTIMECMP_NEVER)) {
        const rises = Number(compare) + 1;
        if (rises > from && rises < until) return rises;
      }
    }
    return undefined;
  }

  /** A load of `size` bytes at `offset` in the window, in cycle `cycle` (its grant), sign- or zero-extended. */
  read(offset: number, size: AccessSize, cycle: Cycles, signed = false): Word {
    const word = this.readWord(offset & ~3, cycle);
    if (size === 4) return word;
    const value = (word >>> ((offset & 3) * 8)) & ((1 << (size * 8)) - 1);
    return signed ? sext(value, size * 8) : value;
  }

  /** A store of `size` bytes at `offset`, granted in cycle `cycle`: it takes effect in the next. */
  write(offset: number, size: AccessSize, value: Word, cycle: Cycles): void {
    if ((offset & 3) + size > 4) throw new Fault('misaligned-access', `a CLINT access must not cross a word (${size} bytes at offset ${hex(offset, 4)})`);
    const aligned = offset & ~3;
    const shift = (offset & 3) * 8;
    const mask = size === 4 ? 0xffffffff : ((1 << (size * 8)) - 1) << shift;
    const merge = (old: number): number => ((old & ~mask) | ((value << shift) & mask)) >>> 0;
    const from = cycle + 1;
    const hart = this.hartOf(aligned);
    if (hart === undefined) return;
    if (hart.register === 'msip') {
      const reg = this.msip[hart.index]!;
      reg.set(from, BigInt(merge(Number(reg.latest)) & 1));
    } else if (hart.register === 'mtimecmp') {
      const reg = this.mtimecmp[hart.index]!;
      const high = hart.high;
      const old = Number(high ? reg.latest >> 32n : reg.latest & 0xffffffffn);
      const part = BigInt(merge(old));
      reg.set(from, high ? (part << 32n) | (reg.latest & 0xffffffffn) : (reg.latest & ~0xffffffffn) | part);
    }
  }

  private readWord(offset: number, cycle: Cycles): Word {
    if (offset === CLINT.MTIME) return Number(BigInt.asIntN(32, mtimeAt(cycle)));
    if (offset === CLINT.MTIME + 4) return Number(BigInt.asIntN(32, mtimeAt(cycle) >> 32n));
    const hart = this.hartOf(offset);
    if (hart === undefined) return 0;
    if (hart.register === 'msip') return Number(this.msip[hart.index]!.at(cycle));
    const value = this.mtimecmp[hart.index]!.at(cycle);
    return Number(BigInt.asIntN(32, hart.high ? value >> 32n : value));
  }

  /** Which hart's register a word offset names, if any. */
  private hartOf(offset: number): { register: 'msip' | 'mtimecmp'; index: number; high: boolean } | undefined {
    if (offset >= CLINT.MSIP && offset < CLINT.MSIP + HART_SOFTWARE_STRIDE * this.harts) {
      return { register: 'msip', index: (offset - CLINT.MSIP) / HART_SOFTWARE_STRIDE, high: false };
    }
    if (offset >= CLINT.MTIMECMP && offset < CLINT.MTIMECMP + HART_TIMER_STRIDE * this.harts) {
      const within = offset - CLINT.MTIMECMP;
      return { register: 'mtimecmp', index: Math.floor(within / HART_TIMER_STRIDE), high: within % HART_TIMER_STRIDE === 4 };
    }
    return undefined;
  }
}
