// Source lines named by marker comments, so tests can assert the exact line a diagnostic points at
// without hard-coding line numbers: a line ending in `// @mark: name` is found by reading the file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const markerPattern = /\/\/ @mark: ([\w-]+)\s*$/;

export interface MarkedLine {
  /** Project-relative path with forward slashes, as diagnostics print it. */
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

export class SourceMarkers {
  readonly file: string;
  private readonly lines = new Map<string, MarkedLine>();

  /** `moduleUrl` is the marked file's `import.meta.url`. */
  constructor(moduleUrl: string) {
    const absolute = fileURLToPath(moduleUrl);
    this.file = path.relative(projectRoot, absolute).split(path.sep).join('/');
    readFileSync(absolute, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const name = markerPattern.exec(text)?.[1];
        if (!name) return;
        if (this.lines.has(name)) throw new Error(`marker '${name}' appears twice in ${this.file}`);
        this.lines.set(name, { file: this.file, line: i + 1, text });
      });
  }

  at(name: string): MarkedLine {
    const marked = this.lines.get(name);
    if (!marked) throw new Error(`no line marked '${name}' in ${this.file}`);
    return marked;
  }

  /** 1-based column of the first occurrence of `token` on the marked line. */
  column(name: string, token: string): number {
    const { text } = this.at(name);
    const i = text.indexOf(token);
    if (i < 0) throw new Error(`'${token}' is not on the line marked '${name}'`);
    return i + 1;
  }
}
