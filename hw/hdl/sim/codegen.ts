// Compiles a flat netlist into JavaScript source, run through `new Function` once per design:
// `comb()` evaluates every driven signal in schedule order; `commit()` is the clock edge (memory
// writes in port order, then registers, all from values computed before any of them changes).
// Nodes used more than once become `const` locals computed at their first use; nothing allocates
// per cycle except for signals wider than 32 bits, which use bigint.
import type { Expr } from '../expr';
import { operands } from '../expr';
import type { Schedule } from '../schedule';
import type { Signal } from '../signal';
import { isNarrow, type Layout } from './layout';

const mask = (w: number): string => (w === 32 ? '0xffffffff' : `0x${((1n << BigInt(w)) - 1n).toString(16)}`);
const bigMask = (w: number): string => `0x${((1n << BigInt(w)) - 1n).toString(16)}n`;

/** Reduces a JS number expression to an unsigned w-bit pattern (w <= 32). */
function wrap(code: string, w: number): string {
  return w === 32 ? `((${code}) >>> 0)` : `((${code}) & ${mask(w)})`;
}

/** Reads a narrow w-bit pattern as a signed int32. */
function signedOf(code: string, w: number): string {
  return w === 32 ? `(${code} | 0)` : `((${code} << ${32 - w}) >> ${32 - w})`;
}

const binaryOps = { add: '+', sub: '-', and: '&', or: '|', xor: '^' } as const;
const compareOps = { lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/** Helpers the generated code calls; written once here so that operands are evaluated once. */
const prelude = `
function parity(x) { x ^= x >>> 16; x ^= x >>> 8; x ^= x >>> 4; x ^= x >>> 2; x ^= x >>> 1; return x & 1; }
function parityBig(x) { let p = 0; while (x) { p ^= parity(Number(x & 0xffffffffn)); x >>= 32n; } return p; }
function dshl(a, b, w, m) { return b >= w ? 0 : ((a << b) & m) >>> 0; }
function dshr(a, b, w) { return b >= w ? 0 : a >>> b; }
function dsra(a, b, sh, m) { return ((((a << sh) >> sh) >> (b > 31 ? 31 : b)) & m) >>> 0; }
function dshlBig(a, b, w) { return b >= w ? 0n : BigInt.asUintN(w, a << BigInt(b)); }
function dshrBig(a, b, w) { return b >= w ? 0n : a >> BigInt(b); }
function dsraBig(a, b, w) { return BigInt.asUintN(w, BigInt.asIntN(w, a) >> BigInt(b >= w ? w - 1 : b)); }
`;

class FunctionBuilder {
  readonly lines: string[] = [];
  private readonly uses = new Map<Expr, number>();
  private readonly locals = new Map<Expr, string>();
  private counter = 0;

  constructor(
    private readonly layout: Layout,
    private readonly prefix: string,
  ) {}

  countUses(e: Expr): void {
    const n = this.uses.get(e) ?? 0;
    this.uses.set(e, n + 1);
    if (n === 0) for (const child of operands(e.node)) this.countUses(child);
  }

  /** JS code for e: a number for narrow types, a bigint for wide ones. */
  expr(e: Expr): string {
    const local = this.locals.get(e);
    if (local) return local;
    const code = this.node(e);
    const n = e.node.kind;
    if ((this.uses.get(e) ?? 0) < 2 || n === 'ref' || n === 'const') return code;
    const name = this.hold(code);
    this.locals.set(e, name);
    return name;
  }

  /** Where a signal's value lives: s[i] (narrow) or w[i] (wide). */
  slot(signal: Signal): string {
    const slot = this.layout.bySignal.get(signal)!;
    return slot.narrow ? `s[${slot.index}]` : `w[${slot.index}]`;
  }

  /** Evaluates code into a fresh local now, so later writes cannot change what it read. */
  hold(code: string): string {
    const name = `${this.prefix}${this.counter++}`;
    this.lines.push(`const ${name} = ${code};`);
    return name;
  }

  private node(e: Expr): string {
    const n = e.node;
    const w = e.width;
    const narrow = isNarrow(e.type);
    switch (n.kind) {
      case 'const':
        return narrow ? String(n.bits) : `${n.bits}n`;
      case 'ref':
        return this.slot(n.signal);
      case 'undef':
        throw new Error('internal: undefined value reached the simulator (the undriven check should have stopped it)');
      case 'memread':
        return `m${this.layout.memoryIndex.get(n.mem)}[${this.expr(n.addr)}]`;
      case 'cast':
        return this.expr(n.a);
      case 'mux':
        return `(${this.expr(n.sel)} ? ${this.expr(n.whenTrue)} : ${this.expr(n.whenFalse)})`;
      case 'binary':
        return this.binary(e, n.op, n.a, n.b);
      case 'unary': {
        const a = this.expr(n.a);
        switch (n.op) {
          case 'not':
            return narrow ? wrap(`~${a}`, w) : `(${a} ^ ${bigMask(w)})`;
          case 'neg':
            return narrow ? wrap(`-${a}`, w) : `BigInt.asUintN(${w}, -${a})`;
          case 'andr':
            return isNarrow(n.a.type) ? `(${a} === ${mask(n.a.width)} ? 1 : 0)` : `(${a} === ${bigMask(n.a.width)} ? 1 : 0)`;
          case 'orr':
            return isNarrow(n.a.type) ? `(${a} !== 0 ? 1 : 0)` : `(${a} !== 0n ? 1 : 0)`;
          case 'xorr':
            return isNarrow(n.a.type) ? `parity(${a})` : `parityBig(${a})`;
        }
      }
      case 'shift':
        return this.staticShift(e, n.op, n.a, n.amount);
      case 'dshift': {
        const a = this.expr(n.a);
        const b = this.expr(n.amount);
        if (n.op === 'shl') return narrow ? `dshl(${a}, ${b}, ${w}, ${mask(w)})` : `dshlBig(${a}, ${b}, ${w})`;
        if (!e.signed) return narrow ? `dshr(${a}, ${b}, ${w})` : `dshrBig(${a}, ${b}, ${w})`;
        return narrow ? `dsra(${a}, ${b}, ${32 - w}, ${mask(w)})` : `dsraBig(${a}, ${b}, ${w})`;
      }
      case 'slice': {
        const a = this.expr(n.a);
        if (isNarrow(n.a.type)) return n.lo === 0 && w === n.a.width ? a : wrap(`${a} >>> ${n.lo}`, w);
        const shifted = `((${a} >> ${n.lo}n) & ${bigMask(w)})`;
        return narrow ? `Number${shifted}` : shifted;
      }
      case 'cat': {
        let shift = w;
        const parts = n.parts.map((p) => {
          shift -= p.width;
          const code = this.expr(p);
          if (narrow) return shift === 0 ? code : `${code} * ${2 ** shift}`;
          const big = isNarrow(p.type) ? `BigInt(${code})` : code;
          return shift === 0 ? big : `(${big} << ${shift}n)`;
        });
        return `(${parts.join(narrow ? ' + ' : ' | ')})`;
      }
      case 'ext': {
        const a = this.expr(n.a);
        const from = n.a.width;
        const fromNarrow = isNarrow(n.a.type);
        if (!n.signExtend) return narrow || !fromNarrow ? a : `BigInt(${a})`;
        if (narrow) return wrap(signedOf(a, from), w);
        const signedValue = fromNarrow ? `BigInt(${signedOf(a, from)})` : `BigInt.asIntN(${from}, ${a})`;
        return `BigInt.asUintN(${w}, ${signedValue})`;
      }
    }
  }

  private binary(e: Expr, op: string, ea: Expr, eb: Expr): string {
    const a = this.expr(ea);
    const b = this.expr(eb);
    const w = ea.width;
    const narrowOperands = isNarrow(ea.type);
    if (op === 'eq' || op === 'ne') return `(${a} ${op === 'eq' ? '===' : '!=='} ${b} ? 1 : 0)`;
    if (op in compareOps) {
      const sym = compareOps[op as keyof typeof compareOps];
      if (!ea.signed) return `(${a} ${sym} ${b} ? 1 : 0)`;
      return narrowOperands
        ? `(${signedOf(a, w)} ${sym} ${signedOf(b, w)} ? 1 : 0)`
        : `(BigInt.asIntN(${w}, ${a}) ${sym} BigInt.asIntN(${w}, ${b}) ? 1 : 0)`;
    }
    if (op === 'mul') return this.multiply(e, ea, eb, a, b);
    const sym = binaryOps[op as keyof typeof binaryOps];
    if (!narrowOperands) return op === 'add' || op === 'sub' ? `BigInt.asUintN(${w}, ${a} ${sym} ${b})` : `(${a} ${sym} ${b})`;
    return op === 'add' || op === 'sub' || w === 32 ? wrap(`${a} ${sym} ${b}`, w) : `(${a} ${sym} ${b})`;
  }

  private multiply(e: Expr, ea: Expr, eb: Expr, a: string, b: string): string {
    const w = e.width;
    if (isNarrow(e.type)) {
      // The exact product of two operands whose widths sum to <= 32 is below 2^53.
      return e.signed ? wrap(`${signedOf(a, ea.width)} * ${signedOf(b, eb.width)}`, w) : `(${a} * ${b})`;
    }
    const big = (code: string, x: Expr): string => {
      if (!x.signed) return isNarrow(x.type) ? `BigInt(${code})` : code;
      return isNarrow(x.type) ? `BigInt(${signedOf(code, x.width)})` : `BigInt.asIntN(${x.width}, ${code})`;
    };
    return `BigInt.asUintN(${w}, ${big(a, ea)} * ${big(b, eb)})`;
  }

  private staticShift(e: Expr, op: 'shl' | 'shr', ea: Expr, amount: number): string {
    const a = this.expr(ea);
    const w = e.width;
    if (isNarrow(e.type)) {
      if (op === 'shl') return amount >= w ? '0' : wrap(`${a} << ${amount}`, w);
      if (!e.signed) return amount >= w ? '0' : `(${a} >>> ${amount})`;
      return wrap(`${signedOf(a, w)} >> ${Math.min(amount, 31)}`, w);
    }
    if (op === 'shl') return amount >= w ? '0n' : `BigInt.asUintN(${w}, ${a} << ${amount}n)`;
    if (!e.signed) return amount >= w ? '0n' : `(${a} >> ${amount}n)`;
    return `BigInt.asUintN(${w}, BigInt.asIntN(${w}, ${a}) >> ${Math.min(amount, w - 1)}n)`;
  }
}

export interface CompiledDesign {
  readonly source: string;
  readonly comb: () => void;
  readonly commit: () => void;
}

export function compile(layout: Layout, sched: Schedule, s: Uint32Array, w: bigint[], mems: readonly (Uint32Array | bigint[])[]): CompiledDesign {
  const flat = layout.flat;
  const comb = new FunctionBuilder(layout, 'c');
  for (const signal of sched.order) comb.countUses(flat.comb.get(signal)!);
  for (const signal of sched.order) comb.lines.push(`${comb.slot(signal)} = ${comb.expr(flat.comb.get(signal)!)};`);

  const commit = new FunctionBuilder(layout, 'k');
  for (const r of flat.regs) commit.countUses(r.next);
  for (const p of flat.memWrites) [p.enable, p.addr, p.data].forEach((e) => commit.countUses(e));
  // Every value is read before anything is written: the clock edge is simultaneous.
  const nexts = flat.regs.map((r) => commit.hold(commit.expr(r.next)));
  const writes = flat.memWrites.map((p) => ({
    enable: commit.hold(commit.expr(p.enable)),
    addr: commit.hold(commit.expr(p.addr)),
    data: commit.hold(commit.expr(p.data)),
    mem: layout.memoryIndex.get(p.mem)!,
  }));
  for (const wr of writes) commit.lines.push(`if (${wr.enable}) m${wr.mem}[${wr.addr}] = ${wr.data};`);
  flat.regs.forEach((r, i) => {
    const target = commit.slot(r.reg);
    if (r.reg.resetBits === undefined) {
      commit.lines.push(`${target} = ${nexts[i]};`);
    } else {
      const resetValue = isNarrow(r.reg.type) ? String(r.reg.resetBits) : `${r.reg.resetBits}n`;
      commit.lines.push(`${target} = s[${layout.reset!.index}] ? ${resetValue} : ${nexts[i]};`);
    }
  });

  const memDecls = flat.memories.map((_, i) => `const m${i} = mems[${i}];`).join('\n');
  const source = [
    '"use strict";',
    prelude,
    memDecls,
    `function comb() {\n  ${comb.lines.join('\n  ')}\n}`,
    `function commit() {\n  ${commit.lines.join('\n  ')}\n}`,
    'return { comb, commit };',
  ].join('\n');
  const factory = new Function('s', 'w', 'mems', source) as (...args: unknown[]) => { comb: () => void; commit: () => void };
  return { source, ...factory(s, w, mems) };
}
