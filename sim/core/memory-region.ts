/**
 * One RAM region of the simulated address space, backed by a typed array, with the caches of the
 * code that runs from it (decoded instructions, compiled blocks, by 64 KiB page) which stores into
 * it invalidate.
 */
import type { Addr } from '../../isa/types.js';
import type { RegionConfig } from '../../isa/platform/memory-map.js';
import { CodeEpoch, Templates } from './block.js';
import { CODE_PAGE_BYTES, CODE_PAGE_SHIFT, CodePage } from './code-page.js';

/** Shift from a halfword index to its page index, and the mask of the halfword within the page. */
const HALFWORD_PAGE_SHIFT = CODE_PAGE_SHIFT - 1;
const HALFWORD_IN_PAGE = (CODE_PAGE_BYTES >>> 1) - 1;

/**
 * The stores made while it is attached to regions (MemoryRegion.stores): a LoopBatch checks them
 * against the loads its cores ran ahead of time. Past its capacity it only knows that there were more.
 */
export class StoreLog {
  count = 0;
  readonly addresses = new Float64Array(STORE_LOG_CAPACITY);
  readonly sizes = new Uint8Array(STORE_LOG_CAPACITY);

  add(addr: Addr, size: number): void {
    if (this.count < STORE_LOG_CAPACITY) {
      this.addresses[this.count] = addr;
      this.sizes[this.count] = size;
    }
    this.count++;
  }

  /** Some store was not kept. */
  get overflowed(): boolean {
    return this.count > STORE_LOG_CAPACITY;
  }
}

const STORE_LOG_CAPACITY = 64;

export class MemoryRegion {
  readonly name: string;
  readonly base: Addr;
  readonly size: number;
  /** First address after the region. */
  readonly end: number;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  /** The version of the code that blocks built now belong to. */
  epoch = new CodeEpoch();
  /** The compiled code of the region's blocks, which blocks of one shape share. */
  readonly templates = new Templates();
  /** While set, where every store to the region goes (every store passes through invalidate). */
  stores: StoreLog | undefined;
  /** Code pages by page index, allocated the first time code is decoded in them. */
  private pagesByIndex: (CodePage | undefined)[] | undefined;
  private readonly allocated: CodePage[] = [];

  constructor({ name, base, size }: RegionConfig) {
    this.name = name;
    this.base = base >>> 0;
    this.size = size;
    this.end = this.base + size;
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }

  /** The code page holding byte `offset` of the region, if code was decoded there. */
  codePage(offset: number): CodePage | undefined {
    return this.pagesByIndex?.[offset >>> CODE_PAGE_SHIFT];
  }

  /** The code page holding byte `offset`, allocated on first use. */
  allocateCodePage(offset: number): CodePage {
    const index = offset >>> CODE_PAGE_SHIFT;
    this.pagesByIndex ??= new Array<CodePage | undefined>(Math.ceil(this.size / CODE_PAGE_BYTES)).fill(undefined);
    let page = this.pagesByIndex[index];
    if (!page) {
      const start = index * CODE_PAGE_BYTES;
      page = new CodePage(this.base + start, Math.min(CODE_PAGE_BYTES, this.size - start));
      this.pagesByIndex[index] = page;
      this.allocated.push(page);
    }
    return page;
  }

  /** The pages allocated so far, in order of allocation. */
  get codePages(): readonly CodePage[] {
    return this.allocated;
  }

  /**
   * Drop decoded instructions overlapping bytes [offset, offset + size), and when there were any,
   * every compiled block of the region (a block may span the written bytes from anywhere before).
   * Every store calls this; a region that never held code returns at once, in few enough bytes of
   * bytecode for V8 to inline it into the cores' compiled code beside the grant (docs/iss.md,
   * Compiled blocks: its inlining budget).
   */
  invalidate(offset: number, size: number): void {
    if (this.stores !== undefined) this.stores.add(this.base + offset, size);
    if (this.pagesByIndex !== undefined) this.dropCode(this.pagesByIndex, offset, size);
  }

  /** invalidate in a region that holds decoded code. */
  private dropCode(pages: (CodePage | undefined)[], offset: number, size: number): void {
    let hit = false;
    // A 32-bit instruction starting one halfword earlier also covers the written bytes.
    for (let i = Math.max(0, (offset >> 1) - 1); i <= (offset + size - 1) >> 1; i++) {
      const decoded = pages[i >> HALFWORD_PAGE_SHIFT]?.decoded;
      if (decoded !== undefined && decoded[i & HALFWORD_IN_PAGE] !== undefined) {
        decoded[i & HALFWORD_IN_PAGE] = undefined;
        hit = true;
      }
    }
    if (hit) {
      for (const page of this.allocated) page.blocks.fill(undefined);
      this.epoch.current = false;
      this.epoch = new CodeEpoch();
    }
  }
}
