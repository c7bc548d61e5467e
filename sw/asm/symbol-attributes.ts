/**
 * What directives declare about symbols for the ELF symbol table: binding (`.globl`, `.weak`,
 * `.local`), type (`.type`) and size (`.size`, an expression evaluated once the program is placed).
 */
import type { SymbolKind } from '../../isa/elf/image.js';
import type { SourceLocation } from './errors.js';

export interface SizeDeclaration {
  readonly expr: string;
  readonly location: SourceLocation;
}

export class SymbolAttributes {
  /** Global symbols and where they were declared so. */
  private readonly globals = new Map<string, SourceLocation>();
  private readonly kinds = new Map<string, SymbolKind>();
  private readonly sizes = new Map<string, SizeDeclaration>();

  declareGlobal(name: string, location: SourceLocation): void {
    this.globals.set(name, location);
  }

  declareLocal(name: string): void {
    this.globals.delete(name);
  }

  /** `.type name, @function` (or %function, object, anything else: none). */
  declareType(name: string, typeText: string): void {
    const kind = typeText.replace(/^[@%]/, '');
    this.kinds.set(name, kind === 'function' ? 'function' : kind === 'object' ? 'object' : 'none');
  }

  declareSize(name: string, size: SizeDeclaration): void {
    this.sizes.set(name, size);
  }

  /** Global symbols with where they were declared, in order of declaration. */
  globalDeclarations(): [string, SourceLocation][] {
    return [...this.globals];
  }

  isGlobal(name: string): boolean {
    return this.globals.has(name);
  }

  kind(name: string): SymbolKind {
    return this.kinds.get(name) ?? 'none';
  }

  size(name: string): SizeDeclaration | undefined {
    return this.sizes.get(name);
  }
}
