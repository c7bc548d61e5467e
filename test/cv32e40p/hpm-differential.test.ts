// The programmable performance counter mhpmcounter3 on the ISS against the real CV32E40P
// (docs/cv32e40p.md#performance-counter): for every event, alone and combined, every reading of
// the counter, of mhpmevent3 and of the fixed counters must agree, as must everything else the
// differential harness compares (stop, register writes, each instruction's cycle), with
// single-cycle memory and under random data-grant delays.
import { describe, expect, it } from 'vitest';
import { differential } from '../../cli/differential.js';
import { elfOf } from '../sim/support/engines.js';
import { HPM_ECALL_PROGRAMS, HPM_PROGRAMS } from './hpm-programs.js';
import { RTL_PATH, skipUnlessRtl } from './rtl.js';

const skip = skipUnlessRtl();

describe.skipIf(skip)('mhpmcounter3: the ISS against the CV32E40P RTL', () => {
  it.each(HPM_PROGRAMS)('%s', { timeout: 120_000 }, async (_, source, exitCode) => {
    const result = await differential(elfOf(source), { rtl: RTL_PATH, maxCycles: 1_000_000 });
    expect(result.rtl.stop).toBe(`exit ${exitCode}`);
    expect(result.same, `ISS and RTL differ:\n${result.report}`).toBe(true);
  });

  // Delayed grants hold a load in EX: its load-use stall lasts longer but counts once.
  it.each(HPM_PROGRAMS)('under random data-grant delays: %s', { timeout: 120_000 }, async (_, source, exitCode) => {
    const result = await differential(elfOf(source), { rtl: RTL_PATH, maxCycles: 1_000_000, grantDelay: { kind: 'random', seed: 5, max: 3 } });
    expect(result.rtl.stop).toBe(`exit ${exitCode}`);
    expect(result.same, `ISS and RTL differ:\n${result.report}`).toBe(true);
  });

  it.each(HPM_ECALL_PROGRAMS)('%s', { timeout: 120_000 }, async (_, source) => {
    const result = await differential(elfOf(source), { rtl: RTL_PATH, maxCycles: 1_000_000 });
    expect(result.rtl.stop).toBe('exit 0');
    expect(result.same, `ISS and RTL differ:\n${result.report}`).toBe(true);
  });
});
