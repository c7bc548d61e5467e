// Turns expression DAGs into JavaScript statements for the generated simulator (codegen.ts). A value
// is code for each of its 32-bit words (one for up to 32 bits; words.ts has the wider operators).
// Nodes used more than once become `const` locals computed at their first use, so nothing is
// evaluated twice; the code is split into functions of bounded size, which V8 optimises.
import type { Expr } from '../expr.js';
import { operands } from '../expr.js';
import type { Signal } from '../signal.js';
import { isNarrow, type Layout } from './layout.js';
import {
  addOrSubtract,
  allOnes,
  anyOne,
  bitwise,
  compare,
  concat,
  field,
  fromBigint,
  invert,
  mask,
  parityOf,
  signedOf,
  toBigint,
  wordWidths,
  wrap,
} from './words.js';

const binaryOps = { add: '+', sub: '-', and: '&', or: '|', xor: '^' } as const;
type CompareOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
const compareOps = { lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/** Helpers the generated code calls; written once so that operands are evaluated once. */
export const prelude = `
function parity(x) { x ^= x >>> 16; x ^= x >>> 8; x ^= x >>> 4; x ^= x >>> 2; x ^= x >>> 1; return x & 1; }
function dshl(a, b, w, m) { return b >= w ? 0 : ((a << b) & m) >>> 0; }
function dshr(a, b, w) { return b >= w ? 0 : a >>> b; }
function dsra(a, b, sh, m) { return ((((a << sh) >> sh) >> (b > 31 ? 31 : b)) & m) >>> 0; }
// Bits [lo, lo + len) (len <= 32) of a value held as words in a from index base, for a shift by a
// run-time amount (the generated code cuts fields at fixed places itself): bits below 0 read 0,
// bits at or above width the sign bit when fill is 1, else 0.
function bitsOf(a, base, width, fill, lo, len) {
  let r = 0;
  for (let at = lo < 0 ? -lo : 0; at < len; ) {
    const source = lo + at;
    if (source >= width) {
      if (fill && (a[base + ((width - 1) >>> 5)] >>> ((width - 1) & 31)) & 1) r |= (-1 >>> (32 - (len - at))) << at;
      break;
    }
    const offset = source & 31;
    const count = Math.min(32 - offset, width - source, len - at);
    r |= ((a[base + (source >>> 5)] >>> offset) & (-1 >>> (32 - count))) << at;
    at += count;
  }
  return r >>> 0;
}
`;

function undefinedValue(): never {
  throw new Error('internal: undefined value reached the simulator (the undriven check should have stopped it)');
}

/** Scratch storage for values that must outlive the chunk (generated function) that computed them. */
export class Scratch {
  words = 0;

  allocate(): string {
    return `tn[${this.words++}]`;
  }

  /** `count` consecutive words; the index of the first. */
  allocateWords(count: number): number {
    this.words += count;
    return this.words - count;
  }
}

/**
 * Characters of generated code per function. V8 does not optimize very large functions (a
 * 200 kB comb function ran 80x slower than the same code in chunks), so the code is split.
 */
const chunkLimit = 16_000;

/** Code that may be repeated at no cost: a slot, a local, a literal. */
const atomPattern = /^(?:[st]n?\[\d+\]|[A-Za-z_$][\w$]*|\d+|0x[0-9a-f]+)$/;

/**
 * Generates one logical function as a sequence of chunk functions. Within a chunk, a node used
 * more than once is a `const` local (one per word); when a chunk ends, locals still needed later
 * are spilled into the scratch array. Chunks end only between top-level statements.
 */
export class FunctionBuilder {
  readonly chunks: string[][] = [[]];
  private chunkSize = 0;
  private readonly uses = new Map<Expr, number>();
  private readonly remaining = new Map<Expr, number>();
  private readonly locals = new Map<Expr, string[]>();
  private readonly spilled = new Map<Expr, string[]>();
  private counter = 0;

  constructor(
    private readonly layout: Layout,
    private readonly scratch: Scratch,
    private readonly prefix: string,
  ) {}

  countUses(e: Expr): void {
    const n = this.uses.get(e) ?? 0;
    this.uses.set(e, n + 1);
    if (n === 0) for (const child of operands(e.node)) this.countUses(child);
  }

  /** A top-level statement, with a comment saying what it computes; the chunk may end after it. */
  statement(code: string, comment: string): void {
    this.push(code, comment);
    if (this.chunkSize > chunkLimit) this.endChunk();
  }

  /** Stores e's words into `targets`, in one statement (a chunk never ends between the words). */
  assign(targets: readonly string[], e: Expr, comment: string): void {
    const words = this.value(e);
    this.statement(targets.map((target, k) => `${target} = ${words[k]};`).join(' '), comment);
  }

  /** Evaluates e now into scratch storage that any later chunk can read. */
  holdInScratch(e: Expr, comment: string): string[] {
    const slots = wordWidths(e.width).map(() => this.scratch.allocate());
    this.assign(slots, e, comment);
    return slots;
  }

  /** JS code for a value of up to 32 bits: an unsigned number. */
  expr(e: Expr): string {
    return this.value(e)[0]!;
  }

  /** Code for each word of e, which may be an expression to be used once. */
  value(e: Expr): string[] {
    const existing = this.spilled.get(e) ?? this.locals.get(e);
    if (existing) {
      this.remaining.set(e, this.remaining.get(e)! - 1);
      return existing;
    }
    const words = this.node(e);
    const n = e.node.kind;
    const uses = this.uses.get(e) ?? 0;
    if (uses < 2 || n === 'ref' || n === 'const') return words;
    const names = words.map((code) => this.bind(code));
    this.locals.set(e, names);
    this.remaining.set(e, uses - 1);
    return names;
  }

  /** Where a signal's words live: s[i], s[i + 1], ... */
  slots(signal: Signal): string[] {
    const slot = this.layout.bySignal.get(signal)!;
    return wordWidths(slot.type.width).map((_, k) => `s[${slot.index + k}]`);
  }

  /** Source of the chunk functions and of `name()`, which runs them in order. */
  functions(name: string): string {
    const bodies = this.chunks.filter((c) => c.length > 0).map((c) => c.join('\n  '));
    if (bodies.length <= 1) return `function ${name}() {\n  ${bodies[0] ?? ''}\n}`;
    const parts = bodies.map((body, i) => `function ${name}${i}() {\n  ${body}\n}`);
    return [...parts, `function ${name}() {\n  ${bodies.map((_, i) => `${name}${i}();`).join('\n  ')}\n}`].join('\n');
  }

  /** Code for each word of e that the caller may repeat (an operand of a wide operator). */
  private words(e: Expr): string[] {
    return this.value(e).map((code) => this.atom(code));
  }

  private atom(code: string): string {
    return atomPattern.test(code) ? code : this.bind(code);
  }

  /** A new local holding code's value. */
  private bind(code: string): string {
    const name = `${this.prefix}${this.counter++}`;
    this.push(`const ${name} = ${code};`);
    return name;
  }

  /** Only the code counts towards the chunk size, so comments never move a chunk boundary. */
  private push(code: string, comment?: string): void {
    this.chunks.at(-1)!.push(comment ? `${code} // ${comment}` : code);
    this.chunkSize += code.length;
  }

  private endChunk(): void {
    for (const [e, names] of this.locals) {
      if (this.remaining.get(e)! <= 0) continue;
      this.spilled.set(
        e,
        names.map((name) => {
          const slot = this.scratch.allocate();
          this.push(`${slot} = ${name};`);
          return slot;
        }),
      );
    }
    this.locals.clear();
    this.chunks.push([]);
    this.chunkSize = 0;
  }

  private node(e: Expr): string[] {
    const narrowOperands = operands(e.node).every((x) => isNarrow(x.type));
    return isNarrow(e.type) && narrowOperands ? [this.narrowNode(e)] : this.wideNode(e);
  }

  /** A value of up to 32 bits computed from values of up to 32 bits: plain JS number arithmetic. */
  private narrowNode(e: Expr): string {
    const n = e.node;
    const w = e.width;
    switch (n.kind) {
      case 'const':
        return String(n.bits);
      case 'ref':
        return this.slots(n.signal)[0]!;
      case 'undef':
        return undefinedValue();
      case 'memread':
        return `m${this.layout.memoryIndex.get(n.mem)}[${this.expr(n.addr)}]`;
      case 'cast':
        return this.expr(n.a);
      case 'mux':
        return `(${this.expr(n.sel)} ? ${this.expr(n.whenTrue)} : ${this.expr(n.whenFalse)})`;
      case 'binary':
        return this.narrowBinary(e, n.op, n.a, n.b);
      case 'unary': {
        const a = this.expr(n.a);
        switch (n.op) {
          case 'not':
            return wrap(`~${a}`, w);
          case 'neg':
            return wrap(`-${a}`, w);
          case 'andr':
            return `(${a} === ${mask(n.a.width)} ? 1 : 0)`;
          case 'orr':
            return `(${a} !== 0 ? 1 : 0)`;
          case 'xorr':
            return `parity(${a})`;
        }
      }
      case 'shift': {
        const a = this.expr(n.a);
        if (n.op === 'shl') return n.amount >= w ? '0' : wrap(`${a} << ${n.amount}`, w);
        if (!e.signed) return n.amount >= w ? '0' : `(${a} >>> ${n.amount})`;
        return wrap(`${signedOf(a, w)} >> ${Math.min(n.amount, 31)}`, w);
      }
      case 'dshift': {
        const a = this.expr(n.a);
        const b = this.expr(n.amount);
        if (n.op === 'shl') return `dshl(${a}, ${b}, ${w}, ${mask(w)})`;
        if (!e.signed) return `dshr(${a}, ${b}, ${w})`;
        return `dsra(${a}, ${b}, ${32 - w}, ${mask(w)})`;
      }
      case 'slice': {
        const a = this.expr(n.a);
        return n.lo === 0 && w === n.a.width ? a : wrap(`${a} >>> ${n.lo}`, w);
      }
      case 'cat':
        // Each part is in one piece of the single word, so it need not be a local.
        return concat(n.parts.map((p) => ({ words: [this.expr(p)], width: p.width })), w)[0]!;
      case 'ext': {
        const a = this.expr(n.a);
        return n.signExtend ? wrap(signedOf(a, n.a.width), w) : a;
      }
    }
  }

  private narrowBinary(e: Expr, op: string, ea: Expr, eb: Expr): string {
    const a = this.expr(ea);
    const b = this.expr(eb);
    const w = ea.width;
    if (op === 'eq' || op === 'ne') return `(${a} ${op === 'eq' ? '===' : '!=='} ${b} ? 1 : 0)`;
    if (op in compareOps) {
      const sym = compareOps[op as keyof typeof compareOps];
      return ea.signed ? `(${signedOf(a, w)} ${sym} ${signedOf(b, w)} ? 1 : 0)` : `(${a} ${sym} ${b} ? 1 : 0)`;
    }
    // The exact product of two operands whose widths sum to <= 32 is below 2^53.
    if (op === 'mul') return e.signed ? wrap(`${signedOf(a, ea.width)} * ${signedOf(b, eb.width)}`, e.width) : `(${a} * ${b})`;
    const sym = binaryOps[op as keyof typeof binaryOps];
    return op === 'add' || op === 'sub' || w === 32 ? wrap(`${a} ${sym} ${b}`, w) : `(${a} ${sym} ${b})`;
  }

  /** A value wider than 32 bits, or one computed from such a value (a slice, a comparison, a reduction). */
  private wideNode(e: Expr): string[] {
    const n = e.node;
    const w = e.width;
    const widths = wordWidths(w);
    switch (n.kind) {
      case 'const':
        return widths.map((_, k) => String((n.bits >> BigInt(32 * k)) & 0xffffffffn));
      case 'ref':
        return this.slots(n.signal);
      case 'undef':
        return undefinedValue();
      case 'memread': {
        const base = this.bind(`${this.expr(n.addr)} * ${widths.length}`);
        return widths.map((_, k) => `m${this.layout.memoryIndex.get(n.mem)}[${base} + ${k}]`);
      }
      case 'cast':
        return this.value(n.a);
      case 'mux': {
        const sel = this.atom(this.expr(n.sel));
        const f = this.value(n.whenFalse);
        return this.value(n.whenTrue).map((t, k) => `(${sel} ? ${t} : ${f[k]})`);
      }
      case 'binary':
        return this.wideBinary(e, n.op, n.a, n.b);
      case 'unary':
        switch (n.op) {
          case 'not':
            return invert(this.value(n.a), w);
          case 'neg':
            return addOrSubtract(widths.map(() => '0'), this.value(n.a), w, true, (code) => this.bind(code));
          case 'andr':
            return [allOnes(this.value(n.a), n.a.width)];
          case 'orr':
            return [anyOne(this.value(n.a))];
          case 'xorr':
            return [parityOf(this.value(n.a))];
        }
      case 'shift': {
        const a = this.words(n.a);
        const lo = n.op === 'shl' ? -n.amount : n.amount;
        return widths.map((bits, k) => field(a, w, n.op === 'shr' && e.signed, 32 * k + lo, bits));
      }
      case 'dshift': {
        // The operand's words go to scratch words, which bitsOf reads: no array per evaluation.
        const at = this.scratch.allocateWords(wordWidths(n.a.width).length);
        this.value(n.a).forEach((word, k) => this.push(`tn[${at + k}] = ${word};`));
        const b = this.atom(this.expr(n.amount));
        const fill = n.op === 'shr' && e.signed ? 1 : 0;
        return widths.map((bits, k) => `bitsOf(tn, ${at}, ${w}, ${fill}, ${32 * k} ${n.op === 'shl' ? '-' : '+'} ${b}, ${bits})`);
      }
      case 'slice': {
        const a = this.words(n.a);
        return widths.map((bits, k) => field(a, n.a.width, false, n.lo + 32 * k, bits));
      }
      case 'cat':
        return concat(n.parts.map((p) => ({ words: this.words(p), width: p.width })), w);
      case 'ext': {
        const a = this.words(n.a);
        return widths.map((bits, k) => field(a, n.a.width, n.signExtend, 32 * k, bits));
      }
    }
  }

  private wideBinary(e: Expr, op: string, ea: Expr, eb: Expr): string[] {
    const w = e.width;
    if (op in compareOps || op === 'eq' || op === 'ne') return [compare(this.words(ea), this.words(eb), ea.width, ea.signed, op as CompareOp)];
    if (op === 'mul') return this.wideMultiply(e, ea, eb);
    if (op === 'add' || op === 'sub') return addOrSubtract(this.value(ea), this.value(eb), w, op === 'sub', (code) => this.bind(code));
    return bitwise(this.value(ea), this.value(eb), w, binaryOps[op as 'and' | 'or' | 'xor']);
  }

  /**
   * A product wider than 32 bits. Of two narrow operands whose widths sum to <= 53 it is exact in a
   * double, whose words are its low 32 bits and its quotient by 2^32; a longer one is computed in bigint.
   */
  private wideMultiply(e: Expr, ea: Expr, eb: Expr): string[] {
    const w = e.width;
    if (isNarrow(ea.type) && isNarrow(eb.type) && w <= 53) {
      const a = this.expr(ea);
      const b = this.expr(eb);
      const product = this.bind(e.signed ? `${signedOf(a, ea.width)} * ${signedOf(b, eb.width)}` : `${a} * ${b}`);
      return [`(${product} >>> 0)`, `(Math.floor(${product} / 4294967296) & ${mask(w - 32)})`];
    }
    const product = this.bind(`BigInt.asUintN(${w}, ${toBigint(this.words(ea), ea.width, e.signed)} * ${toBigint(this.words(eb), eb.width, e.signed)})`);
    return fromBigint(product, w);
  }
}
