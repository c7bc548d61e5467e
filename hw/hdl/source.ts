// Source sites: where in the designer's TypeScript a signal was declared or assigned.
// The stack is captured eagerly (cheap) but formatted lazily (source-mapped formatting is not),
// so designs with thousands of signals elaborate quickly and only reported sites pay the cost.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

const hdlDir = path.dirname(fileURLToPath(import.meta.url));
const projectRoot = path.resolve(hdlDir, '..', '..');
const framePattern = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/;

function isLibraryFrame(file: string): boolean {
  return file.startsWith(hdlDir + path.sep) || file.includes(`${path.sep}node_modules${path.sep}`) || file.startsWith('node:');
}

function displayPath(file: string): string {
  const rel = path.relative(projectRoot, file);
  const inProject = !rel.startsWith('..') && !path.isAbsolute(rel);
  return (inProject ? rel : file).split(path.sep).join('/');
}

export class SourceSite {
  private resolved: SourceLoc | null | undefined;

  constructor(private readonly captured: { stack?: string }) {}

  /** The first stack frame outside the HDL library and node_modules: the designer's line. */
  get loc(): SourceLoc | null {
    if (this.resolved === undefined) this.resolved = SourceSite.firstUserFrame(this.captured.stack ?? '');
    return this.resolved;
  }

  toString(): string {
    const loc = this.loc;
    return loc ? `${loc.file}:${loc.line}:${loc.column}` : '<unknown>';
  }

  private static firstUserFrame(stack: string): SourceLoc | null {
    for (const line of stack.split('\n').slice(1)) {
      const match = framePattern.exec(line.trim());
      if (!match) continue;
      const raw = match[1]!;
      const file = raw.startsWith('file://') ? fileURLToPath(raw) : raw;
      if (isLibraryFrame(file)) continue;
      return { file: displayPath(file), line: Number(match[2]), column: Number(match[3]) };
    }
    return null;
  }
}

/** Records the caller's position; call it from the public HDL API function the designer invoked. */
export function captureSite(): SourceSite {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 40;
  Error.captureStackTrace(holder, captureSite);
  Error.stackTraceLimit = limit;
  return new SourceSite(holder);
}
