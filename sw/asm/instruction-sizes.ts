/**
 * How big each machine instruction is, as the sizing passes decide. Under `.option rvc` an
 * instruction takes 2 bytes when it has a compressed form. That is known at once for one without a
 * pc-relative operand; a branch or jump is encoded at the previous sizing pass's layout, and sizing
 * repeats until no size changes. A branch that had to grow back to 4 bytes is pinned there, so the
 * iteration ends.
 */
import type { Section } from './sections.js';
import type { SymbolLayout } from './symbols.js';

/** The addresses a sizing pass ended with: of every label, and of every machine instruction. */
export interface PassLayout {
  readonly symbols: SymbolLayout;
  readonly pieces: ReadonlyMap<string, number>;
}

/** A machine instruction: the `piece`-th one that statement `index` became. */
export function pieceKey(index: number, piece: number): string {
  return `${index}:${piece}`;
}

export class InstructionSizes {
  /** Per statement index: the size of each machine instruction it became in the last sizing pass. */
  private readonly sizes = new Map<number, number[]>();
  /** Where the last sizing pass put each machine instruction. */
  private readonly pieces = new Map<string, { section: Section; offset: number }>();
  private readonly pinned = new Set<string>();

  /** The sizes the last sizing pass chose for statement `index`; undefined during the first. */
  of(index: number): readonly number[] | undefined {
    return this.sizes.get(index);
  }

  record(index: number, sizes: number[]): void {
    this.sizes.set(index, sizes);
  }

  /** Every size chosen, to tell whether a sizing pass changed any. */
  signature(): string {
    return JSON.stringify([...this.sizes]);
  }

  /** Note where machine instruction `key` starts in this sizing pass. */
  locate(key: string, section: Section): void {
    this.pieces.set(key, { section, offset: section.size });
  }

  /** Label and instruction addresses, the sections being placed. */
  layout(symbols: SymbolLayout): PassLayout {
    return { symbols, pieces: new Map([...this.pieces].map(([key, p]) => [key, p.section.address + p.offset])) };
  }

  /**
   * The size of machine instruction `key`: 2 if `compressible`, unless it is a branch or jump
   * pinned at 4 because it once no longer reached in 2 (`previousSize`, its size last pass).
   */
  settle(key: string, compressible: boolean, pcRelative: boolean, previousSize: number | undefined): 2 | 4 {
    if (pcRelative && !compressible && previousSize === 2) this.pinned.add(key);
    return compressible && !this.pinned.has(key) ? 2 : 4;
  }
}
