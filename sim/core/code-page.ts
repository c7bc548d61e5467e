/**
 * The code cache of one 4 KiB page of a memory region: decoded instructions, compiled blocks and
 * visit counts by halfword. A region allocates a page the first time code is decoded in it, so a
 * tiny program in the 16 MiB Spike RAM costs one page, not arrays for the whole region.
 */
import type { DecodedInstruction } from '../../isa/definition.js';
import type { Block } from './block.js';

/** Bytes of a code page: a power of two, so that a page index is a shift. */
export const CODE_PAGE_BYTES = 4096;
export const CODE_PAGE_SHIFT = 12;

export class CodePage {
  /** Decoded instructions by halfword offset in the page. */
  readonly decoded: (DecodedInstruction | undefined)[];
  /**
   * Compiled blocks by the halfword offset of their first instruction: null where the instruction
   * there cannot start one, undefined where not decided yet.
   */
  readonly blocks: (Block | null | undefined)[];
  /** Times execution arrived at each halfword without a block; a block is compiled once it is hot. */
  readonly visits: Uint8Array;

  constructor(
    /** Address of the page's first byte. */
    readonly base: number,
    /** Bytes: CODE_PAGE_BYTES, or less for the last page of a region whose size is not a multiple. */
    readonly size: number,
  ) {
    const halfwords = size >>> 1;
    this.decoded = new Array<DecodedInstruction | undefined>(halfwords).fill(undefined);
    this.blocks = new Array<Block | null | undefined>(halfwords).fill(undefined);
    this.visits = new Uint8Array(halfwords);
  }
}
