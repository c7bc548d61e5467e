/**
 * Machine instructions from text, driven by the table's syntax templates: each operand form of a
 * mnemonic becomes a pattern; the first form whose pattern matches and whose register operands
 * name registers is encoded, with every value range-checked by its operand kind.
 */
import { encodeInstruction, operandRangeError } from '../../isa/encoder.js';
import { parseCsr } from '../../isa/csr-names.js';
import type { InstructionDef } from '../../isa/definition.js';
import type { OperandKind } from '../../isa/operands.js';
import { parseReg } from '../../isa/registers.js';
import type { InstructionTable } from '../../isa/table.js';
import type { OperandSlots } from '../../isa/types.js';
import type { Value } from './expression.js';

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

const patterns = new Map<string, RegExp>();

/** The regular expression for a syntax template; one capture group per operand, in order. */
function patternOf(syntax: string): RegExp {
  const cached = patterns.get(syntax);
  if (cached) return cached;
  const pieces = syntax.split(/(\{\w+\})/).filter((p) => p !== '');
  let source = '^\\s*';
  pieces.forEach((piece, i) => {
    if (piece.startsWith('{')) {
      const next = pieces[i + 1];
      const previous = pieces[i - 1];
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
  const pattern = new RegExp(source + '\\s*$');
  patterns.set(syntax, pattern);
  return pattern;
}

type Parsed = { ok: true; value: Value } | { ok: false };

function parseOperand(operand: OperandKind, text: string, ctx: InstructionContext): Parsed {
  const trimmed = text.trim();
  // A register name is never an expression: "cv.sw a0, (a1), a2" is the register form.
  if (operand.syntax !== 'reg' && parseReg(trimmed) !== undefined) return { ok: false };
  switch (operand.syntax) {
    case 'reg': {
      const reg = parseReg(trimmed);
      return reg === undefined ? { ok: false } : { ok: true, value: reg };
    }
    case 'csr':
      return { ok: true, value: parseCsr(trimmed) ?? ctx.value(trimmed) };
    case 'fence': {
      if (/^[iorw]+$/i.test(trimmed)) {
        const set = [...trimmed.toLowerCase()].reduce((bits, c) => bits | ({ i: 8, o: 4, r: 2, w: 1 } as Record<string, number>)[c]!, 0);
        return { ok: true, value: set };
      }
      return { ok: true, value: ctx.value(trimmed) };
    }
    case 'pcrel':
      return { ok: true, value: ctx.offset(trimmed) };
    case 'imm': {
      // An omitted offset, as in "lw a0, (a1)", is zero.
      const value = trimmed === '' ? 0 : ctx.value(trimmed);
      return { ok: true, value: value === undefined ? undefined : value << operand.textShift };
    }
  }
}

export function encodeText(table: InstructionTable, mnemonic: string, operands: string, ctx: InstructionContext): EncodedInstruction {
  const forms = table.forms(mnemonic);
  if (forms.length === 0) throw new Error(`unknown instruction '${mnemonic}'`);
  for (const def of forms) {
    const match = patternOf(def.format.syntax).exec(operands);
    if (!match) continue;
    const values: Partial<OperandSlots> = {};
    let resolved = true;
    let registersOk = true;
    let pcRelative = false;
    def.format.operands.forEach((operand, i) => {
      if (!registersOk) return;
      const parsed = parseOperand(operand, match[i + 1] ?? '', ctx);
      if (!parsed.ok) {
        registersOk = false;
        return;
      }
      if (operand.syntax === 'pcrel') pcRelative = true;
      if (parsed.value === undefined) {
        resolved = false;
        return;
      }
      const problem = operandRangeError(operand, parsed.value);
      if (problem) throw new Error(`${mnemonic}: ${operand.syntax === 'pcrel' ? `target out of range (${problem})` : problem}`);
      values[operand.slot] = parsed.value;
    });
    if (!registersOk) continue;
    return { word: resolved ? encodeInstruction(def, values) : undefined, def, pcRelative };
  }
  const expected = forms.map((d) => `${mnemonic} ${d.format.syntax.replace(/[{}]/g, '')}`.trim()).join(' | ');
  throw new Error(`invalid operands for ${mnemonic}; expected ${expected}`);
}
