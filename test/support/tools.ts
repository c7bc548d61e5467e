// The test policy for external tools (Icarus Verilog, Verilator, the RISC-V cross compiler): outside
// CI a test that needs a missing tool is skipped with the reason; under CI=true it fails, because a
// green CI run must have exercised every tool.
import { findTool, ToolMissingError } from '../../gen/tools.js';

/**
 * False when every tool is installed, so the test runs; otherwise the reason to skip it. Under
 * CI=true a missing tool throws instead. Use as `it.skipIf(skipUnlessTools(['vvp']))(...)`.
 */
export function skipUnlessTools(tools: readonly string[], env: NodeJS.ProcessEnv = process.env): string | false {
  const missing = tools.filter((t) => findTool(t, env) === undefined);
  if (missing.length === 0) return false;
  const error = new ToolMissingError(missing);
  if (env.CI === 'true') throw new Error(`CI=true requires every external tool: ${error.message}`);
  return error.message;
}
