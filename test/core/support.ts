// Running one ELF on the ISS and on the project's core (gen/core/run.ts) and comparing the two
// runs instruction by instruction (gen/cv32e40p/divergence.ts): stop, instructions, every register
// write, the final registers, the cycle of every instruction.
import { expect } from 'vitest';
import { rtlSummary, runOnIss } from '../../cli/differential.js';
import { compareRuns, type Comparison, type RunSummary } from '../../gen/cv32e40p/divergence.js';
import { CORE_STARTUP_CYCLES, runOnCore, type CoreRunOptions } from '../../gen/core/run.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';

export type CoreCompareOptions = Partial<CoreRunOptions>;

export function runOnCoreSummary(elf: Uint8Array, options: CoreCompareOptions = {}): RunSummary {
  return rtlSummary(runOnCore(elf, { extension: false, maxCycles: 2_000_000, trace: true, ...options }));
}

export function compareWithIss(elf: Uint8Array, options: CoreCompareOptions = {}): Comparison & { iss: RunSummary; core: RunSummary } {
  const table = options.extension ? { table: CV32E40P_XNMSPARSE_TABLE } : {};
  const iss = runOnIss(elf, { maxCycles: options.maxCycles ?? 2_000_000, grantDelay: options.grantDelay, inputs: options.inputs, traps: options.traps, ...table });
  const core = runOnCoreSummary(elf, options);
  return { iss, core, ...compareRuns(iss, core, CORE_STARTUP_CYCLES) };
}

export function expectLockstep(elf: Uint8Array, options: CoreCompareOptions = {}, what = ''): void {
  const result = compareWithIss(elf, options);
  expect(result.iss.stop, what).toMatch(/^exit /);
  expect(result.same, `${what}: the ISS and the core differ:\n${result.report}`).toBe(true);
}
