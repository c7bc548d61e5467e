// Running one ELF on the ISS and on the project's core (gen/core/run.ts) and comparing the two
// runs instruction by instruction (gen/cv32e40p/divergence.ts): stop, instructions, every register
// write, the final registers, the cycle of every instruction.
import { expect } from 'vitest';
import { rtlSummary, runOnIss } from '../../cli/differential.js';
import { compareRuns, type Comparison, type RunSummary } from '../../gen/cv32e40p/divergence.js';
import { CORE_STARTUP_CYCLES, runOnCore, type CoreRunOptions } from '../../gen/core/run.js';
import { coreRows } from '../../hw/core/control.js';
import { CV32E40P_TABLE, type InstructionTable } from '../../isa/table.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import type { ImplementedRows } from '../../sim/core/code-cache.js';

export type CoreCompareOptions = Partial<CoreRunOptions>;

export function runOnCoreSummary(elf: Uint8Array, options: CoreCompareOptions = {}): RunSummary {
  return rtlSummary(runOnCore(elf, { extension: false, maxCycles: 2_000_000, trace: true, ...options }));
}

const strictCore = new Map<boolean, ImplementedRows>();

/**
 * The ISS as the core: its table with Xnmsparse when the core has it, and strict to the core's rows
 * (--strict-core), so that an instruction the core lacks stops the ISS with its name instead of
 * showing up as a divergence.
 */
export function issLikeCore(extension: boolean): { table: InstructionTable; implemented: ImplementedRows } {
  let implemented = strictCore.get(extension);
  if (!implemented) strictCore.set(extension, (implemented = { rows: new Set(coreRows(extension)), machine: "the project's core (--strict-core)" }));
  return { table: extension ? CV32E40P_XNMSPARSE_TABLE : CV32E40P_TABLE, implemented };
}

export function compareWithIss(elf: Uint8Array, options: CoreCompareOptions = {}): Comparison & { iss: RunSummary; core: RunSummary } {
  const iss = runOnIss(elf, { maxCycles: options.maxCycles ?? 2_000_000, grantDelay: options.grantDelay, inputs: options.inputs, traps: options.traps, ...issLikeCore(options.extension ?? false) });
  const core = runOnCoreSummary(elf, options);
  return { iss, core, ...compareRuns(iss, core, CORE_STARTUP_CYCLES) };
}

export function expectLockstep(elf: Uint8Array, options: CoreCompareOptions = {}, what = ''): void {
  const result = compareWithIss(elf, options);
  expect(result.iss.stop, what).toMatch(/^exit /);
  expect(result.same, `${what}: the ISS and the core differ:\n${result.report}`).toBe(true);
}
