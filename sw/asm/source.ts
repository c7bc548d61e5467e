/**
 * Source text to statements: comments (`#`, `//`) removed, `;` separated statements split, labels
 * (`name:`, numeric `1:`) taken off the front, the rest split into a name and top-level operands.
 */
import type { SourceLocation } from './errors.js';

export interface Statement {
  readonly location: SourceLocation;
  readonly labels: readonly string[];
  /** Directive (with its dot) or mnemonic, lower-cased; empty for a label-only line. */
  readonly name: string;
  /** Operand text as written. */
  readonly operands: string;
  /** Operands split at top-level commas, trimmed. */
  readonly args: readonly string[];
}

const LABEL = /^\s*([A-Za-z_.$][\w.$]*|\d+)\s*:(?!:)/;

export function parseSource(text: string, file: string): Statement[] {
  const statements: Statement[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const location = { file, line: index + 1, text: raw };
    for (let part of splitOutsideQuotes(stripComment(raw), ';')) {
      const labels: string[] = [];
      for (let m = LABEL.exec(part); m; m = LABEL.exec(part)) {
        labels.push(m[1]!);
        part = part.slice(m[0].length);
      }
      const body = part.trim();
      if (body === '' && labels.length === 0) continue;
      const space = body.search(/\s/);
      const name = (space < 0 ? body : body.slice(0, space)).toLowerCase();
      const operands = space < 0 ? '' : body.slice(space + 1).trim();
      statements.push({ location, labels, name, operands, args: operands === '' ? [] : splitOutsideQuotes(operands, ',').map((a) => a.trim()) });
    }
  });
  return statements;
}

function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"' && line[i - 1] !== '\\') quoted = !quoted;
    if (!quoted && (c === '#' || (c === '/' && line[i + 1] === '/'))) return line.slice(0, i);
  }
  return line;
}

/** Split at `separator` outside double quotes and parentheses. */
export function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    else if (!quoted && depth === 0 && c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}
