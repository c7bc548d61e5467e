// A slice of a sharded bench run, read back for its merge (`bench merge`, `networks-merge`,
// `accuracy-merge`): its JSON, or a user error naming the file and the command that writes it.
import { readFileSync } from 'node:fs';
import { UsageError } from '../errors.js';

export interface SliceFile {
  readonly source: string;
  readonly rows: unknown;
}

/** The slice in `file`; `writer` is the command whose output it should be, for the error. */
export function readSliceFile(file: string, writer: string): SliceFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read slice '${file}': ${(error as Error).message}`);
  }
  try {
    return { source: file, rows: JSON.parse(text) as unknown };
  } catch (error) {
    throw new UsageError(`${file}: not JSON (${(error as Error).message}): give the output of \`${writer}\``);
  }
}
