// Source sites: where in the designer's TypeScript a signal was declared or assigned.
// The stack is captured eagerly (cheap) but formatted lazily (source-mapped formatting is not),
// so designs with thousands of signals elaborate quickly and only reported sites pay the cost.
// Under tsx (and vitest) stack frames already name the .ts files; in the compiled package they name
// dist/**/*.js, and a reported site is mapped back through the file's `.js.map` on demand, so
// startup pays nothing for source maps (enabling them process-wide does).
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

const hdlDir = path.dirname(fileURLToPath(import.meta.url));
// This file is hw/hdl/source.ts, or dist/hw/hdl/source.js when compiled (tsconfig.build.json).
const compiled = import.meta.url.endsWith('.js');
const projectRoot = path.resolve(hdlDir, '..', '..', compiled ? '..' : '.');
const framePattern = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?$/;

/** `file` relative to the package root, or null outside the package. */
function inPackage(file: string): string | null {
  const rel = path.relative(projectRoot, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : null;
}

/**
 * The HDL's own frames, Node's and other packages'. The package's own designs (hw/examples,
 * hw/ext) are the designer's, also when the package is installed in a node_modules folder.
 */
function isLibraryFrame(file: string): boolean {
  if (file.startsWith(hdlDir + path.sep) || file.startsWith('node:')) return true;
  return (inPackage(file) ?? file).split(path.sep).includes('node_modules');
}

/** Each compiled file's source map, read at its first reported site; null for a file without one. */
const sourceMaps = new Map<string, SourceMap | null>();

function sourceMapOf(file: string): SourceMap | null {
  let map = sourceMaps.get(file);
  if (map === undefined) {
    map = file.endsWith('.js') ? readSourceMap(`${file}.map`) : null;
    sourceMaps.set(file, map);
  }
  return map;
}

function readSourceMap(mapFile: string): SourceMap | null {
  let payload: SourceMapPayload;
  try {
    payload = JSON.parse(readFileSync(mapFile, 'utf8')) as SourceMapPayload;
  } catch {
    return null; // no map beside the file (or an unreadable one): the site stays in the JavaScript
  }
  // Sources are relative to the map's folder (after its sourceRoot).
  const base = path.resolve(path.dirname(mapFile), payload.sourceRoot ?? '');
  return new SourceMap({ ...payload, sourceRoot: '', sources: payload.sources.map((source) => path.resolve(base, source)) });
}

/** A 1-based stack-frame position, in the original source when the file has a source map. */
function originalLoc(file: string, line: number, column: number): SourceLoc {
  const entry = sourceMapOf(file)?.findEntry(line - 1, column - 1);
  if (entry === undefined || !('originalSource' in entry)) return { file, line, column };
  return { file: entry.originalSource, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

function displayPath(file: string): string {
  return (inPackage(file) ?? file).split(path.sep).join('/');
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
      const loc = originalLoc(file, Number(match[2]), Number(match[3]));
      return { ...loc, file: displayPath(loc.file) };
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
