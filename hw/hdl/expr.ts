// Expressions: an immutable DAG of typed nodes built by operator methods.
// Width rules are strict (SpinalHDL-like): operands of + - & | ^ and comparisons must have the same
// width and signedness; nothing is extended or truncated silently. See docs/hdl.md, "Width rules".
import { HdlError } from './diagnostics.js';
import { captureSite } from './source.js';
import { type HdlType, literalRange, sameType, SInt, toBits, typeName, UInt } from './types.js';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'and' | 'or' | 'xor' | 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge';
export type UnaryOp = 'not' | 'neg' | 'andr' | 'orr' | 'xorr';
/** 'shr' is arithmetic when the shifted operand is signed, logical otherwise. */
export type ShiftOp = 'shl' | 'shr';

/**
 * The declarations that leaf nodes read: `signal` (signal.ts) and `memory` (memory.ts). Those
 * classes build on Expr, so this file cannot import them without an import cycle; each registers
 * itself here by declaration merging instead (`declare module './expr.js'`).
 */
export interface Declarations {}

export type ExprNode =
  | { readonly kind: 'const'; readonly bits: bigint }
  | { readonly kind: 'ref'; readonly signal: Declarations['signal'] }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly a: Expr; readonly b: Expr }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly a: Expr }
  | { readonly kind: 'shift'; readonly op: ShiftOp; readonly a: Expr; readonly amount: number }
  | { readonly kind: 'dshift'; readonly op: ShiftOp; readonly a: Expr; readonly amount: Expr }
  | { readonly kind: 'slice'; readonly a: Expr; readonly hi: number; readonly lo: number }
  | { readonly kind: 'cat'; readonly parts: readonly Expr[] }
  | { readonly kind: 'ext'; readonly a: Expr; readonly signExtend: boolean }
  | { readonly kind: 'cast'; readonly a: Expr }
  | { readonly kind: 'mux'; readonly sel: Expr; readonly whenTrue: Expr; readonly whenFalse: Expr }
  | { readonly kind: 'memread'; readonly mem: Declarations['memory']; readonly addr: Expr }
  | { readonly kind: 'undef' };

/** What operator methods accept: an expression, or a JavaScript number/bigint taken as a literal of the other operand's type. */
export type Operand = Expr | number | bigint;

function operatorError(message: string): HdlError {
  return HdlError.single('operator', message, [{ label: 'operation', site: captureSite() }]);
}

export abstract class Expr {
  abstract readonly node: ExprNode;

  constructor(readonly type: HdlType) {}

  get width(): number {
    return this.type.width;
  }

  get signed(): boolean {
    return this.type.signed;
  }

  /** a + b, wrapping at the operands' width (widen first with zext/sext to keep the carry). */
  add(b: Operand): Expr {
    return this.binary('add', b, true);
  }

  /** a - b, wrapping at the operands' width. */
  sub(b: Operand): Expr {
    return this.binary('sub', b, true);
  }

  /** Full product: width is the sum of the operand widths; both operands must have the same signedness. */
  mul(b: Operand): Expr {
    const rhs = coerce(b, this.type);
    if (rhs.signed !== this.signed) {
      throw operatorError(`mul needs operands of the same signedness, got ${typeName(this.type)} and ${typeName(rhs.type)}`);
    }
    return new OpExpr({ width: this.width + rhs.width, signed: this.signed }, { kind: 'binary', op: 'mul', a: this, b: rhs });
  }

  and(b: Operand): Expr {
    return this.binary('and', b, true);
  }

  or(b: Operand): Expr {
    return this.binary('or', b, true);
  }

  xor(b: Operand): Expr {
    return this.binary('xor', b, true);
  }

  eq(b: Operand): Expr {
    return this.binary('eq', b, false);
  }

  ne(b: Operand): Expr {
    return this.binary('ne', b, false);
  }

  /** Signed comparison when the operands are SInt, unsigned when UInt. */
  lt(b: Operand): Expr {
    return this.binary('lt', b, false);
  }

  le(b: Operand): Expr {
    return this.binary('le', b, false);
  }

  gt(b: Operand): Expr {
    return this.binary('gt', b, false);
  }

  ge(b: Operand): Expr {
    return this.binary('ge', b, false);
  }

  not(): Expr {
    return new OpExpr(this.type, { kind: 'unary', op: 'not', a: this });
  }

  /** Two's complement negation, wrapping at the operand's width. */
  neg(): Expr {
    return new OpExpr(this.type, { kind: 'unary', op: 'neg', a: this });
  }

  andR(): Expr {
    return new OpExpr(UInt(1), { kind: 'unary', op: 'andr', a: this });
  }

  orR(): Expr {
    return new OpExpr(UInt(1), { kind: 'unary', op: 'orr', a: this });
  }

  xorR(): Expr {
    return new OpExpr(UInt(1), { kind: 'unary', op: 'xorr', a: this });
  }

  /** Left shift by a constant or by an unsigned expression; the width is kept and bits shifted out are lost. */
  shl(amount: number | Expr): Expr {
    return this.shift('shl', amount);
  }

  /** Right shift keeping the width: arithmetic for SInt, logical for UInt. */
  shr(amount: number | Expr): Expr {
    return this.shift('shr', amount);
  }

  /** Bits hi..lo inclusive, as UInt. */
  bits(hi: number, lo: number): Expr {
    if (!Number.isInteger(hi) || !Number.isInteger(lo) || lo < 0 || hi < lo || hi >= this.width) {
      throw operatorError(`bits(${hi}, ${lo}) is out of range for ${typeName(this.type)}`);
    }
    return new OpExpr(UInt(hi - lo + 1), { kind: 'slice', a: this, hi, lo });
  }

  bit(index: number): Expr {
    return this.bits(index, index);
  }

  /** The most significant bit (the sign bit of an SInt). */
  msb(): Expr {
    return this.bit(this.width - 1);
  }

  /** `count` copies side by side, as UInt. */
  rep(count: number): Expr {
    if (!Number.isInteger(count) || count < 1) throw operatorError(`rep(${count}) needs a positive count`);
    return cat(...Array.from({ length: count }, () => this));
  }

  /** Zero-extends to `width` (>= current width), keeping the signedness of the type. */
  zext(width: number): Expr {
    return this.extend(width, false, 'zext');
  }

  /** Sign-extends (replicates the MSB) to `width` (>= current width), keeping the signedness of the type. */
  sext(width: number): Expr {
    return this.extend(width, true, 'sext');
  }

  /** Keeps the low `width` bits (<= current width): explicit truncation. */
  trunc(width: number): Expr {
    if (!Number.isInteger(width) || width < 1 || width > this.width) {
      throw operatorError(`trunc(${width}) cannot shorten ${typeName(this.type)}`);
    }
    if (width === this.width) return this;
    const low = this.bits(width - 1, 0);
    return this.signed ? low.asSInt() : low;
  }

  /** Changes the width either way: sign-extends SInt, zero-extends UInt, truncates when narrower. */
  resize(width: number): Expr {
    return width >= this.width ? this.extend(width, this.signed, 'resize') : this.trunc(width);
  }

  asUInt(): Expr {
    return this.signed ? new OpExpr(UInt(this.width), { kind: 'cast', a: this }) : this;
  }

  asSInt(): Expr {
    return this.signed ? this : new OpExpr({ width: this.width, signed: true }, { kind: 'cast', a: this });
  }

  private binary(op: BinaryOp, b: Operand, keepsType: boolean): Expr {
    const rhs = coerce(b, this.type);
    if (!sameType(this.type, rhs.type)) {
      throw operatorError(`${op} needs operands of the same type, got ${typeName(this.type)} and ${typeName(rhs.type)}`);
    }
    return new OpExpr(keepsType ? this.type : UInt(1), { kind: 'binary', op, a: this, b: rhs });
  }

  private shift(op: ShiftOp, amount: number | Expr): Expr {
    if (typeof amount === 'number') {
      if (!Number.isInteger(amount) || amount < 0) throw operatorError(`${op}(${amount}) needs a non-negative integer`);
      return amount === 0 ? this : new OpExpr(this.type, { kind: 'shift', op, a: this, amount });
    }
    if (amount.signed || amount.width > 32) {
      throw operatorError(`${op} amount must be a UInt of at most 32 bits, got ${typeName(amount.type)}`);
    }
    return new OpExpr(this.type, { kind: 'dshift', op, a: this, amount });
  }

  private extend(width: number, signExtend: boolean, what: string): Expr {
    if (!Number.isInteger(width) || width < this.width) {
      throw operatorError(`${what}(${width}) cannot widen ${typeName(this.type)}`);
    }
    if (width === this.width) return this;
    return new OpExpr({ width, signed: this.signed }, { kind: 'ext', a: this, signExtend });
  }
}

/** An expression node produced by an operator. */
export class OpExpr extends Expr {
  constructor(
    type: HdlType,
    readonly node: ExprNode,
  ) {
    super(type);
  }
}

/** The bit pattern of literal `value` in type t; throws if the value does not fit. */
export function literalBits(value: number | bigint, t: HdlType): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) throw operatorError(`literal ${value} is not a safe integer`);
  const v = BigInt(value);
  const { min, max } = literalRange(t);
  if (v < min || v > max) throw operatorError(`literal ${v} does not fit in ${typeName(t)} (range ${min}..${max})`);
  return toBits(v, t.width);
}

/** A literal of type t; throws if the value does not fit. */
export function lit(value: number | bigint, t: HdlType): Expr {
  return new OpExpr(t, { kind: 'const', bits: literalBits(value, t) });
}

export function U(value: number | bigint, width: number): Expr {
  return lit(value, UInt(width));
}

export function S(value: number | bigint, width: number): Expr {
  return lit(value, SInt(width));
}

/** Turns an operand into an expression; a JS number becomes a literal of type `like`. */
export function coerce(value: Operand, like: HdlType): Expr {
  return value instanceof Expr ? value : lit(value, like);
}

/** Concatenation, most significant part first, as UInt. */
export function cat(...parts: Expr[]): Expr {
  if (parts.length === 0) throw operatorError('cat() needs at least one part');
  if (parts.length === 1) return parts[0]!.asUInt();
  const width = parts.reduce((sum, p) => sum + p.width, 0);
  return new OpExpr(UInt(width), { kind: 'cat', parts });
}

/** sel ? whenTrue : whenFalse. sel must be UInt<1>; the branches must have the same type (a number takes the other's). */
export function mux(sel: Expr, whenTrue: Operand, whenFalse: Operand): Expr {
  if (!sameType(sel.type, UInt(1))) throw operatorError(`mux select must be UInt<1>, got ${typeName(sel.type)}`);
  const like = whenTrue instanceof Expr ? whenTrue.type : whenFalse instanceof Expr ? whenFalse.type : null;
  if (!like) throw operatorError('mux needs at least one branch that is an expression, to know its type');
  const t = coerce(whenTrue, like);
  const f = coerce(whenFalse, like);
  if (!sameType(t.type, f.type)) {
    throw operatorError(`mux branches must have the same type, got ${typeName(t.type)} and ${typeName(f.type)}`);
  }
  return new OpExpr(t.type, { kind: 'mux', sel, whenTrue: t, whenFalse: f });
}

/** Marks a value that no assignment provides on some path; only the lowering creates it. */
export function undef(t: HdlType): Expr {
  return new OpExpr(t, { kind: 'undef' });
}

/** Children of a node, in a fixed order (for traversals). */
export function operands(node: ExprNode): readonly Expr[] {
  switch (node.kind) {
    case 'const':
    case 'ref':
    case 'undef':
      return [];
    case 'binary':
      return [node.a, node.b];
    case 'dshift':
      return [node.a, node.amount];
    case 'unary':
    case 'shift':
    case 'slice':
    case 'ext':
    case 'cast':
      return [node.a];
    case 'cat':
      return node.parts;
    case 'mux':
      return [node.sel, node.whenTrue, node.whenFalse];
    case 'memread':
      return [node.addr];
  }
}

/** What an expression reads directly: the signals it refers to and the memories it reads, each once. */
export function exprReads(value: Expr): { readonly signals: Set<Declarations['signal']>; readonly memories: Set<Declarations['memory']> } {
  const signals = new Set<Declarations['signal']>();
  const memories = new Set<Declarations['memory']>();
  const seen = new Set<Expr>();
  const stack: Expr[] = [value];
  while (stack.length) {
    const e = stack.pop()!;
    if (seen.has(e)) continue;
    seen.add(e);
    if (e.node.kind === 'ref') signals.add(e.node.signal);
    else if (e.node.kind === 'memread') memories.add(e.node.mem);
    stack.push(...operands(e.node));
  }
  return { signals, memories };
}

/** The same node with its operands replaced by `f(operand)` (refs and constants come back unchanged). */
export function mapOperands(node: ExprNode, f: (e: Expr) => Expr): ExprNode {
  switch (node.kind) {
    case 'const':
    case 'ref':
    case 'undef':
      return node;
    case 'binary':
      return { ...node, a: f(node.a), b: f(node.b) };
    case 'dshift':
      return { ...node, a: f(node.a), amount: f(node.amount) };
    case 'unary':
    case 'shift':
    case 'slice':
    case 'ext':
    case 'cast':
      return { ...node, a: f(node.a) };
    case 'cat':
      return { ...node, parts: node.parts.map(f) };
    case 'mux':
      return { ...node, sel: f(node.sel), whenTrue: f(node.whenTrue), whenFalse: f(node.whenFalse) };
    case 'memread':
      return { ...node, addr: f(node.addr) };
  }
}
