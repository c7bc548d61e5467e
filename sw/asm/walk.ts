/**
 * One pass over the statements. The same code serves both kinds of pass, so they cannot disagree
 * on layout: a sizing pass defines the symbols and decides every size, the sections not placed
 * yet; the emitting pass evaluates every expression with final addresses and writes the bytes.
 */
import type { InstructionTable } from '../../isa/table.js';
import { compressed } from './compress.js';
import { atLocation, SourceError, type SourceLocation } from './errors.js';
import { parseString, type Value } from './expression.js';
import { encodeText, type EncodedInstruction } from './instructions.js';
import { pieceKey, type InstructionSizes, type PassLayout } from './instruction-sizes.js';
import { operandMismatch } from './operand-mismatch.js';
import { expandPseudo, type Expansion } from './pseudo.js';
import type { Section, Sections } from './sections.js';
import type { Statement } from './source.js';
import type { SymbolAttributes } from './symbol-attributes.js';
import type { Site, SymbolLayout, SymbolTable } from './symbols.js';

/** What the passes over one source build together. */
export interface Assembly {
  readonly statements: readonly Statement[];
  /** Name of the source, for errors. */
  readonly file: string;
  readonly table: InstructionTable;
  readonly sections: Sections;
  readonly symbols: SymbolTable;
  readonly attributes: SymbolAttributes;
  readonly sizes: InstructionSizes;
}

export type Pass =
  /** Branches and jumps under `.option rvc` are tried at the `previous` sizing pass's layout, if any. */
  | { readonly kind: 'sizing'; readonly previous: PassLayout | undefined }
  /** The sections are placed as `layout` says. */
  | { readonly kind: 'emitting'; readonly layout: SymbolLayout };

/** Walk every statement in `pass`; returns the site where the source ends. */
export function walk(assembly: Assembly, pass: Pass): Site {
  return new Walk(assembly, pass).run();
}

class Walk {
  private current: Section;
  /** The statement being processed. */
  private index = 0;
  private rvc = false;
  private readonly rvcStack: boolean[] = [];

  constructor(
    private readonly assembly: Assembly,
    private readonly pass: Pass,
  ) {
    this.current = assembly.sections.get('.text', this.location);
  }

  run(): Site {
    if (this.pass.kind === 'sizing') this.assembly.symbols.clear();
    this.assembly.sections.rewind();
    this.assembly.statements.forEach((statement, index) => {
      this.index = index;
      atLocation(statement.location, () => this.process(statement));
    });
    return this.site();
  }

  private get location(): SourceLocation {
    return this.assembly.statements[this.index]?.location ?? { file: this.assembly.file, line: 1, text: '' };
  }

  /** The current statement and, once the sections are placed, the address of the next byte. */
  private site(): Site {
    if (this.pass.kind === 'sizing') return { index: this.index };
    return { index: this.index, placed: { layout: this.pass.layout, dot: this.current.end, final: true } };
  }

  private dot(): number | undefined {
    return this.site().placed?.dot;
  }

  private value(text: string): Value {
    return this.assembly.symbols.value(text, this.site());
  }

  private constant(text: string): number {
    return this.assembly.symbols.constant(text, this.site());
  }

  private process(s: Statement): void {
    for (const label of s.labels) this.defineLabel(label);
    if (s.name === '') return;
    if (s.name.startsWith('.')) this.directive(s);
    else this.instruction(s);
  }

  /** Sizing defines the labels; the emitting pass finds them where sizing left them. */
  private defineLabel(name: string): void {
    if (this.pass.kind === 'sizing') this.assembly.symbols.defineLabel(name, { section: this.current, offset: this.current.size, index: this.index });
  }

  // --- instructions -----------------------------------------------------------------------------

  private instruction(s: Statement): void {
    const { table, symbols, sizes } = this.assembly;
    const recorded = sizes.of(this.index);
    const value = (text: string): Value => this.value(text);
    const expansions: Expansion[] = expandPseudo(s.name, s.args, { value, pc: this.dot(), count: recorded?.length }) ?? [{ mnemonic: s.name, operands: s.operands }];
    const chosen: number[] = [];
    expansions.forEach((expansion, i) => {
      const pc = this.dot();
      // A pseudo-instruction's operands that its expansion does not take are the pseudo's error.
      const encoded = encodeText(table, expansion.mnemonic, expansion.operands, { value, offset: (t) => symbols.offset(t, this.site(), pc), pc });
      if (encoded === undefined) throw operandMismatch(table, s.name);
      if (this.pass.kind === 'sizing') chosen.push(this.sizePiece(this.pass.previous, pieceKey(this.index, i), expansion, encoded, recorded?.[i]));
      else this.emitPiece(encoded.word!, recorded![i]!);
    });
    if (this.pass.kind === 'sizing') sizes.record(this.index, chosen);
  }

  /** Decide the size of a machine instruction and make room for it. */
  private sizePiece(previous: PassLayout | undefined, key: string, expansion: Expansion, encoded: EncodedInstruction, previousSize: number | undefined): 2 | 4 {
    const { table, sizes } = this.assembly;
    sizes.locate(key, this.current);
    // Compress what is final already (no unresolved symbol), and branches and jumps that fit at
    // the previous layout.
    const word = !encoded.pcRelative ? encoded.word : this.rvc && previous ? this.encodeAt(previous, key, expansion) : undefined;
    const half = this.rvc && word !== undefined ? compressed(table, word) : undefined;
    // Like GNU as, leave a linking jal (c.jal) at 32 bits: only the linker relaxes calls.
    const compressible = half !== undefined && !(encoded.pcRelative && table.lookupCompressed(half)?.mnemonic === 'c.jal');
    const size = sizes.settle(key, compressible, encoded.pcRelative, previousSize);
    this.current.put(0, size);
    return size;
  }

  /** A pc-relative instruction encoded with the addresses of a previous layout, if it was there. */
  private encodeAt(previous: PassLayout, key: string, expansion: Expansion): number | undefined {
    const pc = previous.pieces.get(key);
    if (pc === undefined) return undefined;
    const { table, symbols } = this.assembly;
    const site: Site = { index: this.index, placed: { layout: previous.symbols, dot: pc, final: false } };
    return encodeText(table, expansion.mnemonic, expansion.operands, { value: (t) => symbols.value(t, site), offset: (t) => symbols.offset(t, site, pc), pc })?.word;
  }

  private emitPiece(word: number, size: number): void {
    if (size === 2) this.current.put(compressed(this.assembly.table, word)!, 2);
    else this.current.put(word, 4);
  }

  // --- directives -------------------------------------------------------------------------------

  private directive(s: Statement): void {
    const { sections, symbols, attributes } = this.assembly;
    const args = s.args;
    switch (s.name) {
      case '.text': case '.data': case '.bss': case '.rodata':
        this.current = sections.get(s.name, this.location);
        return;
      case '.section':
        this.current = sections.get(this.arg(args, 0), this.location, args[1]);
        return;
      case '.globl': case '.global': case '.weak':
        for (const name of args) attributes.declareGlobal(name, this.location);
        return;
      case '.local':
        for (const name of args) attributes.declareLocal(name);
        return;
      case '.equ': case '.set': {
        const name = this.arg(args, 0);
        if (this.pass.kind === 'sizing') symbols.defineEquate(name, this.arg(args, 1), this.index);
        return;
      }
      case '.word': case '.long': case '.4byte':
        return this.data(args, 4);
      case '.half': case '.short': case '.2byte':
        return this.data(args, 2);
      case '.byte':
        return this.data(args, 1);
      case '.space': case '.zero': case '.skip': {
        const fill = args[1] === undefined ? 0 : this.constant(args[1]);
        return this.current.reserve(this.constant(this.arg(args, 0)), fill);
      }
      case '.ascii': case '.asciz': case '.string':
        for (const text of args) {
          const bytes = parseString(text);
          if (s.name !== '.ascii') bytes.push(0);
          for (const b of bytes) this.current.put(b, 1);
        }
        return;
      case '.align': case '.p2align':
        return this.current.alignTo(2 ** this.alignmentExponent(this.constant(this.arg(args, 0))));
      case '.balign':
        return this.current.alignTo(this.constant(this.arg(args, 0)));
      case '.option':
        return this.option(this.arg(args, 0));
      case '.type': {
        const type = this.arg(args, 1);
        attributes.declareType(this.arg(args, 0), type);
        return;
      }
      case '.size':
        attributes.declareSize(this.arg(args, 0), { expr: this.arg(args, 1), location: this.location });
        return;
      // Compiler metadata that does not change the image.
      case '.file': case '.ident': case '.attribute': case '.cfi_startproc': case '.cfi_endproc':
        return;
      default:
        throw new SourceError(`unknown directive '${s.name}'`);
    }
  }

  private option(name: string): void {
    switch (name) {
      case 'rvc': this.rvc = true; return;
      case 'norvc': this.rvc = false; return;
      case 'push': this.rvcStack.push(this.rvc); return;
      case 'pop': this.rvc = this.rvcStack.pop() ?? false; return;
      default: throw new SourceError(`unknown option '${name}' (rvc, norvc, push, pop)`);
    }
  }

  /** Values are known only when emitting; sizing counts their bytes. */
  private data(args: readonly string[], size: 1 | 2 | 4): void {
    for (const text of args) this.current.put(this.pass.kind === 'sizing' ? 0 : this.assembly.symbols.required(text, this.site()), size);
  }

  /** `.align n` and `.p2align n` align to 2^n; past 2^31 the alignment leaves the address space. */
  private alignmentExponent(exponent: number): number {
    if (exponent < 0 || exponent > 31) throw new SourceError(`the alignment exponent must be from 0 to 31, got ${exponent}`);
    return exponent;
  }

  private arg(args: readonly string[], i: number): string {
    const value = args[i];
    if (value === undefined || value === '') throw new SourceError(`missing operand ${i + 1}`);
    return value;
  }
}
