// The testbench's memory: 32-bit words addressed by byte, allocated in 4 KiB pages as they are
// written, zero where nothing was written (the ELF loader's .bss convention).
const PAGE_BYTES = 4096;

export class SparseMemory {
  private readonly pages = new Map<number, Uint8Array>();

  private page(address: number, create: boolean): Uint8Array | undefined {
    const index = Math.floor((address >>> 0) / PAGE_BYTES);
    let page = this.pages.get(index);
    if (!page && create) {
      page = new Uint8Array(PAGE_BYTES);
      this.pages.set(index, page);
    }
    return page;
  }

  write(address: number, bytes: Uint8Array): void {
    bytes.forEach((byte, i) => {
      const at = (address + i) >>> 0;
      this.page(at, true)![at % PAGE_BYTES] = byte;
    });
  }

  /** `length` bytes from `address` (zero where nothing was written). */
  read(address: number, length: number): Uint8Array {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i++) {
      const at = (address + i) >>> 0;
      bytes[i] = this.page(at, false)?.[at % PAGE_BYTES] ?? 0;
    }
    return bytes;
  }

  /** The little-endian word at a word-aligned address. */
  readWord(address: number): number {
    const page = this.page(address, false);
    if (!page) return 0;
    const at = (address >>> 0) % PAGE_BYTES;
    return (page[at]! | (page[at + 1]! << 8) | (page[at + 2]! << 16) | (page[at + 3]! << 24)) >>> 0;
  }

  /** Writes the bytes of `value` whose byte-enable bits are set, at a word-aligned address. */
  writeWord(address: number, value: number, byteEnable: number): void {
    const page = this.page(address, true)!;
    const at = (address >>> 0) % PAGE_BYTES;
    for (let b = 0; b < 4; b++) if ((byteEnable >>> b) & 1) page[at + b] = (value >>> (8 * b)) & 0xff;
  }
}
