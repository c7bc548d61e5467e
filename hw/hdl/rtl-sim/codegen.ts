// Compiles a flat netlist into JavaScript source, run once per design through compileGenerated
// (named `rtl-<top module>`, so profilers and stack traces name it; NMSPARSE_DUMP_CODE dumps it):
// `comb()` evaluates every driven signal in schedule order; `commit()` is the clock edge (memory
// writes in port order, then registers, all from values computed before any of them changes);
// `cone_<input>()` evaluates only the signals an input reaches (cones.ts), for a change of it alone.
// Nodes used more than once become `const` locals computed at their first use; nothing allocates
// per cycle except for signals wider than 32 bits, which use bigint. For a person reading the code,
// it opens with a map of the storage slots and each statement ends with a comment naming the
// signal it computes; comments change nothing that runs.
import { compileGenerated } from '../../../util/generated-code.js';
import type { Expr } from '../expr.js';
import { operands } from '../expr.js';
import type { Memory } from '../memory.js';
import type { Schedule } from '../schedule.js';
import type { Signal } from '../signal.js';
import { typeName } from '../types.js';
import { inputCones } from './cones.js';
import { isNarrow, type Layout } from './layout.js';

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

/** Scratch storage for values that must outlive the chunk (generated function) that computed them. */
class Scratch {
  narrow = 0;
  wide = 0;

  allocate(narrow: boolean): string {
    return narrow ? `tn[${this.narrow++}]` : `tw[${this.wide++}]`;
  }
}

/**
 * Characters of generated code per function. V8 does not optimize very large functions (a
 * 200 kB comb function ran 80x slower than the same code in chunks), so the code is split.
 */
const chunkLimit = 16_000;

/**
 * Generates one logical function as a sequence of chunk functions. Within a chunk, a node used
 * more than once is a `const` local; when a chunk ends, locals still needed later are spilled into
 * the scratch arrays. Chunks end only between top-level statements.
 */
class FunctionBuilder {
  readonly chunks: string[][] = [[]];
  private chunkSize = 0;
  private readonly uses = new Map<Expr, number>();
  private readonly remaining = new Map<Expr, number>();
  private readonly locals = new Map<Expr, string>();
  private readonly spilled = new Map<Expr, string>();
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

  /** Evaluates code now into scratch storage that any later chunk can read. */
  holdInScratch(code: string, narrow: boolean, comment: string): string {
    const slot = this.scratch.allocate(narrow);
    this.statement(`${slot} = ${code};`, comment);
    return slot;
  }

  /** JS code for e: a number for narrow types, a bigint for wide ones. */
  expr(e: Expr): string {
    const existing = this.spilled.get(e) ?? this.locals.get(e);
    if (existing) {
      this.remaining.set(e, this.remaining.get(e)! - 1);
      return existing;
    }
    const code = this.node(e);
    const n = e.node.kind;
    const uses = this.uses.get(e) ?? 0;
    if (uses < 2 || n === 'ref' || n === 'const') return code;
    const name = `${this.prefix}${this.counter++}`;
    this.push(`const ${name} = ${code};`);
    this.locals.set(e, name);
    this.remaining.set(e, uses - 1);
    return name;
  }

  /** Only the code counts towards the chunk size, so comments never move a chunk boundary. */
  private push(code: string, comment?: string): void {
    this.chunks.at(-1)!.push(comment ? `${code} // ${comment}` : code);
    this.chunkSize += code.length;
  }

  private endChunk(): void {
    for (const [e, name] of this.locals) {
      if (this.remaining.get(e)! <= 0) continue;
      const slot = this.scratch.allocate(isNarrow(e.type));
      this.push(`${slot} = ${name};`);
      this.spilled.set(e, slot);
    }
    this.locals.clear();
    this.chunks.push([]);
    this.chunkSize = 0;
  }

  /** Source of the chunk functions and of `name()`, which runs them in order. */
  functions(name: string): string {
    const bodies = this.chunks.filter((c) => c.length > 0).map((c) => c.join('\n  '));
    if (bodies.length <= 1) return `function ${name}() {\n  ${bodies[0] ?? ''}\n}`;
    const parts = bodies.map((body, i) => `function ${name}${i}() {\n  ${body}\n}`);
    return [...parts, `function ${name}() {\n  ${bodies.map((_, i) => `${name}${i}();`).join('\n  ')}\n}`].join('\n');
  }

  /** Where a signal's value lives: s[i] (narrow) or w[i] (wide). */
  slot(signal: Signal): string {
    const slot = this.layout.bySignal.get(signal)!;
    return slot.narrow ? `s[${slot.index}]` : `w[${slot.index}]`;
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
  /** Per input (in the order given to compile), re-evaluates only what that input reaches. */
  readonly cones: readonly (() => void)[];
}

/** The opening comment: what the code simulates and which signal each storage slot holds. */
function slotMap(layout: Layout): string {
  const flat = layout.flat;
  const lines = [
    `RTL simulation of ${flat.name}, generated by nmsparse from the flattened netlist.`,
    's[i]: signals of up to 32 bits, w[i]: wider signals (bigint), m<i>: memories, tn/tw: scratch (values carried between chunks or held across the clock edge).',
    ...layout.slots.map((slot) => `${slot.narrow ? 's' : 'w'}[${slot.index}] ${slot.path}: ${slot.signal?.role ?? 'input'} ${typeName(slot.type)}`),
    ...flat.memories.map((mem, i) => `m${i} ${mem.path}: memory of ${mem.depth} x ${typeName(mem.type)}`),
  ];
  return lines.map((line) => `// ${line}`).join('\n');
}

/** Code that computes `signals` (in schedule order) from their drivers, as the function `name`. */
function combFunction(layout: Layout, scratch: Scratch, signals: readonly Signal[], name: string, prefix: string): string {
  const builder = new FunctionBuilder(layout, scratch, prefix);
  for (const signal of signals) builder.countUses(layout.flat.comb.get(signal)!);
  for (const signal of signals) builder.statement(`${builder.slot(signal)} = ${builder.expr(layout.flat.comb.get(signal)!)};`, signal.path);
  return builder.functions(name);
}

export function compile(
  layout: Layout,
  sched: Schedule,
  inputs: readonly Signal[],
  s: Uint32Array,
  w: bigint[],
  mems: readonly (Uint32Array | bigint[])[],
): CompiledDesign {
  const flat = layout.flat;
  const scratch = new Scratch();
  const comb = combFunction(layout, scratch, sched.order, 'comb', 'c');
  const coneNames = inputs.map((input) => `cone_${input.path.replace(/\W/g, '_')}`);
  const cones = inputCones(flat, sched, inputs).map((cone, i) => combFunction(layout, scratch, cone, coneNames[i]!, `i${i}_`));

  const commit = new FunctionBuilder(layout, scratch, 'k');
  for (const r of flat.regs) commit.countUses(r.next);
  for (const p of flat.memWrites) [p.enable, p.addr, p.data].forEach((e) => commit.countUses(e));
  // Every value is read before anything is written: the clock edge is simultaneous.
  const held = (e: Expr, comment: string): string => commit.holdInScratch(commit.expr(e), isNarrow(e.type), comment);
  const nexts = flat.regs.map((r) => held(r.next, `next ${r.reg.path}`));
  const portsSoFar = new Map<Memory, number>();
  const writes = flat.memWrites.map((p) => {
    const port = portsSoFar.get(p.mem) ?? 0;
    portsSoFar.set(p.mem, port + 1);
    const what = `${p.mem.path} write port ${port}`;
    return { what, enable: held(p.enable, `${what} enable`), addr: held(p.addr, `${what} address`), data: held(p.data, `${what} data`), mem: layout.memoryIndex.get(p.mem)! };
  });
  for (const wr of writes) commit.statement(`if (${wr.enable}) m${wr.mem}[${wr.addr}] = ${wr.data};`, wr.what);
  flat.regs.forEach((r, i) => {
    const target = commit.slot(r.reg);
    if (r.reg.resetBits === undefined) {
      commit.statement(`${target} = ${nexts[i]};`, r.reg.path);
    } else {
      const resetValue = isNarrow(r.reg.type) ? String(r.reg.resetBits) : `${r.reg.resetBits}n`;
      commit.statement(`${target} = s[${layout.reset!.index}] ? ${resetValue} : ${nexts[i]};`, r.reg.path);
    }
  });

  const memDecls = flat.memories.map((mem, i) => `const m${i} = mems[${i}]; // ${mem.path}`).join('\n');
  const body = [
    '"use strict";',
    slotMap(layout),
    prelude,
    memDecls,
    `const tn = new Uint32Array(${scratch.narrow});`,
    `const tw = new Array(${scratch.wide}).fill(0n);`,
    comb,
    commit.functions('commit'),
    `// The fan-out cone of each input (cones.ts), for a change of that input alone.`,
    ...cones,
    `return { comb, commit, cones: [${coneNames.join(', ')}] };`,
  ].join('\n');
  const { value, source } = compileGenerated<Omit<CompiledDesign, 'source'>>(`rtl-${flat.name}`, ['s', 'w', 'mems'], body, [s, w, mems]);
  return { source, ...value };
}
