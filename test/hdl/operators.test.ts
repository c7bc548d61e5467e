// Every operator of Expr, simulated on random and corner values and compared with a BigInt model,
// at widths around the simulator's 32-bit number/bigint boundary and beyond 64 bits. Each case also
// pins the result type, so the width rules of docs/hdl.md are tested as well.
import { describe, expect, it } from 'vitest';
import { cat, defineModule, elaborate, type Expr, type HdlType, mux, S, SInt, type Signal, U, UInt } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { peekBits, pokeBits } from './support/io.js';
import { Random } from '../../util/random.js';
import { randomBits, signed, unsigned } from './support/values.js';

const widths = [1, 7, 8, 31, 32, 33, 64, 100];
const vectorsPerWidth = 150;
/** Width of the dynamic shift amount: reaches 255, beyond every tested width. */
const amountWidth = 8;

// A type alias (not an interface) so that it is assignable to the generator's port record.
type Inputs = {
  readonly a: Signal;
  readonly b: Signal;
  readonly sa: Signal;
  readonly sb: Signal;
  readonly amount: Signal;
  readonly c: Signal;
};

/** One input vector: a and b as bit patterns, sa and sb as signed values. */
interface Values {
  readonly a: bigint;
  readonly b: bigint;
  readonly sa: bigint;
  readonly sb: bigint;
  readonly amount: bigint;
  readonly c: bigint;
}

interface OpCase {
  readonly name: string;
  readonly type: HdlType;
  readonly build: (x: Inputs) => Expr;
  /** The expected value; reduced to the result's bit pattern by the harness. */
  readonly model: (v: Values) => bigint;
}

const bool = (x: boolean): bigint => (x ? 1n : 0n);
const parity = (x: bigint): bigint => BigInt([...x.toString(2)].filter((d) => d === '1').length % 2);
const msbOf = (x: bigint, w: number): bigint => (x >> BigInt(w - 1)) & 1n;

function cases(w: number): OpCase[] {
  const ones = (1n << BigInt(w)) - 1n;
  const half = Math.ceil(w / 2);
  const lo = Math.floor(w / 3);
  const hi = Math.min(w - 1, lo + Math.ceil(w / 3));
  const wider = w + 5;
  const narrower = Math.max(1, w - 3);
  const pattern = unsigned(0x5a5a_5a5a_5a5a_5a5a_5a5a_5a5a_5an, w);
  const statics = [...new Set([1, half, w - 1, w, w + 5])].filter((k) => k > 0);
  const sext = (x: bigint, to: number): bigint => unsigned(signed(x, w), to);
  const op = (name: string, type: HdlType, build: OpCase['build'], model: OpCase['model']): OpCase => ({ name, type, build, model });

  return [
    op('add', UInt(w), (x) => x.a.add(x.b), (v) => v.a + v.b),
    op('sub', UInt(w), (x) => x.a.sub(x.b), (v) => v.a - v.b),
    op('addS', SInt(w), (x) => x.sa.add(x.sb), (v) => v.sa + v.sb),
    op('subS', SInt(w), (x) => x.sa.sub(x.sb), (v) => v.sa - v.sb),
    op('addLiteral', UInt(w), (x) => x.a.add(pattern), (v) => v.a + pattern),
    op('subLiteralS', SInt(w), (x) => x.sa.sub(-1), (v) => v.sa + 1n),
    op('mul', UInt(2 * w), (x) => x.a.mul(x.b), (v) => v.a * v.b),
    op('mulS', SInt(2 * w), (x) => x.sa.mul(x.sb), (v) => v.sa * v.sb),
    op('mulMixedWidths', UInt(w + half), (x) => x.a.mul(x.b.bits(half - 1, 0)), (v) => v.a * unsigned(v.b, half)),
    op('mulMixedWidthsS', SInt(w + half), (x) => x.sa.mul(x.sb.trunc(half)), (v) => v.sa * signed(v.sb, half)),
    op('and', UInt(w), (x) => x.a.and(x.b), (v) => v.a & v.b),
    op('or', UInt(w), (x) => x.a.or(x.b), (v) => v.a | v.b),
    op('xor', UInt(w), (x) => x.a.xor(x.b), (v) => v.a ^ v.b),
    op('andS', SInt(w), (x) => x.sa.and(x.sb), (v) => v.sa & v.sb),
    op('not', UInt(w), (x) => x.a.not(), (v) => ~v.a),
    op('notS', SInt(w), (x) => x.sa.not(), (v) => ~v.sa),
    op('neg', UInt(w), (x) => x.a.neg(), (v) => -v.a),
    op('negS', SInt(w), (x) => x.sa.neg(), (v) => -v.sa),
    op('andR', UInt(1), (x) => x.a.andR(), (v) => bool(v.a === ones)),
    op('orR', UInt(1), (x) => x.a.orR(), (v) => bool(v.a !== 0n)),
    op('xorR', UInt(1), (x) => x.a.xorR(), (v) => parity(v.a)),
    op('xorRS', UInt(1), (x) => x.sa.xorR(), (v) => parity(unsigned(v.sa, w))),
    ...statics.flatMap((k) => [
      op(`shl${k}`, UInt(w), (x) => x.a.shl(k), (v) => v.a << BigInt(k)),
      op(`shr${k}`, UInt(w), (x) => x.a.shr(k), (v) => v.a >> BigInt(k)),
      op(`shlS${k}`, SInt(w), (x) => x.sa.shl(k), (v) => v.sa << BigInt(k)),
      op(`shrS${k}`, SInt(w), (x) => x.sa.shr(k), (v) => v.sa >> BigInt(k)),
    ]),
    op('dshl', UInt(w), (x) => x.a.shl(x.amount), (v) => v.a << v.amount),
    op('dshr', UInt(w), (x) => x.a.shr(x.amount), (v) => v.a >> v.amount),
    op('dshlS', SInt(w), (x) => x.sa.shl(x.amount), (v) => v.sa << v.amount),
    op('dshrS', SInt(w), (x) => x.sa.shr(x.amount), (v) => v.sa >> v.amount),
    op('eq', UInt(1), (x) => x.a.eq(x.b), (v) => bool(v.a === v.b)),
    op('ne', UInt(1), (x) => x.a.ne(x.b), (v) => bool(v.a !== v.b)),
    op('lt', UInt(1), (x) => x.a.lt(x.b), (v) => bool(v.a < v.b)),
    op('le', UInt(1), (x) => x.a.le(x.b), (v) => bool(v.a <= v.b)),
    op('gt', UInt(1), (x) => x.a.gt(x.b), (v) => bool(v.a > v.b)),
    op('ge', UInt(1), (x) => x.a.ge(x.b), (v) => bool(v.a >= v.b)),
    op('eqS', UInt(1), (x) => x.sa.eq(x.sb), (v) => bool(v.sa === v.sb)),
    op('neS', UInt(1), (x) => x.sa.ne(x.sb), (v) => bool(v.sa !== v.sb)),
    op('ltS', UInt(1), (x) => x.sa.lt(x.sb), (v) => bool(v.sa < v.sb)),
    op('leS', UInt(1), (x) => x.sa.le(x.sb), (v) => bool(v.sa <= v.sb)),
    op('gtS', UInt(1), (x) => x.sa.gt(x.sb), (v) => bool(v.sa > v.sb)),
    op('geS', UInt(1), (x) => x.sa.ge(x.sb), (v) => bool(v.sa >= v.sb)),
    op('eqLiteral', UInt(1), (x) => x.a.eq(ones), (v) => bool(v.a === ones)),
    op('ltZeroS', UInt(1), (x) => x.sa.lt(0), (v) => bool(v.sa < 0n)),
    op('slice', UInt(hi - lo + 1), (x) => x.a.bits(hi, lo), (v) => v.a >> BigInt(lo)),
    op('sliceAll', UInt(w), (x) => x.sa.bits(w - 1, 0), (v) => v.sa),
    op('bit0', UInt(1), (x) => x.a.bit(0), (v) => v.a),
    op('msb', UInt(1), (x) => x.sa.msb(), (v) => bool(v.sa < 0n)),
    op('cat', UInt(2 * w), (x) => cat(x.a, x.b), (v) => (v.a << BigInt(w)) | v.b),
    op('catMixed', UInt(w + 2), (x) => cat(x.c, x.sa, x.a.bit(0)), (v) => (v.c << BigInt(w + 1)) | (unsigned(v.sa, w) << 1n) | (v.a & 1n)),
    op('rep', UInt(3 * w), (x) => x.a.rep(3), (v) => (v.a << BigInt(2 * w)) | (v.a << BigInt(w)) | v.a),
    op('repBit', UInt(5), (x) => x.c.rep(5), (v) => (v.c ? 31n : 0n)),
    op('zext', UInt(wider), (x) => x.a.zext(wider), (v) => v.a),
    op('sextU', UInt(wider), (x) => x.a.sext(wider), (v) => sext(v.a, wider)),
    op('sextS', SInt(wider), (x) => x.sa.sext(wider), (v) => v.sa),
    op('zextS', SInt(wider), (x) => x.sa.zext(wider), (v) => unsigned(v.sa, w)),
    op('trunc', UInt(half), (x) => x.a.trunc(half), (v) => v.a),
    op('truncS', SInt(half), (x) => x.sa.trunc(half), (v) => v.sa),
    op('resizeUp', UInt(w + 3), (x) => x.a.resize(w + 3), (v) => v.a),
    op('resizeUpS', SInt(w + 3), (x) => x.sa.resize(w + 3), (v) => v.sa),
    op('resizeDown', UInt(narrower), (x) => x.a.resize(narrower), (v) => v.a),
    op('resizeDownS', SInt(narrower), (x) => x.sa.resize(narrower), (v) => v.sa),
    op('asUInt', UInt(w), (x) => x.sa.asUInt(), (v) => v.sa),
    op('asSIntShr', SInt(w), (x) => x.a.asSInt().shr(1), (v) => signed(v.a, w) >> 1n),
    op('asSIntLt', UInt(1), (x) => x.a.asSInt().lt(x.b.asSInt()), (v) => bool(signed(v.a, w) < signed(v.b, w))),
    op('asUIntLt', UInt(1), (x) => x.sa.asUInt().lt(x.sb.asUInt()), (v) => bool(unsigned(v.sa, w) < unsigned(v.sb, w))),
    op('mux', UInt(w), (x) => mux(x.c, x.a, x.b), (v) => (v.c ? v.a : v.b)),
    op('muxLiteralS', SInt(w), (x) => mux(x.c, x.sa, -1), (v) => (v.c ? v.sa : -1n)),
    op('muxNested', UInt(1), (x) => mux(x.a.bit(0), mux(x.c, x.a.msb(), x.b.msb()), x.c), (v) => ((v.a & 1n) ? (v.c ? msbOf(v.a, w) : msbOf(v.b, w)) : v.c)),
    op('constU', UInt(w), () => U(pattern, w), () => pattern),
    op('constS', SInt(w), () => S(-(1n << BigInt(w - 1)), w), () => -(1n << BigInt(w - 1))),
  ];
}

/** Output ports are prefixed: several operator names (and, or, xor, not) are Verilog keywords. */
const outputName = (k: OpCase): string => `y_${k.name}`;

function operatorModule(w: number, table: readonly OpCase[]) {
  return defineModule('Operators', (m, _p: { width: number }) => {
    const x: Inputs = {
      a: m.input('a', UInt(w)),
      b: m.input('b', UInt(w)),
      sa: m.input('sa', SInt(w)),
      sb: m.input('sb', SInt(w)),
      amount: m.input('amount', UInt(amountWidth)),
      c: m.input('c', UInt(1)),
    };
    for (const k of table) {
      const value = k.build(x);
      m.output(outputName(k), value.type).assign(value);
    }
    return x;
  });
}

describe.each(widths)('operators at width %i', (w) => {
  const table = cases(w);
  const design = elaborate(operatorModule(w, table), { width: w });

  it('give each result the documented type', () => {
    for (const k of table) {
      const port = design.top.ports.find((p) => p.name === outputName(k))!;
      expect({ name: k.name, ...port.type }).toEqual({ name: k.name, ...k.type });
    }
  });

  it('match the BigInt model on random and corner values', () => {
    const sim = new RtlSimulator(design);
    const rng = new Random(1000 + w);
    for (let i = 0; i < vectorsPerWidth; i++) {
      const v: Values = {
        a: randomBits(rng, w),
        b: randomBits(rng, w),
        sa: signed(randomBits(rng, w), w),
        sb: signed(randomBits(rng, w), w),
        // Half the amounts stay below the width, where most shifted bits survive.
        amount: BigInt(rng.chance(0.5) ? rng.below(w) : rng.below(2 ** amountWidth)),
        c: BigInt(rng.below(2)),
      };
      pokeBits(sim, 'a', UInt(w), v.a);
      pokeBits(sim, 'b', UInt(w), v.b);
      pokeBits(sim, 'sa', SInt(w), v.sa);
      pokeBits(sim, 'sb', SInt(w), v.sb);
      sim.poke('amount', Number(v.amount));
      sim.poke('c', Number(v.c));
      for (const k of table) {
        const expected = unsigned(k.model(v), k.type.width);
        expect(peekBits(sim, outputName(k), k.type), `${k.name} with a=${v.a} b=${v.b} sa=${v.sa} sb=${v.sb} amount=${v.amount} c=${v.c}`).toBe(expected);
      }
    }
  });
});

describe('signed peeks', () => {
  it('peekSigned returns the two\'s complement value of narrow signals', () => {
    const Neg = defineModule('Neg', (m) => {
      const x = m.input('x', SInt(8));
      const y = m.output('y', SInt(8));
      y.assign(x.neg());
      return { x, y };
    });
    const sim = new RtlSimulator(elaborate(Neg, {}));
    for (const [x, y] of [[5, -5], [-128, -128], [0, 0], [127, -127], [-1, 1]] as const) {
      sim.poke('x', x);
      expect(sim.peekSigned('y')).toBe(y);
      expect(sim.peek('y')).toBe(y & 0xff);
    }
  });
});
