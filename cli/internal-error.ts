// A failure that is no mistake of the user's is a bug in nmsparse. It gets one line that says so
// and how to report it; the stack trace, which only a developer can act on, follows when
// NMSPARSE_DEBUG=1.
import { ExitCode } from '../util/exit-codes.js';
import { messageLine } from './messages.js';

export function internalErrorText(error: unknown, debug: boolean): string {
  const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const report = 'please report it on the nmsparse issue tracker with the command line and its input files';
  const line = messageLine(`internal error (a bug in nmsparse): ${what}; ${report}${debug ? '' : ' (NMSPARSE_DEBUG=1 prints the stack trace)'}`);
  return debug && error instanceof Error && error.stack ? `${line}${error.stack}\n` : line;
}

/** Reports `error` as an internal error and returns the exit status for it. */
export function reportInternalError(error: unknown): number {
  process.stderr.write(internalErrorText(error, process.env.NMSPARSE_DEBUG === '1'));
  return ExitCode.internalError;
}
