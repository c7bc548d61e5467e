// User mistakes (bad design, bad parameter, bad simulator use) print their message and exit 1,
// without a stack trace; anything else is a bug in nmsparse and keeps its trace.
import { HdlError } from '../hw/hdl/index.js';
import { RtlSimError } from '../hw/hdl/rtl-sim/index.js';
import { ParamError } from '../util/params.js';
import { LibertyError } from '../gen/synth/liberty.js';
import { YosysError } from '../gen/yosys.js';

/** Raised by commands for invalid command-line input. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function isUserError(e: unknown): e is Error {
  return e instanceof HdlError || e instanceof ParamError || e instanceof RtlSimError || e instanceof UsageError || e instanceof LibertyError || e instanceof YosysError;
}

export async function runCommand(action: () => void | Promise<void>): Promise<void> {
  try {
    await action();
  } catch (e) {
    if (!isUserError(e)) throw e;
    process.stderr.write(`nmsparse: ${e.message}\n`);
    process.exitCode = 1;
  }
}
