/**
 * The data/instruction address space: a list of RAM regions, each backed by a typed array.
 * Accesses are little-endian and may be misaligned (the hart decides whether that is allowed).
 * Every region can carry a pre-decode cache, which stores into the region invalidate.
 */
import { hex } from '../isa/bits';
import type { AccessSize, Addr, Word } from '../isa/types';
import { Fault } from './errors';
import type { DecodedInstruction } from '../isa/definition';
import { CodeEpoch, type Block } from './block';
import type { Bus } from './bus';

export interface RegionConfig {
  readonly name: string;
  readonly base: Addr;
  /** Size in bytes. */
  readonly size: number;
}

export class MemoryRegion {
  readonly name: string;
  readonly base: Addr;
  readonly size: number;
  /** First address after the region. */
  readonly end: number;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** Decoded instructions by halfword offset; allocated the first time code runs from here. */
  decoded: (DecodedInstruction | undefined)[] | undefined;
  /**
   * Compiled blocks by the halfword offset of their first instruction: null where the instruction
   * there cannot start one, undefined where not decided yet. Allocated with `decoded`.
   */
  blocks: (Block | null | undefined)[] | undefined;
  /** Times execution arrived at each halfword without a block; a block is compiled once it is hot. */
  visits: Uint8Array | undefined;
  /** The version of the code that blocks built now belong to. */
  epoch = new CodeEpoch();

  constructor({ name, base, size }: RegionConfig) {
    this.name = name;
    this.base = base >>> 0;
    this.size = size;
    this.end = this.base + size;
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  /**
   * Drop decoded instructions overlapping bytes [offset, offset + size), and when there were any,
   * every compiled block of the region (a block may span the written bytes from anywhere before).
   */
  invalidate(offset: number, size: number): void {
    const decoded = this.decoded;
    if (!decoded) return;
    let hit = false;
    // A 32-bit instruction starting one halfword earlier also covers the written bytes.
    for (let i = Math.max(0, (offset >> 1) - 1); i <= (offset + size - 1) >> 1; i++) {
      if (decoded[i] !== undefined) {
        decoded[i] = undefined;
        hit = true;
      }
    }
    if (hit) {
      this.blocks?.fill(undefined);
      this.epoch.current = false;
      this.epoch = new CodeEpoch();
    }
  }
}

/** Called when a watched word is stored to (see Memory.watchWord). */
export type StoreWatcher = (value: Word) => void;

export class Memory implements Bus {
  readonly regions: readonly MemoryRegion[];
  private last: MemoryRegion;
  /** Word address whose stores are reported (the riscv-tests `tohost`); -1 when none. */
  private watched = -1;
  private watcher: StoreWatcher | undefined;

  constructor(configs: readonly RegionConfig[]) {
    if (configs.length === 0) throw new Error('memory: at least one region is needed');
    this.regions = configs.map((c) => new MemoryRegion(c));
    const sorted = [...this.regions].sort((a, b) => a.base - b.base);
    for (let i = 1; i < sorted.length; i++) {
      if (sorted[i]!.base < sorted[i - 1]!.end) throw new Error(`memory: regions ${sorted[i - 1]!.name} and ${sorted[i]!.name} overlap`);
    }
    this.last = this.regions[0]!;
  }

  /** The region holding all of [addr, addr + size), or undefined. */
  find(addr: Addr, size: number): MemoryRegion | undefined {
    const last = this.last;
    if (addr >= last.base && addr + size <= last.end) return last;
    for (const region of this.regions) {
      if (addr >= region.base && addr + size <= region.end) {
        this.last = region;
        return region;
      }
    }
    return undefined;
  }

  private require(addr: Addr, size: number, what: string): MemoryRegion {
    const region = this.find(addr, size);
    if (!region) throw new Fault('memory-access', `${what} of ${size} byte(s) at ${hex(addr)} is outside memory`);
    return region;
  }

  read(addr: Addr, size: AccessSize, signed: boolean): Word {
    const last = this.last;
    const region = addr >= last.base && addr + size <= last.end ? last : this.require(addr, size, 'load');
    const offset = addr - region.base;
    const view = region.view;
    if (size === 4) return view.getInt32(offset, true);
    if (size === 2) return signed ? view.getInt16(offset, true) : view.getUint16(offset, true);
    return signed ? view.getInt8(offset) : view.getUint8(offset);
  }

  write(addr: Addr, size: AccessSize, value: Word): void {
    const last = this.last;
    const region = addr >= last.base && addr + size <= last.end ? last : this.require(addr, size, 'store');
    const offset = addr - region.base;
    const view = region.view;
    if (size === 4) view.setInt32(offset, value, true);
    else if (size === 2) view.setInt16(offset, value, true);
    else view.setInt8(offset, value);
    region.invalidate(offset, size);
    if (addr === this.watched) this.watcher!(value);
  }

  /** Report every store to the word at `addr` (a mailbox such as `tohost`). */
  watchWord(addr: Addr, watcher: StoreWatcher): void {
    this.watched = addr >>> 0;
    this.watcher = watcher;
  }

  /** A halfword if mapped, else undefined (for timing look-ahead that must not fault). */
  peek16(addr: Addr): number | undefined {
    const region = this.find(addr, 2);
    return region && region.view.getUint16(addr - region.base, true);
  }

  writeBytes(addr: Addr, data: Uint8Array): void {
    const region = this.require(addr, data.length, 'write');
    region.bytes.set(data, addr - region.base);
    region.invalidate(addr - region.base, data.length);
  }

  readBytes(addr: Addr, length: number): Uint8Array {
    const region = this.require(addr, length, 'read');
    return region.bytes.slice(addr - region.base, addr - region.base + length);
  }
}
