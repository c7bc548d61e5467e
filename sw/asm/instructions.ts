/**
 * Machine instructions from text, driven by the table's syntax templates: each operand form of a
 * mnemonic becomes a pattern; the first form whose pattern matches and whose register operands
 * name registers is encoded, with every value range-checked by its operand kind. Text that fits no
 * form is the caller's to report (`operandMismatch`), under the name the source used.
 */
import { encodeInstruction, operandRangeError } from '../../isa/encoder.js';
import { parseCsr } from '../../isa/csr-names.js';
import type { InstructionDef } from '../../isa/definition.js';
import type { OperandKind } from '../../isa/operands.js';
import { parseReg } from '../../isa/registers.js';
import type { InstructionTable } from '../../isa/table.js';
import type { OperandSlots } from '../../isa/types.js';
import type { Value } from './expression.js';
import { SourceError } from './errors.js';

export interface InstructionContext {
  /** Evaluate an expression; undefined while it depends on unknown symbols. */
  value(text: string): Value;
  /**
   * The pc-relative offset a branch or jump operand stands for. As in GNU as, an expression with
   * a label or `.` is a target address, a plain constant is the offset itself.
   */
  offset(text: string): Value;
  /** Address of the instruction; undefined before the sections are placed. */
  readonly pc: number | undefined;
}

export interface EncodedInstruction {
  /** The 32-bit word, or undefined when an operand is not known yet (first pass). */
  readonly word: number | undefined;
  readonly def: InstructionDef;
  /** Some operand is pc-relative (so its encoding depends on placement). */
  readonly pcRelative: boolean;
}

/** The parsing of a syntax template: one capture group per operand, in order. */
interface Pattern {
  readonly regex: RegExp;
  /** Per operand: it is an offset before "(", which may be left out ("lw a0, (a1)" is offset 0). */
  readonly omittable: readonly boolean[];
}

const patterns = new Map<string, Pattern>();

function patternOf(syntax: string): Pattern {
  const cached = patterns.get(syntax);
  if (cached) return cached;
  const pieces = syntax.split(/(\{\w+\})/).filter((p) => p !== '');
  let source = '^\\s*';
  const omittable: boolean[] = [];
  pieces.forEach((piece, i) => {
    if (piece.startsWith('{')) {
      const next = pieces[i + 1];
      const previous = pieces[i - 1];
      omittable.push(next?.startsWith('(') ?? false);
      // Before "(": greedy, so "%lo(x)(a0)" splits at the last parenthesis; inside "(...)": no parentheses.
      if (next?.startsWith('(')) source += '([^,]*)';
      else if (previous?.endsWith('(')) source += '([^,()]*?)';
      else source += '([^,]*?)';
      return;
    }
    for (const c of piece) {
      if (c === ',') source += '\\s*,\\s*';
      else if (c === '(') source += '\\s*\\(\\s*';
      else if (c === ')') source += '\\s*\\)';
      else if (c === ' ') source += '\\s*';
      else source += c.replace(/[.*+?^${}()|[\]\\!]/g, '\\$&');
    }
  });
  const pattern = { regex: new RegExp(source + '\\s*$'), omittable };
  patterns.set(syntax, pattern);
  return pattern;
}

/**
 * Whether `text` has the shape `operand` takes: a register where a register goes, an expression
 * (never a register name: "cv.sw a0, (a1), a2" is the register form) elsewhere, and nothing empty
 * ("li a0, 42,,") but an offset before "(", which is zero.
 */
function fitsShape(operand: OperandKind, text: string, omittable: boolean): boolean {
  const trimmed = text.trim();
  if (trimmed === '') return omittable && operand.syntax === 'imm';
  return (operand.syntax === 'reg') === (parseReg(trimmed) !== undefined);
}

/** The value of an operand of the right shape; undefined while it depends on unknown symbols. */
function operandValue(operand: OperandKind, text: string, ctx: InstructionContext): Value {
  const trimmed = text.trim();
  switch (operand.syntax) {
    case 'reg':
      return parseReg(trimmed);
    case 'csr':
      return parseCsr(trimmed) ?? ctx.value(trimmed);
    case 'fence':
      if (/^[iorw]+$/i.test(trimmed)) return [...trimmed.toLowerCase()].reduce((bits, c) => bits | ({ i: 8, o: 4, r: 2, w: 1 } as Record<string, number>)[c]!, 0);
      return ctx.value(trimmed);
    case 'pcrel':
      return ctx.offset(trimmed);
    case 'imm': {
      const value = trimmed === '' ? 0 : ctx.value(trimmed);
      return value === undefined ? undefined : value << operand.textShift;
    }
  }
}

/**
 * The encoding of the first form of `mnemonic` whose operands `operands` fit; undefined when none
 * does. Every operand's shape is checked before any value, so a wrong operand list is reported as
 * such rather than as a range error in one of its operands.
 */
export function encodeText(table: InstructionTable, mnemonic: string, operands: string, ctx: InstructionContext): EncodedInstruction | undefined {
  for (const def of table.forms(mnemonic)) {
    const pattern = patternOf(def.format.syntax);
    const match = pattern.regex.exec(operands);
    const texts = def.format.operands.map((_, i) => match?.[i + 1] ?? '');
    if (!match || !def.format.operands.every((operand, i) => fitsShape(operand, texts[i]!, pattern.omittable[i]!))) continue;
    const values: Partial<OperandSlots> = {};
    let resolved = true;
    def.format.operands.forEach((operand, i) => {
      const value = operandValue(operand, texts[i]!, ctx);
      if (value === undefined) {
        resolved = false;
        return;
      }
      const problem = operandRangeError(operand, value);
      if (problem) throw new SourceError(`${mnemonic}: ${operand.syntax === 'pcrel' ? `target out of range (${problem})` : problem}`);
      values[operand.slot] = value;
    });
    const pcRelative = def.format.operands.some((operand) => operand.syntax === 'pcrel');
    return { word: resolved ? encodeInstruction(def, values) : undefined, def, pcRelative };
  }
  return undefined;
}

/** The operand syntaxes of the machine instructions named `mnemonic`, for an operand error. */
export function machineSyntaxes(table: InstructionTable, mnemonic: string): string[] {
  return table.forms(mnemonic).map((def) => def.format.syntax.replace(/[{}]/g, ''));
}
