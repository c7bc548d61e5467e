/**
 * The data/instruction address space: a list of RAM regions, each backed by a typed array.
 * Accesses are little-endian and may be misaligned (the hart decides whether that is allowed).
 * Every region can carry a pre-decode cache, which stores into the region invalidate.
 */
import { hex } from '../../isa/bits.js';
import type { AccessSize, Addr, Word } from '../../isa/types.js';
import { Fault, TRAP_CAUSE, type TrapCause } from '../../isa/fault.js';

/** The program's own loads and stores trap; the environment's and the loader's bulk copies do not. */
const ACCESS_FAULT_CAUSE: Record<'load' | 'store' | 'read' | 'write', TrapCause | undefined> = {
  load: TRAP_CAUSE.loadAccessFault,
  store: TRAP_CAUSE.storeAccessFault,
  read: undefined,
  write: undefined,
};
import { MemoryRegion } from './memory-region.js';
import type { Bus } from './bus.js';
import type { DirectPath } from './block.js';
import type { RegionConfig } from '../../isa/platform/memory-map.js';

/** Called when a watched word is stored to (see MappedMemory.watchWord). */
export type StoreWatcher = (value: Word) => void;

/**
 * A device answering data accesses in a window outside the RAM regions (the platform's CLINT):
 * asked only once no region holds an access, so RAM accesses pay nothing for it.
 */
export interface MemoryDevice {
  holds(addr: Addr, size: number): boolean;
  read(addr: Addr, size: AccessSize, signed: boolean): Word;
  write(addr: Addr, size: AccessSize, value: Word): void;
}

export class MappedMemory implements Bus {
  readonly regions: readonly MemoryRegion[];
  /** The region of the last access, tried first (also by compiled blocks' direct accesses: DataAccess). */
  last: MemoryRegion;
  /** Word address whose stores are reported (the riscv-tests `tohost`); -1 when none. Direct stores leave it to `write`. */
  watched = -1;
  /** Bus.direct: the memory itself, which answers every access at once. */
  readonly direct: DirectPath = { memory: this, arbiter: undefined };
  private watcher: StoreWatcher | undefined;
  private device: MemoryDevice | undefined;

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

  /** The region holding the access; a load or a store outside memory is an access fault the core may trap on. */
  private require(addr: Addr, size: number, what: 'load' | 'store' | 'read' | 'write'): MemoryRegion {
    const region = this.find(addr, size);
    if (!region) throw this.outside(addr, size, what);
    return region;
  }

  private outside(addr: Addr, size: number, what: 'load' | 'store' | 'read' | 'write'): Fault {
    return new Fault('memory-access', `${what} of ${size} byte(s) at ${hex(addr)} is outside memory`, ACCESS_FAULT_CAUSE[what]);
  }

  fetchFault(addr: Addr): Fault {
    return new Fault('memory-access', `instruction fetch at ${hex(addr)} is outside memory`, TRAP_CAUSE.instructionAccessFault);
  }

  /** Let `device` answer the program's loads and stores that no region holds, in its window. */
  attachDevice(device: MemoryDevice): void {
    this.device = device;
  }

  /** The device holding an access no region holds, or the access fault. */
  private deviceFor(addr: Addr, size: number, what: 'load' | 'store'): MemoryDevice {
    const device = this.device;
    if (device === undefined || !device.holds(addr, size)) throw this.outside(addr, size, what);
    return device;
  }

  read(addr: Addr, size: AccessSize, signed: boolean): Word {
    const last = this.last;
    const region = addr >= last.base && addr + size <= last.end ? last : this.find(addr, size);
    if (region === undefined) return this.deviceFor(addr, size, 'load').read(addr, size, signed);
    const offset = addr - region.base;
    const view = region.view;
    if (size === 4) return view.getInt32(offset, true);
    if (size === 2) return signed ? view.getInt16(offset, true) : view.getUint16(offset, true);
    return signed ? view.getInt8(offset) : view.getUint8(offset);
  }

  write(addr: Addr, size: AccessSize, value: Word): void {
    const last = this.last;
    const region = addr >= last.base && addr + size <= last.end ? last : this.find(addr, size);
    if (region === undefined) return this.deviceFor(addr, size, 'store').write(addr, size, value);
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
