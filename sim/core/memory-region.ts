/**
 * One RAM region of the simulated address space, backed by a typed array, with the caches of the
 * code that runs from it (decoded instructions, compiled blocks) which stores into it invalidate.
 */
import type { Addr } from '../../isa/types.js';
import type { DecodedInstruction } from '../../isa/definition.js';
import type { RegionConfig } from '../../isa/platform/memory-map.js';
import { CodeEpoch, type Block } from './block.js';

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
