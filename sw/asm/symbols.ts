/**
 * The symbols a sizing pass defines (labels, numeric labels, `.equ`/`.set`) and the evaluation of
 * expressions against them. Every evaluation names its `Site`: the statement it belongs to, and
 * the addresses known there (none while sizing; a layout when a branch is tried at the previous
 * pass's addresses, and when emitting).
 */
import { evaluate, type SymbolScope, type Value } from './expression.js';
import type { Section } from './sections.js';
import { SourceError } from './errors.js';

export interface Label {
  readonly section: Section;
  readonly offset: number;
  /** Index of the statement that defines it (numeric labels are found relative to it). */
  readonly index: number;
}

/** A numeric label's address, with its statement index. */
interface LocalAddress {
  readonly index: number;
  readonly address: number;
}

/** The addresses of every label after one placement of the sections. */
export interface SymbolLayout {
  readonly labels: ReadonlyMap<string, number>;
  readonly locals: ReadonlyMap<string, readonly LocalAddress[]>;
}

/** Where an expression is evaluated. */
export interface Site {
  /** Index of the statement: `1b` / `1f` are the nearest numeric labels before / after it. */
  readonly index: number;
  /** Label addresses and `.`; undefined while sizing, before the sections are placed. */
  readonly placed?: {
    readonly layout: SymbolLayout;
    readonly dot: number;
    /** The emitting pass: a symbol defined nowhere is an error, not a forward reference. */
    readonly final: boolean;
  };
}

/** A value, and whether it stands for an address (it used a label, a numeric label or `.`). */
interface Evaluation {
  readonly value: Value;
  readonly address: boolean;
}

export class SymbolTable {
  private readonly labels = new Map<string, Label>();
  private readonly locals = new Map<string, Label[]>();
  private readonly equates = new Map<string, { readonly expr: string; readonly index: number }>();

  /** Forget every definition: each sizing pass defines them anew. */
  clear(): void {
    this.labels.clear();
    this.locals.clear();
    this.equates.clear();
  }

  defineLabel(name: string, label: Label): void {
    if (/^\d+$/.test(name)) {
      this.locals.set(name, [...(this.locals.get(name) ?? []), label]);
      return;
    }
    if (this.labels.has(name) || this.equates.has(name)) throw new SourceError(`symbol '${name}' is already defined`);
    this.labels.set(name, label);
  }

  /** `.equ` / `.set`: a later definition replaces an earlier one. */
  defineEquate(name: string, expr: string, index: number): void {
    if (this.labels.has(name)) throw new SourceError(`symbol '${name}' is already defined`);
    this.equates.set(name, { expr, index });
  }

  isDefined(name: string): boolean {
    return this.labels.has(name) || this.equates.has(name);
  }

  label(name: string): Label | undefined {
    return this.labels.get(name);
  }

  /** Named labels, in order of definition. */
  labelEntries(): [string, Label][] {
    return [...this.labels];
  }

  /** `.equ` symbols with the index of their defining statement, in order of definition. */
  equateEntries(): [string, number][] {
    return [...this.equates].map(([name, equate]) => [name, equate.index]);
  }

  /** The addresses of every label, the sections being placed. */
  layout(): SymbolLayout {
    const address = (l: Label): number => l.section.address + l.offset;
    return {
      labels: new Map([...this.labels].map(([name, l]) => [name, address(l)])),
      locals: new Map([...this.locals].map(([name, ls]) => [name, ls.map((l) => ({ index: l.index, address: address(l) }))])),
    };
  }

  /** The value of `text` at `site`; in the emitting pass, one that stays unknown is an error. */
  value(text: string, site: Site): Value {
    return this.resolve(text, site).value;
  }

  /**
   * The pc-relative offset a branch or jump operand stands for, as in GNU as: an expression with a
   * label, a numeric label or `.` is a target address, a plain constant is the offset itself.
   */
  offset(text: string, site: Site, pc: number | undefined): Value {
    const { value, address } = this.resolve(text, site);
    if (!address) return value;
    return value === undefined || pc === undefined ? undefined : value - pc;
  }

  /** A value that decides sizes, so must be known in the sizing pass already. */
  constant(text: string, site: Site): number {
    const { value } = this.evaluate(text, site);
    if (value === undefined) throw new SourceError(`'${text}' must be a constant known at this point`);
    return value;
  }

  /** The value of `text`, which must be known (at a site of the emitting pass). */
  required(text: string, site: Site): number {
    return this.value(text, site) ?? this.undefinedSymbol(text);
  }

  /** Name the symbols that keep `text` from having a value. */
  private undefinedSymbol(text: string): never {
    const missing = [...new Set(this.missingSymbols(text, new Set()))];
    throw new SourceError(`undefined symbol${missing.length === 1 ? '' : 's'} ${missing.map((n) => `'${n}'`).join(', ') || `in '${text}'`}`);
  }

  /** Evaluate; in the emitting pass every symbol must be defined by now. */
  private resolve(text: string, site: Site): Evaluation {
    const evaluation = this.evaluate(text, site);
    if (site.placed?.final && evaluation.value === undefined) this.undefinedSymbol(text);
    return evaluation;
  }

  private evaluate(text: string, site: Site): Evaluation {
    let address = false;
    const evaluating = new Set<string>();
    const scope: SymbolScope = {
      symbol: (name) => {
        const label = this.labelAddress(name, site);
        if (label) {
          address = true;
          return label.value;
        }
        const equate = this.equates.get(name);
        if (!equate) return undefined;
        if (evaluating.has(name)) throw new SourceError(`symbol '${name}' is defined in terms of itself`);
        evaluating.add(name);
        try {
          return evaluate(equate.expr, scope);
        } finally {
          evaluating.delete(name);
        }
      },
      localLabel: (label, direction) => {
        address = true;
        return this.localAddress(label, direction, site);
      },
      dot: () => {
        address = true;
        return site.placed?.dot;
      },
    };
    return { value: evaluate(text, scope), address };
  }

  /** A label's address as seen from `site` (undefined while sizing), or undefined when `name` is no label. */
  private labelAddress(name: string, site: Site): { value: Value } | undefined {
    if (!site.placed) return this.labels.has(name) ? { value: undefined } : undefined;
    const address = site.placed.layout.labels.get(name);
    return address === undefined ? undefined : { value: address };
  }

  private localAddress(label: string, direction: 'b' | 'f', site: Site): Value {
    if (!site.placed) return undefined;
    const defs = site.placed.layout.locals.get(label) ?? [];
    const def = direction === 'b' ? defs.filter((d) => d.index <= site.index).at(-1) : defs.find((d) => d.index > site.index);
    if (!def && site.placed.final) throw new SourceError(`no local label ${label} ${direction === 'b' ? 'before' : 'after'} this line`);
    return def?.address;
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
}
