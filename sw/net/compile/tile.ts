/**
 * What the compiler turns every node into (docs/compiler.md#tiles): a sequence of tiles, each the
 * DMA transfers that bring its operands into L1, the code all cores run on them, and the transfers
 * that take its results back out. The scheduler (schedule.ts) decides when each transfer is queued;
 * the emitter (program.ts) writes the tables the cores' runtime walks.
 */
import type { Addr } from '../../../isa/types.js';

/** A byte range of L1 a tile's code reads or writes. */
export interface L1Range {
  readonly start: Addr;
  readonly bytes: number;
}

/**
 * The far end of a transfer: bytes of a tensor (its buffer in L2 or L3), of a constant blob, or of
 * the staging area in L2 where constants from L3 wait for their fill (schedule.ts).
 */
export type External =
  | { readonly kind: 'tensor'; readonly tensor: string; readonly offset: number }
  | { readonly kind: 'constant'; readonly blob: number; readonly offset: number }
  | { readonly kind: 'staging'; readonly offset: number };

/** A 1D or 2D copy between L1 and an external buffer: `rows` rows of `length` bytes. */
export interface Transfer {
  readonly external: External;
  readonly l1: Addr;
  readonly length: number;
  readonly rows: number;
  readonly externalStride: number;
  readonly l1Stride: number;
}

/** A transfer into L1; `content` names what the range holds afterwards, so a tile that needs it there again skips the copy. */
export interface Fill extends Transfer {
  readonly content: string;
}

/** The code of a tile: every core's entry `core_<i>`, each ending with `j kernel_end` (VariantGenerator.code). */
export interface TileCode {
  /** Equal keys mean equal code: the program holds one copy. */
  readonly key: string;
  lines(): readonly string[];
}

export interface Tile {
  /** The node (layer) the tile computes a part of. */
  readonly node: string;
  readonly fills: readonly Fill[];
  /** L1 ranges the code uses besides the fills' (outputs, scratch). */
  readonly scratch: readonly L1Range[];
  readonly code: TileCode;
  readonly drains: readonly Transfer[];
}

/** The L1 range a transfer touches (rows l1Stride apart). */
export const l1Range = (t: Transfer): L1Range => ({ start: t.l1, bytes: (t.rows - 1) * t.l1Stride + t.length });

/** A 1D transfer of `bytes` between `external` and `l1`. */
export function contiguous(external: External, l1: Addr, bytes: number): Transfer {
  return { external, l1, length: bytes, rows: 1, externalStride: bytes, l1Stride: bytes };
}

export const align4 = (n: number): number => Math.ceil(n / 4) * 4;
