/**
 * HDL elaboration fed random small designs, written through the same builder calls a designer
 * makes and full of the usual mistakes: widths that do not match, bad widths and names, signals
 * never driven or driven twice, combinational loops, memories with bad depths and ports, children
 * with bad parameters. Elaboration refuses a design only with an HdlError; a design it accepts is
 * emitted as Verilog and runs in the RTL simulator for a few cycles without an exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emitVerilog } from '../../gen/verilog/index.js';
import {
  cat, defineModule, elaborate, Expr, HdlError, type HdlType, lit, type Memory, type ModuleBuilder, mux, type Operand, S, SInt, type Signal, U, UInt,
} from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/simulator.js';
import { fuzzParameters, fuzzTimeout, unlessRefused } from './support.js';

// --- recipes: a design as data, so that fast-check can build, print and shrink it ---------------

type ExprRecipe =
  | { op: 'ref'; index: number }
  | { op: 'lit'; value: number; width: number; signed: boolean; written: 'lit' | 'U/S' }
  | { op: 'number'; value: number }
  | { op: 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'; a: ExprRecipe; b: ExprRecipe; fit: boolean }
  | { op: 'not' | 'neg' | 'andR' | 'orR' | 'xorR' | 'asUInt' | 'asSInt' | 'msb'; a: ExprRecipe }
  | { op: 'bits'; a: ExprRecipe; hi: number; lo: number; fit: boolean }
  | { op: 'zext' | 'sext' | 'trunc' | 'resize'; a: ExprRecipe; width: number; fit: boolean }
  | { op: 'shl' | 'shr'; a: ExprRecipe; amount: number | ExprRecipe; fit: boolean }
  | { op: 'rep'; a: ExprRecipe; count: number }
  | { op: 'cat'; parts: ExprRecipe[] }
  | { op: 'mux'; sel: ExprRecipe; a: ExprRecipe; b: ExprRecipe; fit: boolean }
  | { op: 'memread'; mem: number; addr: ExprRecipe; fit: boolean };

type Item =
  | { kind: 'signal'; role: 'input' | 'output' | 'wire' | 'reg'; name: string; width: number; signed: boolean; reset: number | null }
  | { kind: 'mem'; name: string; width: number; depth: number; init: number[] }
  | { kind: 'instance'; name: string; child: 'pass' | 'delay'; width: number }
  | { kind: 'node'; name: string; value: ExprRecipe }
  | { kind: 'assign'; target: number; value: ExprRecipe; fit: boolean }
  | { kind: 'when'; cond: ExprRecipe; then: Item[]; elseWhen: ExprRecipe | null; otherwise: Item[] | null; fit: boolean }
  | { kind: 'switch'; selector: ExprRecipe; cases: [number[], Item[]][]; otherwise: Item[] | null }
  | { kind: 'memwrite'; mem: number; addr: ExprRecipe; data: ExprRecipe; enable: ExprRecipe | null; fit: boolean }
  | { kind: 'unused'; value: ExprRecipe };

/**
 * Most operands are made to fit (resized to the type the operation needs, `fit`), so that most
 * designs get past the operator checks to the later passes, the Verilog and the simulator; the
 * others keep the mistake as drawn.
 */
const fit = fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) });
/** Mostly a value of `good`, now and then one of `bad`. */
const mostly = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>, odds = 12): fc.Arbitrary<T> => fc.oneof({ weight: odds, arbitrary: good }, { weight: 1, arbitrary: bad });
const widths = mostly(fc.constantFrom(1, 2, 3, 4, 8, 16, 32, 33, 64), fc.constantFrom(0, -1, 1.5, Number.NaN, Infinity), 40);
const values = mostly(fc.integer({ min: 0, max: 1 }), fc.integer({ min: -300, max: 300 }), 20);
const names = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('a', 'b', 'c', 'd', 'count', 'data', 'sum', 'u_pass') },
  { weight: 1, arbitrary: fc.constantFrom('reg', 'module', 'logic', '_tmp', '2x', 'a.b', 'a__b', 'clk', 'rst', '', 'Wire', 'always', 'a b') },
);
const small = fc.integer({ min: -2, max: 70 });

const { expr } = fc.letrec<{ expr: ExprRecipe }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ op: fc.constant('ref' as const), index: fc.nat() }),
    fc.record({ op: fc.constant('lit' as const), value: values, width: widths, signed: fc.boolean(), written: fc.constantFrom('lit', 'U/S') }),
    fc.record({ op: fc.constant('number' as const), value: values }),
    fc.record({ op: fc.constantFrom('add', 'sub', 'mul', 'and', 'or', 'xor', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'), a: tie('expr'), b: tie('expr'), fit }),
    fc.record({ op: fc.constantFrom('not', 'neg', 'andR', 'orR', 'xorR', 'asUInt', 'asSInt', 'msb'), a: tie('expr') }),
    fc.record({ op: fc.constant('bits' as const), a: tie('expr'), hi: small, lo: small, fit }),
    fc.record({ op: fc.constantFrom('zext', 'sext', 'trunc', 'resize'), a: tie('expr'), width: widths, fit }),
    fc.record({ op: fc.constantFrom('shl', 'shr'), a: tie('expr'), amount: fc.oneof(small, tie('expr')), fit }),
    fc.record({ op: fc.constant('rep' as const), a: tie('expr'), count: mostly(fc.integer({ min: 1, max: 4 }), fc.constantFrom(0, -1)) }),
    fc.record({ op: fc.constant('cat' as const), parts: fc.array(tie('expr'), { minLength: 1, maxLength: 3 }).chain((parts) => mostly(fc.constant(parts), fc.constant<ExprRecipe[]>([]))) }),
    fc.record({ op: fc.constant('mux' as const), sel: tie('expr'), a: tie('expr'), b: tie('expr'), fit }),
    fc.record({ op: fc.constant('memread' as const), mem: fc.nat(), addr: tie('expr'), fit }),
  ) as fc.Arbitrary<ExprRecipe>,
}));

const { item } = fc.letrec<{ item: Item }>((tie) => {
  const body = fc.array(tie('item'), { maxLength: 3 });
  return {
    item: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ kind: fc.constant('signal' as const), role: fc.constantFrom('input', 'output', 'wire', 'reg'), name: names, width: widths, signed: fc.boolean(), reset: fc.option(values) }),
      fc.record({ kind: fc.constant('mem' as const), name: names, width: widths, depth: mostly(fc.constantFrom(2, 4, 16), fc.constantFrom(3, 0, 1, 2.5)), init: fc.array(values, { maxLength: 5 }) }),
      fc.record({ kind: fc.constant('instance' as const), name: names, child: fc.constantFrom('pass', 'delay'), width: widths }),
      fc.record({ kind: fc.constant('node' as const), name: names, value: expr }),
      fc.record({ kind: fc.constant('assign' as const), target: fc.nat(), value: expr, fit }),
      fc.record({ kind: fc.constant('assign' as const), target: fc.nat(), value: expr, fit }),
      fc.record({ kind: fc.constant('when' as const), cond: expr, then: body, elseWhen: fc.option(expr), otherwise: fc.option(body), fit }),
      fc.record({ kind: fc.constant('switch' as const), selector: expr, cases: fc.array(fc.tuple(mostly(fc.array(values, { minLength: 1, maxLength: 3 }), fc.constant<number[]>([])), body), { maxLength: 3 }), otherwise: fc.option(body) }),
      fc.record({ kind: fc.constant('memwrite' as const), mem: fc.nat(), addr: expr, data: expr, enable: fc.option(expr), fit }),
      fc.record({ kind: fc.constant('unused' as const), value: expr }),
    ) as fc.Arbitrary<Item>,
  };
});

const designs = fc.array(item, { minLength: 1, maxLength: 10 });

// --- the designer's calls for a recipe ----------------------------------------------------------

const Pass = defineModule('FuzzPass', (m, p: { width: number }) => {
  const x = m.input('x', UInt(p.width));
  const y = m.output('y', UInt(p.width));
  y.assign(x);
  return { x, y };
});

const Delay = defineModule('FuzzDelay', (m, p: { width: number }) => {
  const d = m.input('d', UInt(p.width));
  const q = m.output('q', UInt(p.width));
  const r = m.reg('r', UInt(p.width), { reset: 0 });
  r.assign(d);
  q.assign(r);
  return { d, q };
});

/** `e` made of type `like`: resized, then reinterpreted as signed or unsigned. */
function conform(e: Expr, like: HdlType): Expr {
  const sized = e.resize(like.width);
  return like.signed ? sized.asSInt() : sized.asUInt();
}

class Interpreter {
  private readonly signals: Signal[] = [];
  private readonly memories: Memory[] = [];

  constructor(private readonly m: ModuleBuilder) {}

  run(items: readonly Item[]): void {
    for (const it of items) this.item(it);
  }

  private item(it: Item): void {
    const m = this.m;
    switch (it.kind) {
      case 'signal': {
        const type = it.signed ? SInt(it.width) : UInt(it.width);
        this.signals.push(it.role === 'reg' ? m.reg(it.name, type, it.reset === null ? {} : { reset: it.reset }) : m[it.role](it.name, type));
        return;
      }
      case 'mem':
        this.memories.push(m.mem(it.name, UInt(it.width), it.depth, { init: it.init }));
        return;
      case 'instance': {
        const ports = it.child === 'pass' ? m.instance(it.name, Pass, { width: it.width }) : m.instance(it.name, Delay, { width: it.width });
        this.signals.push(...Object.values(ports));
        return;
      }
      case 'node':
        this.signals.push(m.node(it.name, this.expr(it.value)));
        return;
      case 'assign': {
        const target = this.signals[it.target % Math.max(this.signals.length, 1)];
        if (target) target.assign(it.fit ? conform(this.expr(it.value), target.type) : this.operand(it.value));
        return;
      }
      case 'when': {
        const condition = (r: ExprRecipe): Expr => (it.fit ? this.expr(r).orR() : this.expr(r));
        const chain = m.when(condition(it.cond), () => this.run(it.then));
        if (it.elseWhen) chain.elseWhen(condition(it.elseWhen), () => this.run(it.then));
        if (it.otherwise) chain.otherwise(() => this.run(it.otherwise!));
        return;
      }
      case 'switch': {
        const chain = m.switch(this.expr(it.selector));
        for (const [values, body] of it.cases) chain.is(values, () => this.run(body));
        if (it.otherwise) chain.default(() => this.run(it.otherwise!));
        return;
      }
      case 'memwrite': {
        const mem = this.memories[it.mem % Math.max(this.memories.length, 1)];
        if (!mem) return;
        if (it.fit) mem.write(conform(this.expr(it.addr), mem.addrType), conform(this.expr(it.data), mem.type), it.enable ? this.expr(it.enable).orR() : undefined);
        else mem.write(this.operand(it.addr), this.operand(it.data), it.enable ? this.expr(it.enable) : undefined);
        return;
      }
      case 'unused':
        m.unused(this.expr(it.value));
        return;
    }
  }

  /** A recipe's value as an expression; a plain number becomes an 8-bit literal. */
  private expr(r: ExprRecipe): Expr {
    const value = this.operand(r);
    return value instanceof Expr ? value : lit(value, UInt(8));
  }

  /** A recipe's value where a plain number may stand (it then takes the other operand's type). */
  private operand(r: ExprRecipe): Operand {
    switch (r.op) {
      case 'ref':
        return this.signals[r.index % Math.max(this.signals.length, 1)] ?? lit(0, UInt(1));
      case 'lit':
        if (r.written === 'U/S') return r.signed ? S(r.value, r.width) : U(r.value, r.width);
        return lit(r.value, r.signed ? SInt(r.width) : UInt(r.width));
      case 'number':
        return r.value;
      case 'add': case 'sub': case 'mul': case 'and': case 'or': case 'xor': case 'eq': case 'ne': case 'lt': case 'le': case 'gt': case 'ge':
        const a = this.expr(r.a);
        return a[r.op](r.fit ? conform(this.expr(r.b), a.type) : this.operand(r.b));
      case 'not': case 'neg': case 'andR': case 'orR': case 'xorR': case 'asUInt': case 'asSInt': case 'msb':
        return this.expr(r.a)[r.op]();
      case 'bits': {
        const a = this.expr(r.a);
        if (!r.fit) return a.bits(r.hi, r.lo);
        const lo = Math.abs(r.lo) % a.width;
        return a.bits(lo + (Math.abs(r.hi) % (a.width - lo)), lo);
      }
      case 'zext': case 'sext': case 'trunc': case 'resize': {
        const a = this.expr(r.a);
        if (!r.fit) return a[r.op](r.width);
        const width = Number.isInteger(r.width) && r.width > 0 ? r.width : 1;
        return a[r.op](r.op === 'trunc' ? Math.min(width, a.width) : r.op === 'resize' ? width : Math.max(width, a.width));
      }
      case 'shl': case 'shr': {
        const amount = typeof r.amount === 'number' ? (r.fit ? Math.abs(r.amount) : r.amount) : r.fit ? conform(this.expr(r.amount), UInt(5)) : this.expr(r.amount);
        return this.expr(r.a)[r.op](amount);
      }
      case 'rep':
        return this.expr(r.a).rep(r.count);
      case 'cat':
        return cat(...r.parts.map((p) => this.expr(p)));
      case 'mux': {
        if (!r.fit) return mux(this.expr(r.sel), this.operand(r.a), this.operand(r.b));
        const a = this.expr(r.a);
        return mux(this.expr(r.sel).orR(), a, conform(this.expr(r.b), a.type));
      }
      case 'memread': {
        const mem = this.memories[r.mem % Math.max(this.memories.length, 1)];
        if (!mem) return lit(0, UInt(1));
        return mem.read(r.fit ? conform(this.expr(r.addr), mem.addrType) : this.operand(r.addr));
      }
    }
  }
}

function check(items: readonly Item[]): void {
  const top = defineModule('FuzzTop', (m) => {
    new Interpreter(m).run(items);
    return {};
  });
  const design = unlessRefused([HdlError], () => elaborate(top, {}));
  if (!design) return;
  emitVerilog(design);
  const sim = new RtlSimulator(design);
  for (const port of design.flat.ports.filter((p) => p.role === 'input')) sim.poke(port.path, port.signed ? -1 : 1);
  sim.step(2);
  for (const port of design.flat.ports.filter((p) => p.role === 'output')) sim.peekBig(port.path);
}

describe('HDL elaboration refuses a design only with an HdlError', () => {
  it('random small designs with mistakes; the accepted ones emit Verilog and simulate', () => {
    fc.assert(fc.property(designs, check), fuzzParameters(300));
  }, fuzzTimeout);
});

describe('what the fuzzer found', () => {
  it('S() with a bad width is an HdlError (it was a RangeError from BigInt)', () => {
    for (const width of [0, Number.NaN, 1.5]) {
      expect(() => S(0, width)).toThrow(HdlError);
      expect(() => S(0, width)).toThrow(`bit width must be a positive integer, got ${width}`);
    }
  });

  it('a node declared inside a when leaves the when open for its otherwise (it was refused)', () => {
    const NodeInWhen = defineModule('NodeInWhen', (m) => {
      const sel = m.input('sel', UInt(1));
      const b = m.input('b', UInt(4));
      const y = m.output('y', UInt(4));
      m.when(sel, () => y.assign(m.node('inc', b.add(1)))).otherwise(() => y.assign(b));
      return { sel, b, y };
    });
    const sim = new RtlSimulator(elaborate(NodeInWhen, {}));
    sim.poke('b', 7);
    sim.poke('sel', 1);
    expect(sim.peek('y')).toBe(8);
    sim.poke('sel', 0);
    expect(sim.peek('y')).toBe(7);
  });
});
