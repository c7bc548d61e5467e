/**
 * GNU-style two-pass assembler for everything in the instruction table. Pass 1 sizes every statement
 * and records label offsets; the sections are then placed; pass 2 evaluates every expression with
 * final addresses and emits the bytes. One `process` function serves both passes, so they cannot
 * disagree on layout.
 */
import { CV32E40P_TABLE, type InstructionTable } from '../../isa/table';
import type { Addr } from '../../isa/types';
import { PULP_L2 } from '../../isa/platform/memory-map';
import type { AssembledProgram, AssembledSymbol, SectionFlags, SymbolKind } from '../../isa/elf/image';
import { compressed } from './compress';
import { AsmError, type SourceLocation } from './errors';
import { evaluate, parseString, type SymbolScope, type Value } from './expression';
import { encodeText } from './instructions';
import { expandPseudo, type Expansion } from './pseudo';
import { parseSource, type Statement } from './source';

export interface AssembleOptions {
  /** Name used in error messages. */
  readonly file?: string;
  /** Address of the first section not placed explicitly (default: the base of PULP L2). */
  readonly base?: Addr;
  /** Fixed addresses for named sections, e.g. { '.l1': 0x10000000 }. */
  readonly sectionAddresses?: Readonly<Record<string, Addr>>;
  readonly table?: InstructionTable;
}


class Section {
  size = 0;
  align = 4;
  address = 0;
  bytes: Uint8Array | undefined;
  constructor(
    readonly name: string,
    readonly flags: SectionFlags,
    /** Where the section first appears, for placement errors. */
    readonly location: SourceLocation,
  ) {}
}

interface Label {
  readonly section: Section;
  readonly offset: number;
  readonly index: number;
}

/** Label and instruction addresses of one sizing pass. */
interface Layout {
  readonly labels: ReadonlyMap<string, number>;
  readonly locals: ReadonlyMap<string, readonly { index: number; address: number }[]>;
  readonly pieces: ReadonlyMap<string, number>;
}

const NOP = 0x00000013;
const C_NOP = 0x0001;

function flagsFor(name: string, flagText?: string): SectionFlags {
  if (flagText !== undefined) {
    const f = flagText.replace(/"/g, '');
    return { exec: f.includes('x'), write: f.includes('w'), nobits: /^\.s?bss/.test(name) };
  }
  if (/^\.text/.test(name)) return { exec: true, write: false, nobits: false };
  if (/^\.s?bss/.test(name)) return { exec: false, write: true, nobits: true };
  if (/^\.rodata/.test(name)) return { exec: false, write: false, nobits: false };
  return { exec: false, write: true, nobits: false };
}

export function assemble(source: string, options: AssembleOptions = {}): AssembledProgram {
  return new Assembly(source, options).run();
}

class Assembly {
  private readonly statements: Statement[];
  private readonly table: InstructionTable;
  private readonly sections = new Map<string, Section>();
  private readonly labels = new Map<string, Label>();
  private readonly locals = new Map<string, Label[]>();
  private readonly equates = new Map<string, { expr: string; index: number }>();
  /** Global symbols and where they were declared so. */
  private readonly globals = new Map<string, SourceLocation>();
  private readonly kinds = new Map<string, SymbolKind>();
  private readonly sizes = new Map<string, { expr: string; location: SourceLocation }>();
  /** Per statement index: the size of each machine instruction it became (pass 1 decides). */
  private readonly instructionSizes = new Map<number, number[]>();
  /** Where each machine instruction (`statement:piece`) was put by the last sizing pass. */
  private readonly pieces = new Map<string, { section: Section; offset: number }>();
  /**
   * Branches and jumps under `.option rvc` are sized against the layout of the previous sizing
   * pass; sizing repeats until the layout is stable. A piece that had to grow back to 4 bytes is
   * pinned there, so the iteration ends.
   */
  private previous: Layout | undefined;
  private readonly pinned = new Set<string>();
  private pass: 1 | 2 = 1;
  private current!: Section;
  private index = 0;
  private rvc = false;
  private rvcStack: boolean[] = [];
  private evaluating = new Set<string>();
  /** Set when an evaluation used a label, a local label or `.`: its value is an address. */
  private addressUsed = false;
  /** While sizing a branch: resolve labels (and `.`) from this layout instead of the current pass. */
  private resolving: Layout | undefined;
  private resolvingPc = 0;

  constructor(
    source: string,
    private readonly options: AssembleOptions,
  ) {
    this.statements = parseSource(source, options.file ?? '<input>');
    this.table = options.table ?? CV32E40P_TABLE;
  }

  run(): AssembledProgram {
    const sizesKey = (): string => JSON.stringify([...this.instructionSizes]);
    for (let stable = false; !stable; ) {
      const before = sizesKey();
      this.walk(1);
      this.place();
      stable = this.previous !== undefined && sizesKey() === before;
      this.previous = this.layout();
    }
    for (const section of this.sections.values()) section.bytes = new Uint8Array(section.size);
    this.walk(2);
    return this.result();
  }

  private layout(): Layout {
    const address = (l: { section: Section; offset: number }): number => l.section.address + l.offset;
    return {
      labels: new Map([...this.labels].map(([name, l]) => [name, address(l)])),
      locals: new Map([...this.locals].map(([name, ls]) => [name, ls.map((l) => ({ index: l.index, address: address(l) }))])),
      pieces: new Map([...this.pieces].map(([key, p]) => [key, address(p)])),
    };
  }

  private walk(pass: 1 | 2): void {
    this.pass = pass;
    if (pass === 1) {
      this.labels.clear();
      this.locals.clear();
      this.equates.clear();
    }
    this.rvc = false;
    this.rvcStack = [];
    for (const section of this.sections.values()) section.size = 0;
    this.current = this.section('.text');
    this.statements.forEach((statement, index) => {
      this.index = index;
      this.at(statement.location, () => this.process(statement));
    });
  }

  /** Run `compute`, turning any error into an AsmError at `location`. */
  private at<T>(location: SourceLocation, compute: () => T): T {
    try {
      return compute();
    } catch (error) {
      if (error instanceof AsmError) throw error;
      throw new AsmError(location, error instanceof Error ? error.message : String(error));
    }
  }

  private get location(): SourceLocation {
    return this.statements[this.index]?.location ?? { file: this.options.file ?? '<input>', line: 1, text: '' };
  }

  // --- statements -------------------------------------------------------------------------------

  private process(s: Statement): void {
    for (const label of s.labels) this.defineLabel(label);
    if (s.name === '') return;
    if (s.name.startsWith('.')) this.directive(s);
    else this.instruction(s);
  }

  private defineLabel(name: string): void {
    const label = { section: this.current, offset: this.current.size, index: this.index };
    if (/^\d+$/.test(name)) {
      if (this.pass === 1) this.locals.set(name, [...(this.locals.get(name) ?? []), label]);
      return;
    }
    if (this.pass === 2) return;
    if (this.labels.has(name) || this.equates.has(name)) throw new Error(`symbol '${name}' is already defined`);
    this.labels.set(name, label);
  }

  private instruction(s: Statement): void {
    const pc = this.dot();
    const recorded = this.instructionSizes.get(this.index);
    const ctx = { value: (t: string) => this.value(t), pc, count: recorded?.length };
    const expansions: Expansion[] = expandPseudo(s.name, s.args, ctx) ?? [{ mnemonic: s.name, operands: s.operands }];
    const sizes: number[] = [];
    let address = pc;
    expansions.forEach((expansion, i) => {
      const at = address;
      const encoded = encodeText(this.table, expansion.mnemonic, expansion.operands, { value: ctx.value, offset: (t) => this.offset(t, at), pc: at });
      if (this.pass === 1) {
        const key = `${this.index}:${i}`;
        this.pieces.set(key, { section: this.current, offset: this.current.size });
        // Compress what is final already (no unresolved symbol), and branches and jumps that fit
        // at the previous layout.
        const word = !encoded.pcRelative ? encoded.word : this.rvc ? this.atPreviousLayout(key, expansion) : undefined;
        const half = this.rvc && word !== undefined ? compressed(this.table, word) : undefined;
        // Like GNU as, leave a linking jal (c.jal) at 32 bits: only the linker relaxes calls.
        const compressible = half !== undefined && !(encoded.pcRelative && this.table.lookupCompressed(half)?.mnemonic === 'c.jal');
        if (encoded.pcRelative && !compressible && recorded?.[i] === 2) this.pinned.add(key);
        const size = compressible && !this.pinned.has(key) ? 2 : 4;
        sizes.push(size);
        this.advance(size);
        return;
      }
      const word = encoded.word!;
      if (recorded![i] === 2) this.emit(compressed(this.table, word)!, 2);
      else this.emit(word, 4);
      address = address === undefined ? undefined : address + recorded![i]!;
    });
    if (this.pass === 1) this.instructionSizes.set(this.index, sizes);
  }

  private directive(s: Statement): void {
    const args = s.args;
    switch (s.name) {
      case '.text': case '.data': case '.bss': case '.rodata':
        this.current = this.section(s.name);
        return;
      case '.section':
        this.current = this.section(this.arg(args, 0), args[1]);
        return;
      case '.globl': case '.global': case '.weak':
        for (const name of args) this.globals.set(name, this.location);
        return;
      case '.local':
        for (const name of args) this.globals.delete(name);
        return;
      case '.equ': case '.set': {
        const name = this.arg(args, 0);
        if (this.pass === 1) {
          if (this.labels.has(name)) throw new Error(`symbol '${name}' is already defined`);
          this.equates.set(name, { expr: this.arg(args, 1), index: this.index });
        }
        return;
      }
      case '.word': case '.long': case '.4byte':
        return this.data(args, 4);
      case '.half': case '.short': case '.2byte':
        return this.data(args, 2);
      case '.byte':
        return this.data(args, 1);
      case '.space': case '.zero': case '.skip': {
        const count = this.constant(this.arg(args, 0));
        const fill = args[1] === undefined ? 0 : this.constant(args[1]);
        for (let i = 0; i < count; i++) this.emit(fill, 1);
        return;
      }
      case '.ascii': case '.asciz': case '.string':
        for (const text of args) {
          const bytes = parseString(text);
          if (s.name !== '.ascii') bytes.push(0);
          for (const b of bytes) this.emit(b, 1);
        }
        return;
      case '.align': case '.p2align':
        return this.alignTo(2 ** this.constant(this.arg(args, 0)));
      case '.balign':
        return this.alignTo(this.constant(this.arg(args, 0)));
      case '.option':
        return this.option(this.arg(args, 0));
      case '.type': {
        const kind = this.arg(args, 1).replace(/^[@%]/, '');
        this.kinds.set(this.arg(args, 0), kind === 'function' ? 'function' : kind === 'object' ? 'object' : 'none');
        return;
      }
      case '.size':
        this.sizes.set(this.arg(args, 0), { expr: this.arg(args, 1), location: this.location });
        return;
      // Compiler metadata that does not change the image.
      case '.file': case '.ident': case '.attribute': case '.cfi_startproc': case '.cfi_endproc':
        return;
      default:
        throw new Error(`unknown directive '${s.name}'`);
    }
  }

  private option(name: string): void {
    switch (name) {
      case 'rvc': this.rvc = true; return;
      case 'norvc': this.rvc = false; return;
      case 'push': this.rvcStack.push(this.rvc); return;
      case 'pop': this.rvc = this.rvcStack.pop() ?? false; return;
      default: throw new Error(`unknown option '${name}' (rvc, norvc, push, pop)`);
    }
  }

  private data(args: readonly string[], size: 1 | 2 | 4): void {
    for (const text of args) this.emit(this.pass === 1 ? 0 : this.required(text), size);
  }

  private alignTo(alignment: number): void {
    if (alignment < 1 || (alignment & (alignment - 1)) !== 0) throw new Error(`alignment ${alignment} is not a power of two`);
    const section = this.current;
    section.align = Math.max(section.align, alignment);
    // Executable padding is made of nops, so falling through it is harmless.
    while (section.size % alignment !== 0) {
      const gap = alignment - (section.size % alignment);
      if (section.flags.exec && section.size % 4 === 0 && gap >= 4) this.emit(NOP, 4);
      else if (section.flags.exec && section.size % 2 === 0 && gap >= 2) this.emit(C_NOP, 2);
      else this.emit(0, 1);
    }
  }

  /** A pc-relative instruction encoded with the previous layout's addresses, if it had one. */
  private atPreviousLayout(key: string, expansion: Expansion): number | undefined {
    const layout = this.previous;
    const pc = layout?.pieces.get(key);
    if (!layout || pc === undefined) return undefined;
    this.resolving = layout;
    this.resolvingPc = pc;
    try {
      return encodeText(this.table, expansion.mnemonic, expansion.operands, { value: (t) => this.value(t), offset: (t) => this.offset(t, pc), pc }).word;
    } finally {
      this.resolving = undefined;
    }
  }

  // --- bytes ------------------------------------------------------------------------------------

  private advance(size: number): void {
    this.current.size += size;
  }

  private emit(value: number, size: 1 | 2 | 4): void {
    const section = this.current;
    if (this.pass === 2 && !section.flags.nobits) {
      for (let i = 0; i < size; i++) section.bytes![section.size + i] = (value >>> (8 * i)) & 0xff;
    } else if (this.pass === 2 && value !== 0) {
      throw new Error(`section ${section.name} holds no data; only zeros can be reserved there`);
    }
    section.size += size;
  }

  private section(name: string, flagText?: string): Section {
    let section = this.sections.get(name);
    if (!section) {
      section = new Section(name, flagsFor(name, flagText), this.location);
      this.sections.set(name, section);
    }
    return section;
  }

  private place(): void {
    let cursor = this.options.base ?? PULP_L2.base;
    const placed: Section[] = [];
    for (const section of this.sections.values()) {
      if (section.size === 0) continue;
      const fixed = this.options.sectionAddresses?.[section.name];
      section.address = fixed ?? Math.ceil(cursor / section.align) * section.align;
      cursor = section.address + section.size;
      const clash = placed.find((o) => section.address < o.address + o.size && o.address < section.address + section.size);
      if (clash) throw new AsmError(section.location, `sections ${clash.name} and ${section.name} overlap`);
      placed.push(section);
    }
  }

  // --- values -----------------------------------------------------------------------------------

  private dot(): number | undefined {
    return this.pass === 1 ? undefined : this.current.address + this.current.size;
  }

  /** Symbols, local labels and `.` as seen from the current statement. */
  private scope(): SymbolScope {
    return {
      symbol: (name) => this.symbolValue(name),
      localLabel: (label, direction) => {
        this.addressUsed = true;
        if (this.resolving) return this.nearest(this.resolving.locals.get(label) ?? [], direction)?.address;
        if (this.pass === 1) return undefined;
        const def = this.nearest(this.locals.get(label) ?? [], direction);
        if (!def) throw new Error(`no local label ${label} ${direction === 'b' ? 'before' : 'after'} this line`);
        return def.section.address + def.offset;
      },
      dot: () => {
        this.addressUsed = true;
        return this.resolving ? this.resolvingPc : this.dot();
      },
    };
  }

  /** The definition of a numeric label nearest before ('b') or after ('f') the current statement. */
  private nearest<T extends { index: number }>(defs: readonly T[], direction: 'b' | 'f'): T | undefined {
    return direction === 'b' ? defs.filter((d) => d.index <= this.index).at(-1) : defs.find((d) => d.index > this.index);
  }

  /** See InstructionContext.offset. */
  private offset(text: string, pc: number | undefined): Value {
    this.addressUsed = false;
    const value = this.value(text);
    if (!this.addressUsed) return value;
    return value === undefined || pc === undefined ? undefined : value - pc;
  }

  private symbolValue(name: string): number | undefined {
    if (this.resolving?.labels.has(name)) {
      this.addressUsed = true;
      return this.resolving.labels.get(name);
    }
    const label = this.labels.get(name);
    if (label) {
      this.addressUsed = true;
      return this.pass === 1 ? undefined : label.section.address + label.offset;
    }
    const equate = this.equates.get(name);
    if (!equate) return undefined;
    if (this.evaluating.has(name)) throw new Error(`symbol '${name}' is defined in terms of itself`);
    this.evaluating.add(name);
    try {
      return evaluate(equate.expr, this.scope());
    } finally {
      this.evaluating.delete(name);
    }
  }

  /** Pass 1: undefined when unknown; pass 2: a number, or an error naming the undefined symbol. */
  private value(text: string): Value {
    const value = evaluate(text, this.scope());
    return this.pass === 2 && value === undefined ? this.undefinedSymbol(text) : value;
  }

  private required(text: string): number {
    return this.value(text) ?? this.undefinedSymbol(text);
  }

  /** Values that decide sizes must be known in pass 1 already. */
  private constant(text: string): number {
    const value = evaluate(text, this.scope());
    if (value === undefined) throw new Error(`'${text}' must be a constant known at this point`);
    return value;
  }

  private undefinedSymbol(text: string): never {
    const missing = [...new Set(this.missingSymbols(text, new Set()))];
    throw new Error(`undefined symbol${missing.length === 1 ? '' : 's'} ${missing.map((n) => `'${n}'`).join(', ') || `in '${text}'`}`);
  }

  /** The symbols `text` needs that are defined nowhere, following .equ definitions. */
  private missingSymbols(text: string, seen: Set<string>): string[] {
    const names = (text.match(/(?<![\w.$])%?[A-Za-z_.$][\w.$]*/g) ?? []).filter((n) => n !== '.' && !n.startsWith('%'));
    return names.flatMap((name) => {
      if (seen.has(name) || this.labels.has(name)) return [];
      seen.add(name);
      const equate = this.equates.get(name);
      return equate ? this.missingSymbols(equate.expr, seen) : [name];
    });
  }

  private arg(args: readonly string[], i: number): string {
    const value = args[i];
    if (value === undefined || value === '') throw new Error(`missing operand ${i + 1}`);
    return value;
  }

  private result(): AssembledProgram {
    for (const [name, location] of this.globals) {
      if (!this.labels.has(name) && !this.equates.has(name)) throw new AsmError(location, `global symbol '${name}' is never defined`);
    }
    const sections = [...this.sections.values()]
      .filter((s) => s.size > 0)
      .map((s) => ({ name: s.name, address: s.address, size: s.size, bytes: s.bytes!, flags: s.flags, align: s.align }));
    const sizeOf = (name: string): number => {
      const size = this.sizes.get(name);
      return size === undefined ? 0 : this.at(size.location, () => this.required(size.expr));
    };
    const symbols: AssembledSymbol[] = [
      ...[...this.labels].map(([name, label]) => ({
        name, value: label.section.address + label.offset, section: label.section.name,
        global: this.globals.has(name), kind: this.kinds.get(name) ?? 'none', size: sizeOf(name),
      })),
      ...[...this.equates].map(([name, equate]) => ({
        name, value: this.at(this.statements[equate.index]!.location, () => this.required(name)), section: undefined,
        global: this.globals.has(name), kind: 'none' as const, size: 0,
      })),
    ];
    const start = this.labels.get('_start');
    const text = sections.find((s) => s.flags.exec);
    return { sections, symbols, entry: start ? start.section.address + start.offset : text?.address ?? 0 };
  }
}
