/**
 * Integer expressions of GNU assembly: numbers (decimal, 0x, 0b, 'c'), symbols, `.`, local label
 * references (`1b`, `1f`), unary - ~ +, binary * / % + - << >> & ^ | with C precedence, and the
 * RISC-V relocation operators %hi(x) (upper 20 bits, rounded for a following %lo) and %lo(x).
 */
import { SourceError } from './errors.js';

export interface SymbolScope {
  /** A symbol's value, or undefined while it is not known (first pass, forward reference). */
  symbol(name: string): number | undefined;
  /** `1b` / `1f`: the nearest numeric label `1` before / after the current statement. */
  localLabel(label: string, direction: 'b' | 'f'): number | undefined;
  /** `.`: the address of the current statement, undefined while sections are not placed. */
  dot(): number | undefined;
}

/** Evaluation result: the value, or undefined when it depends on something not yet known. */
export type Value = number | undefined;

export class ExpressionError extends SourceError {}

const TOKEN = /\s*(0x[0-9a-f]+|0b[01]+|\d+[bf](?![\w$.])|\d+|'(?:\\.|[^'\\])'|%hi|%lo|[A-Za-z_.$][\w.$]*|<<|>>|[-+*/%&|^~()])/iy;

const BINARY: readonly (readonly [string, (a: number, b: number) => number])[][] = [
  [['|', (a, b) => a | b]],
  [['^', (a, b) => a ^ b]],
  [['&', (a, b) => a & b]],
  [['<<', (a, b) => a << b], ['>>', (a, b) => a >> b]],
  [['+', (a, b) => a + b], ['-', (a, b) => a - b]],
  [['*', (a, b) => Math.imul(a, b)], ['/', divide], ['%', remainder]],
];

function divide(a: number, b: number): number {
  if (b === 0) throw new ExpressionError('division by zero');
  return Math.trunc(a / b);
}

function remainder(a: number, b: number): number {
  if (b === 0) throw new ExpressionError('division by zero');
  return a % b;
}

export function hi20(value: number): number {
  return ((value + 0x800) >>> 12) & 0xfffff;
}

export function lo12(value: number): number {
  return ((value & 0xfff) << 20) >> 20;
}

export function evaluate(text: string, scope: SymbolScope): Value {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let position = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    tokens.push(m[1]!);
    position = TOKEN.lastIndex;
  }
  if (text.slice(position).trim() !== '') throw new ExpressionError(`cannot parse '${text.slice(position).trim()}' in expression '${text.trim()}'`);
  if (tokens.length === 0) throw new ExpressionError('missing expression');
  let index = 0;
  const peek = (): string | undefined => tokens[index];
  const expect = (token: string): void => {
    if (tokens[index] !== token) throw new ExpressionError(`expected '${token}' in '${text.trim()}'`);
    index++;
  };

  const binary = (level: number): Value => {
    if (level === BINARY.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const op = BINARY[level]!.find(([symbol]) => symbol === peek());
      if (!op) return left;
      index++;
      const right = binary(level + 1);
      left = left === undefined || right === undefined ? undefined : op[1](left, right);
    }
  };

  const unary = (): Value => {
    const token = peek();
    if (token === '-' || token === '~' || token === '+') {
      index++;
      const operand = unary();
      if (operand === undefined) return undefined;
      return token === '-' ? -operand : token === '~' ? ~operand : operand;
    }
    return primary();
  };

  const primary = (): Value => {
    const token = tokens[index++];
    if (token === undefined) throw new ExpressionError(`unexpected end of expression '${text.trim()}'`);
    if (token === '(') {
      const value = binary(0);
      expect(')');
      return value;
    }
    if (token === '%hi' || token === '%lo') {
      expect('(');
      const value = binary(0);
      expect(')');
      return value === undefined ? undefined : token === '%hi' ? hi20(value) : lo12(value);
    }
    if (/^0x/i.test(token)) return parseInt(token.slice(2), 16);
    if (/^0b/i.test(token)) return parseInt(token.slice(2), 2);
    if (/^\d+[bf]$/.test(token)) return scope.localLabel(token.slice(0, -1), token.endsWith('b') ? 'b' : 'f');
    if (/^\d/.test(token)) return parseInt(token, 10);
    if (token.startsWith("'")) return unescapeChar(token.slice(1, -1));
    if (token === '.') return scope.dot();
    if (/^[A-Za-z_.$]/.test(token)) return scope.symbol(token);
    throw new ExpressionError(`unexpected '${token}' in '${text.trim()}'`);
  };

  const value = binary(0);
  if (index !== tokens.length) throw new ExpressionError(`unexpected '${tokens[index]}' in '${text.trim()}'`);
  return value;
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34 };

function unescapeChar(body: string): number {
  if (body.startsWith('\\')) {
    const code = ESCAPES[body[1]!];
    if (code === undefined) throw new ExpressionError(`unknown escape '${body}'`);
    return code;
  }
  return body.charCodeAt(0);
}

/** Bytes of a double-quoted string literal with C escapes. */
export function parseString(text: string): number[] {
  const m = /^"((?:\\.|[^"\\])*)"$/.exec(text.trim());
  if (!m) throw new ExpressionError(`expected a string literal, got ${text.trim()}`);
  const out: number[] = [];
  const body = m[1]!;
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\') {
      const code = ESCAPES[body[i + 1]!];
      if (code === undefined) throw new ExpressionError(`unknown escape '\\${body[i + 1]}'`);
      out.push(code);
      i++;
    } else {
      out.push(...new TextEncoder().encode(body[i]!));
    }
  }
  return out;
}
