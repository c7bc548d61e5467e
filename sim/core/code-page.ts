/**
 * The code cache of one 64 KiB page of a memory region: decoded instructions, compiled blocks and
 * visit counts by halfword. A region allocates a page the first time code is decoded in it, so a
 * small program in the 16 MiB Spike RAM costs one page (about 0.5 MiB), not arrays for the whole
 * region (about 130 MiB).
 */
import type { DecodedInstruction } from '../../isa/definition.js';
import type { Block } from './block.js';

/**
 * Bytes of a code page, a power of two so that a page index is a shift. Moving from one page to
 * another costs the hart a page look-up (about 6 ns); a loop crossing a page boundary pays it at
 * every crossing (measured: 15 to 20% slower for a 7-instruction loop across 4 KiB pages). With
 * 64 KiB pages the project's kernels (under 1 KiB of code) run from one page.
 */
export const CODE_PAGE_SHIFT = 16;
export const CODE_PAGE_BYTES = 2 ** CODE_PAGE_SHIFT;

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
