// Interrupts on the project's core against the ISS (docs/core.md, docs/cv32e40p.md#interrupts):
// the CLINT timer fires at every cycle of straight-line code, hardware-loop bodies, load-use
// stalls, divides, taken branches, jumps, flushes and wfi, with and without grant delays, and the
// directed programs (vectored mode, msip, mstatus.MIE, mip, wfi), on the HDL simulation; a sample
// on the Verilog under Verilator, which must also match the HDL simulation cycle for cycle.
// test/cv32e40p/interrupt-differential.test.ts holds the ISS to the real CV32E40P on the same programs.
import { describe, expect, it } from 'vitest';
import { runOnCore } from '../../gen/core/run.js';
import { runOnCoreVerilator } from '../../gen/core/verilator.js';
import { coreDifferential } from '../../cli/differential.js';
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import { elfOf } from '../sim/support/engines.js';
import { skipUnlessTools } from '../support/tools.js';
import { INTERRUPT_PROGRAMS, sweepPrograms, sweptOffsets } from '../cv32e40p/interrupt-programs.js';
import { compareWithIss } from './support.js';

/** The programs on which the core and the ISS differ, with the first difference of each. */
function disagreements(programs: readonly (readonly [string, string])[], grantDelay?: GrantDelay): string[] {
  return programs.flatMap(([name, source]) => {
    const result = compareWithIss(elfOf(source), { maxCycles: 100_000, ...(grantDelay ? { grantDelay } : {}) });
    return result.same ? [] : [`${name}:\n${result.report}`];
  });
}

describe('interrupts: the core against the ISS', () => {
  it.each(INTERRUPT_PROGRAMS)('%s', (_, source, interrupts) => {
    const result = compareWithIss(elfOf(source), { maxCycles: 100_000 });
    expect(result.core.stop).toBe(`exit ${interrupts}`);
    expect(result.same, `the ISS and the core differ:\n${result.report}`).toBe(true);
  });

  it('agree with the timer firing at every cycle of each kind of code', { timeout: 300_000 }, () => {
    expect(disagreements(sweepPrograms(sweptOffsets()))).toEqual([]);
  });

  it('agree under random grant delays on the data port', { timeout: 300_000 }, () => {
    const offsets = sweptOffsets().filter((k) => k % 2 === 0);
    for (const seed of [1, 2]) expect(disagreements(sweepPrograms(offsets), { kind: 'random', seed, max: 3 })).toEqual([]);
  });

  it('stops at a wfi nothing can wake, as the ISS does', () => {
    const result = compareWithIss(elfOf(INTERRUPT_PROGRAMS[0]![1].replace('  mv a0, s1\n  j exit', '  csrw mie, zero\n  wfi\n  mv a0, s1\n  j exit')), { maxCycles: 100_000 });
    expect(result.core.stop).toBe('wfi');
    expect(result.same, result.report).toBe(true);
  });
});

describe.skipIf(skipUnlessTools(['verilator']))('interrupts: the core under Verilator', () => {
  const sample = [...INTERRUPT_PROGRAMS.map(([name, source]) => [name, source] as const), ...sweepPrograms(sweptOffsets().filter((k) => k % 5 === 0))];

  it('matches the HDL simulation cycle for cycle, and the ISS', { timeout: 600_000 }, async () => {
    for (const [name, source] of sample) {
      const elf = elfOf(source);
      const settings = { extension: false, maxCycles: 100_000, trace: true };
      expect(await runOnCoreVerilator(elf, settings), name).toEqual(runOnCore(elf, settings));
      const result = await coreDifferential(elf, { engine: 'verilator', extension: false, maxCycles: 100_000 });
      expect(result.same, `${name}:\n${result.report}`).toBe(true);
    }
  });
});
