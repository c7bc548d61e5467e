/**
 * A large memory that only bulk copies reach (the cluster's L3: the ELF loader and the DMA), held
 * in 64 KiB pages allocated when first written. An unwritten byte reads 0. A 64 MiB L3 thus costs
 * a run what its program puts there, not 64 MiB per cluster.
 */
import { hex } from '../../isa/bits.js';
import type { Addr } from '../../isa/types.js';
import type { RegionConfig } from '../../isa/platform/memory-map.js';

const PAGE_SHIFT = 16;
const PAGE_BYTES = 1 << PAGE_SHIFT;

export class PagedMemory implements RegionConfig {
  readonly name: string;
  readonly base: Addr;
  readonly size: number;
  /** First address after the memory. */
  readonly end: number;
  private readonly pages = new Map<number, Uint8Array>();

  constructor({ name, base, size }: RegionConfig) {
    this.name = name;
    this.base = base >>> 0;
    this.size = size;
    this.end = this.base + size;
  }

  /** The memory holds all of [addr, addr + size). */
  holds(addr: Addr, size: number): boolean {
    return addr >= this.base && addr + size <= this.end;
  }

  readBytes(addr: Addr, length: number): Uint8Array {
    const data = new Uint8Array(length);
    this.eachPiece(addr, length, (page, offset, done, count) => {
      const bytes = this.pages.get(page);
      if (bytes) data.set(bytes.subarray(offset, offset + count), done);
    });
    return data;
  }

  writeBytes(addr: Addr, data: Uint8Array): void {
    this.eachPiece(addr, data.length, (page, offset, done, count) => {
      let bytes = this.pages.get(page);
      if (!bytes) {
        bytes = new Uint8Array(PAGE_BYTES);
        this.pages.set(page, bytes);
      }
      bytes.set(data.subarray(done, done + count), offset);
    });
  }

  /** The pages written so far, by address: what a run left in the memory. */
  writtenPages(): { readonly address: Addr; readonly bytes: Uint8Array }[] {
    return [...this.pages.entries()].sort(([a], [b]) => a - b).map(([page, bytes]) => ({ address: this.base + page * PAGE_BYTES, bytes }));
  }

  /** Split [addr, addr + length) at page boundaries: page index, offset in it, bytes before it, bytes in it. */
  private eachPiece(addr: Addr, length: number, piece: (page: number, offset: number, done: number, count: number) => void): void {
    if (!this.holds(addr, length)) throw new Error(`${this.name}: ${hex(addr)}+${length} is outside ${hex(this.base)}..${hex(this.end)}`);
    for (let done = 0; done < length; ) {
      const at = addr - this.base + done;
      const offset = at & (PAGE_BYTES - 1);
      const count = Math.min(length - done, PAGE_BYTES - offset);
      piece(at >>> PAGE_SHIFT, offset, done, count);
      done += count;
    }
  }
}
