// Prints expression DAGs as Verilog. Verilog sizes an operator by its context (the assignment target,
// the other operand, a concatenation...), which can silently differ from the HDL's strict rules; so
// every operator gets its own sized temporary wire unless it is the root of an assignment, whose
// target has exactly the operator's type. Only names, constants, part-selects of names, $signed/
// $unsigned of those and memory reads at a named address appear as operands. Nodes used more than
// once are printed once, as a temporary.
import type { Expr } from '../../hw/hdl/index.js';
import { operands } from '../../hw/hdl/expr.js';
import type { Memory } from '../../hw/hdl/memory.js';
import type { Signal } from '../../hw/hdl/signal.js';
import { declType, verilogLiteral } from './literal.js';

const binarySymbols = { add: '+', sub: '-', mul: '*', and: '&', or: '|', xor: '^', eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;
const unarySymbols = { not: '~', neg: '-', andr: '&', orr: '|', xorr: '^' } as const;

export interface TempDecl {
  readonly name: string;
  readonly text: string;
}

/** Lint waiver for temporaries that are only ever part-selected: dropping those bits is the design's intent. */
const waiveUnused = (text: string): string => `/* verilator lint_off UNUSEDSIGNAL */\n${text}\n/* verilator lint_on UNUSEDSIGNAL */`;

export class ExpressionPrinter {
  private readonly tempDecls: TempDecl[] = [];
  private readonly tempNames = new Map<Expr, string>();
  /** Temporaries read as a whole somewhere; the others are only part-selected. */
  private readonly wholeUse = new Set<string>();
  private readonly uses = new Map<Expr, number>();
  private readonly counters = new Map<string, number>();
  private owner = '';

  constructor(
    private readonly signalName: (s: Signal) => string,
    private readonly memoryName: (m: Memory) => string,
  ) {}

  /** Counts how often each node is referenced; call for every root before printing any. */
  countUses(root: Expr): void {
    const n = this.uses.get(root) ?? 0;
    this.uses.set(root, n + 1);
    if (n === 0) for (const child of operands(root.node)) this.countUses(child);
  }

  /** Declarations of the temporaries, in dependency order. */
  get temps(): string[] {
    return this.tempDecls.map((t) => (this.wholeUse.has(t.name) ? t.text : waiveUnused(t.text)));
  }

  /** Operand text for each value (a name, constant or part-select), creating temporaries as needed. */
  operands(values: readonly Expr[], owner: string): string[] {
    this.owner = owner;
    return values.map((v) => this.operand(v));
  }

  /** The expression as the right-hand side of an assignment to something named `owner`. */
  root(e: Expr, owner: string): string {
    this.owner = owner;
    return this.operator(e);
  }

  private operand(e: Expr): string {
    const n = e.node;
    switch (n.kind) {
      case 'const':
        return verilogLiteral(n.bits, e.type);
      case 'ref':
        return this.signalName(n.signal);
      case 'slice': {
        const base = this.named(n.a, false);
        if (n.a.width === 1) return this.named(n.a);
        return n.hi === n.lo ? `${base}[${n.lo}]` : `${base}[${n.hi}:${n.lo}]`;
      }
      case 'cast':
        return `${e.signed ? '$signed' : '$unsigned'}(${this.operand(n.a)})`;
      default:
        return this.named(e);
    }
  }

  /** A plain identifier for e: its signal name, or a temporary wire holding it. */
  private named(e: Expr, whole = true): string {
    if (e.node.kind === 'ref') return this.signalName(e.node.signal);
    let name = this.tempNames.get(e);
    if (!name) {
      const text = this.operator(e);
      const k = this.counters.get(this.owner) ?? 0;
      this.counters.set(this.owner, k + 1);
      name = `_${this.owner}_${k}`;
      this.tempNames.set(e, name);
      this.tempDecls.push({ name, text: `${declType('wire', e.type)} ${name} = ${text};` });
    }
    if (whole) this.wholeUse.add(name);
    return name;
  }

  /** A mux branch: nested muxes used once stay inline as a readable ?: chain. */
  private branch(e: Expr): string {
    if (e.node.kind === 'mux' && (this.uses.get(e) ?? 0) <= 1) return `(${this.operator(e)})`;
    return this.operand(e);
  }

  private operator(e: Expr): string {
    const n = e.node;
    switch (n.kind) {
      case 'const':
      case 'ref':
      case 'slice':
      case 'cast':
        return this.operand(e);
      case 'binary':
        return `${this.operand(n.a)} ${binarySymbols[n.op]} ${this.operand(n.b)}`;
      case 'unary':
        return `${unarySymbols[n.op]}${this.operand(n.a)}`;
      case 'shift':
      case 'dshift': {
        const symbol = n.op === 'shl' ? '<<' : n.a.signed ? '>>>' : '>>';
        const amount = n.kind === 'shift' ? String(n.amount) : this.operand(n.amount);
        return `${this.operand(n.a)} ${symbol} ${amount}`;
      }
      case 'cat':
        return `{${this.runs(n.parts.map((p) => this.operand(p))).join(', ')}}`;
      case 'ext': {
        const extra = e.width - n.a.width;
        const a = this.operand(n.a);
        const fill = n.signExtend ? `{${extra}{${n.a.width === 1 ? a : `${this.named(n.a, false)}[${n.a.width - 1}]`}}}` : `${extra}'d0`;
        const bits = `{${fill}, ${a}}`;
        return e.signed ? `$signed(${bits})` : bits;
      }
      case 'mux':
        return `${this.operand(n.sel)} ? ${this.branch(n.whenTrue)} : ${this.branch(n.whenFalse)}`;
      case 'memread':
        return `${this.memoryName(n.mem)}[${this.operand(n.addr)}]`;
      case 'undef':
        throw new Error('internal: undefined value reached the Verilog emitter (the undriven check should have stopped it)');
    }
  }

  /** Collapses runs of identical parts into Verilog replications: {a, a, a} -> {3{a}}. */
  private runs(parts: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < parts.length; ) {
      let j = i;
      while (j < parts.length && parts[j] === parts[i]) j++;
      out.push(j - i > 1 ? `{${j - i}{${parts[i]}}}` : parts[i]!);
      i = j;
    }
    return out;
  }
}
