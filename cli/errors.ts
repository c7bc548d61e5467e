// User mistakes (bad design, bad parameter, unreadable or unwritable path, bad simulator use)
// print their message and exit with ExitCode.userError, without a stack trace. Anything else is a
// bug in nmsparse: runCommand lets it through to cli/main.ts, which reports it as one.
import { message } from './messages.js';
import { HdlError } from '../hw/hdl/index.js';
import { RtlSimError } from '../hw/hdl/rtl-sim/index.js';
import { ParamError } from '../util/params.js';
import { OutputPathError } from '../util/atomic-write.js';
import { LibertyError } from '../gen/synth/liberty.js';
import { YosysError } from '../gen/yosys.js';
import { ExitCode } from '../util/exit-codes.js';
import { RtlPathError } from '../gen/cv32e40p/rtl-sources.js';
import { ToolMissingError } from '../gen/tools.js';
import { LayerSpecError } from '../sw/layers/spec.js';
import { PatternError } from '../sw/sparse/pattern.js';
import { BenchMergeError } from '../sw/kernels/bench/merge.js';
import { OnnxError } from '../sw/onnx/errors.js';
import { GraphNodeError } from '../sw/net/attributes.js';
import { ModelError } from '../sw/net/model-error.js';
import { NetworkError } from '../sw/net/validate.js';
import { CompileError } from '../sw/net/compile/compile.js';
import { MemoryPlanError } from '../sw/net/compile/memory-plan.js';
import { DatasetError } from '../sw/datasets/idx.js';

/** Raised by commands for invalid command-line input. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export function isUserError(e: unknown): e is Error {
  return (
    e instanceof HdlError ||
    e instanceof ParamError ||
    e instanceof RtlSimError ||
    e instanceof UsageError ||
    e instanceof LibertyError ||
    e instanceof YosysError ||
    e instanceof OutputPathError ||
    e instanceof RtlPathError ||
    e instanceof ToolMissingError ||
    e instanceof LayerSpecError ||
    e instanceof PatternError ||
    e instanceof BenchMergeError ||
    e instanceof OnnxError ||
    e instanceof GraphNodeError ||
    e instanceof ModelError ||
    e instanceof NetworkError ||
    e instanceof CompileError ||
    e instanceof MemoryPlanError ||
    e instanceof DatasetError
  );
}

export async function runCommand(action: () => void | Promise<void>): Promise<void> {
  try {
    await action();
  } catch (e) {
    if (!isUserError(e)) throw e;
    // Not forced onto one line: the assembler's diagnostics quote the source line under the message.
    process.stderr.write(message(e.message));
    process.exitCode = ExitCode.userError;
  }
}
