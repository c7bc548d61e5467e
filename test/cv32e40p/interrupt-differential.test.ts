// Interrupts on the ISS against the real CV32E40P (docs/cv32e40p.md#interrupts): the platform's
// CLINT timer fires at every cycle of straight-line code, hardware-loop bodies, load-use stalls,
// divides, taken branches, jumps, flushes and wfi, and the runs must agree exactly (stop, every
// register write, every instruction's cycle), with and without data-port grant delays; directed
// programs cover vectored mode, msip, mstatus.MIE and mip. INTERRUPT_SWEEP=long sweeps wider.
import { describe, expect, it } from 'vitest';
import { differential, type DifferentialOptions } from '../../cli/differential.js';
import { elfOf } from '../sim/support/engines.js';
import { RTL_PATH, skipUnlessRtl } from './rtl.js';
import { INTERRUPT_PROGRAMS, sweepPrograms, sweptOffsets } from './interrupt-programs.js';

const skip = skipUnlessRtl();

const settings = (options: Partial<DifferentialOptions> = {}): DifferentialOptions => ({ rtl: RTL_PATH, maxCycles: 100_000, ...options });

/** The programs of a sweep that disagree, with the first difference of each. */
async function disagreements(programs: readonly (readonly [string, string])[], options: Partial<DifferentialOptions> = {}): Promise<string[]> {
  const found: string[] = [];
  for (const [name, source] of programs) {
    const result = await differential(elfOf(source), settings(options));
    if (!result.same) found.push(`${name}:\n${result.report}`);
  }
  return found;
}

describe.skipIf(skip)('interrupts: the ISS against the CV32E40P RTL', () => {
  it.each(INTERRUPT_PROGRAMS)('%s', { timeout: 120_000 }, async (_, source, interrupts) => {
    const result = await differential(elfOf(source), settings());
    expect(result.rtl.stop).toBe(`exit ${interrupts}`);
    expect(result.same, `ISS and RTL differ:\n${result.report}`).toBe(true);
  });

  it('agree with the timer firing at every cycle of each kind of code', { timeout: 600_000 }, async () => {
    const programs = sweepPrograms(sweptOffsets());
    expect(await disagreements(programs)).toEqual([]);
  });

  it('agree under random grant delays on the data port', { timeout: 600_000 }, async () => {
    const offsets = sweptOffsets().filter((k) => k % 3 === 0);
    for (const seed of [1, 2]) {
      expect(await disagreements(sweepPrograms(offsets), { grantDelay: { kind: 'random', seed, max: 3 } })).toEqual([]);
    }
  });
});
