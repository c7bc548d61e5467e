/**
 * The CV32E40P RTL the differential tests run: the unmodified OpenHW sources in `shared/cv32e40p/`
 * beside the checkout, where CI has them, built with Verilator. Elsewhere, without them or without
 * Verilator, the tests are skipped; under CI=true their absence is a failure naming what is missing.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findTool, ToolMissingError } from '../../gen/tools.js';

export const RTL_PATH = fileURLToPath(new URL('../../../shared/cv32e40p', import.meta.url));

/** False when the RTL and Verilator are there, so the tests run; otherwise the reason to skip them. Under CI=true, throws. */
export function skipUnlessRtl(env: NodeJS.ProcessEnv = process.env): string | false {
  const missing = [
    ...(existsSync(`${RTL_PATH}/cv32e40p_core.sv`) ? [] : [`the CV32E40P RTL (${RTL_PATH}: openhwgroup/cv32e40p's rtl/, include/ and bhv/ at the commit its README names)`]),
    ...(findTool('verilator', env) === undefined ? [new ToolMissingError(['verilator']).message] : []),
  ];
  if (missing.length === 0) return false;
  const reason = `missing: ${missing.join('; ')}`;
  if (env.CI === 'true') throw new Error(`CI=true requires the differential tests against the RTL to run, but ${reason}`);
  return reason;
}
