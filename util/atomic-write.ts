// Files are written whole or not at all: a temporary file beside the target, renamed into place,
// so an interrupted or failed run never leaves a truncated artefact behind. An output directory
// can be checked before any work starts, and every failure names the path and the reason.
//
// Directories are created one level at a time rather than with `mkdirSync(..., { recursive:
// true })`: Node's recursive mkdir takes ENOENT to mean "the parent is missing", creates the
// parent (EEXIST), retries the child (ENOENT again) and never stops when a directory exists but
// refuses new entries with ENOENT, as /proc does (and a symbolic link to nothing). Tens of
// thousands of mkdir calls a second, forever, for `--out /proc/forbidden`.
import { mkdirSync, mkdtempSync, renameSync, rmdirSync, rmSync, statSync, lstatSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';

/** A path that cannot be written, with the reason in words. */
export class OutputPathError extends Error {
  override name = 'OutputPathError';
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`cannot write to '${target}': ${reason}`);
  }
}

/** The words of a system error ("permission denied"), without the code and the path Node adds. */
function description(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  const words = /^[A-Z]+: ([^,]+)/.exec(message)?.[1] ?? message;
  return code ? `${words} (${code})` : words;
}

/** Why `directory`, which exists, refused a new entry. */
function creationRefused(error: unknown, directory: string): string {
  const { code } = error as NodeJS.ErrnoException;
  // The directory was just seen to exist, so ENOENT here is the file system refusing (procfs).
  if (code === 'ENOENT') return `'${directory}' does not accept new entries`;
  if (code === 'EROFS') return `'${directory}' is on a read-only file system`;
  return `cannot create entries in '${directory}': ${description(error)}`;
}

function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a file';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a directory';
}

/** What is at `at` (the link itself if `link`), or undefined: nothing, or a component above is no directory. */
function entryAt(at: string, target: string, link = false): Stats | undefined {
  try {
    return link ? lstatSync(at) : statSync(at);
  } catch (e) {
    const { code } = e as NodeJS.ErrnoException;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new OutputPathError(target, `cannot look at '${at}': ${description(e)}`);
  }
}

/** The deepest existing directory on the way to `directory` (which may be `directory` itself). */
function existingAncestor(directory: string): string {
  const wanted = path.resolve(directory);
  let at = wanted;
  for (;;) {
    const stats = entryAt(at, directory);
    if (stats?.isDirectory()) return at;
    const what = at === wanted ? 'it' : `'${at}'`;
    if (stats) throw new OutputPathError(directory, `${what} is ${kindOf(stats)}, not a directory`);
    if (entryAt(at, directory, true)) throw new OutputPathError(directory, `${what} is a symbolic link to nothing`);
    at = path.dirname(at); // ends at the root, which exists
  }
}

/**
 * Throws an OutputPathError unless files can be written into `directory`, creating it and its
 * missing parents if needed. Creates and leaves nothing: a command calls it before starting work.
 */
export function checkOutputDirectory(directory: string): void {
  // path.resolve('') is the working directory: an empty --out is more likely a slip than a choice.
  if (directory === '') throw new OutputPathError(directory, "no directory named (write '.' for the current one)");
  const ancestor = existingAncestor(directory);
  // Permission bits do not tell (root passes every access check; /proc refuses anyway): try.
  let probe: string;
  try {
    probe = mkdtempSync(path.join(ancestor, '.nmsparse-probe-'));
  } catch (e) {
    throw new OutputPathError(directory, creationRefused(e, ancestor));
  }
  rmdirSync(probe);
}

/** Creates `directory` and its missing parents, top down, each mkdir tried once. */
function makeDirectory(directory: string): void {
  let at = existingAncestor(directory);
  for (const part of path.relative(at, path.resolve(directory)).split(path.sep).filter(Boolean)) {
    const parent = at;
    at = path.join(parent, part);
    try {
      mkdirSync(at);
    } catch (e) {
      // Another writer (a parallel run sharing the synthesis cache) may have made it meanwhile.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && entryAt(at, directory)?.isDirectory()) continue;
      throw new OutputPathError(directory, creationRefused(e, parent));
    }
  }
}

/** Writes `file` whole (creating its directory), or throws an OutputPathError and leaves nothing. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  makeDirectory(path.dirname(file));
  const temp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, file);
  } catch (e) {
    rmSync(temp, { force: true });
    const { code } = e as NodeJS.ErrnoException;
    throw new OutputPathError(file, code === 'EISDIR' || code === 'ENOTEMPTY' ? 'it is a directory' : description(e));
  }
}
