/**
 * A linked program as the assembler produces it and the ELF writer stores it: placed sections with
 * their bytes, symbols and the entry point. The assembler builds one; nothing below it needs the
 * assembler.
 */
import type { Addr } from '../types.js';

export interface SectionFlags {
  readonly exec: boolean;
  readonly write: boolean;
  /** Occupies memory but no file bytes (.bss). */
  readonly nobits: boolean;
}

export interface AssembledSection {
  readonly name: string;
  readonly address: Addr;
  readonly size: number;
  /** Contents (all zero for a nobits section). */
  readonly bytes: Uint8Array;
  readonly flags: SectionFlags;
  readonly align: number;
}

export type SymbolKind = 'function' | 'object' | 'none';

export interface AssembledSymbol {
  readonly name: string;
  readonly value: number;
  /** Section name, or undefined for an absolute symbol (.equ). */
  readonly section: string | undefined;
  readonly global: boolean;
  readonly kind: SymbolKind;
  readonly size: number;
}

export interface AssembledProgram {
  readonly sections: readonly AssembledSection[];
  readonly symbols: readonly AssembledSymbol[];
  /** `_start` if defined, else the first executable section. */
  readonly entry: Addr;
}
