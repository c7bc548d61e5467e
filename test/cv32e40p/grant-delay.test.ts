// The ISS's charging of delayed data grants against the real CV32E40P: the same programs as the
// differential suite's single-core and timing-row programs, run with every data-port request
// granted g = 1, 2, 3 cycles late, and with seeded random delays 0..3 (isa/platform/grant-delay.ts:
// both draw the same delay for the same request). Stop, instructions, cycles and each
// instruction's cycle must agree exactly.
import { describe, expect, it } from 'vitest';
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import { differential } from '../../cli/differential.js';
import { elfOf } from '../sim/support/engines.js';
import { program, TIMING_INDEPENDENT_PROGRAMS } from '../sim/support/single-core-programs.js';
import { RTL_PATH, skipUnlessRtl } from './rtl.js';
import { KNOWN_DIFFERENCE_PROGRAMS, TIMING_ROW_PROGRAMS } from './timing-programs.js';

const skip = skipUnlessRtl();

const DELAYS: readonly GrantDelay[] = [
  { kind: 'fixed', cycles: 1 },
  { kind: 'fixed', cycles: 2 },
  { kind: 'fixed', cycles: 3 },
  ...[1, 2, 3].map((seed): GrantDelay => ({ kind: 'random', seed, max: 3 })),
];

/**
 * Jumps right after a load or store whose grant is delayed: the rule "a jump right after an
 * instruction holding EX hides its redirect" (docs/cv32e40p.md#timing) with a delayed access as
 * that instruction, to aligned and unaligned targets, jalr with its link register as base, a load
 * into the jump's link register (x0 included), a split access. The block runs at both halfword
 * alignments (after a compressed nop, once).
 */
const jumpsAfterDelayedAccess = (label: string): string => `
  la t0, ${label}_3
  lw t1, 0(a1)
  jal ra, ${label}_1
  nop
${label}_1:
  sw t1, 4(a1)
  jal ra, ${label}_2
  .2byte 0x0001
${label}_2:
  addi a0, a0, 1
  lw t2, 0(a1)
  jalr ra, 0(t0)
  .2byte 0x0001
${label}_3:
  la t0, ${label}_4
  lw t2, 0(a1)
  jalr t0, 0(t0)
  nop
${label}_4:
  lw ra, 0(a1)
  jal ra, ${label}_5
  nop
${label}_5:
  lw zero, 0(a1)
  j ${label}_6
  .2byte 0x0001
${label}_6:
  lw t1, 1(a1)
  j ${label}_7
  nop
${label}_7:
  sh t1, 3(a1)
  jal ra, ${label}_8
  .2byte 0x0001
${label}_8:
  add a0, a0, t2`;
const JUMPS_AFTER_DELAYED_ACCESS = program(`
  la a1, words
  li s0, 4
1:
${jumpsAfterDelayedAccess('aligned')}
  .2byte 0x0001
${jumpsAfterDelayedAccess('shifted')}
  addi s0, s0, -1
  bnez s0, 1b
`, 'words: .word 5, 6, 7, 8');

const PROGRAMS: readonly (readonly [string, string])[] = [
  ['jumps right after a delayed load or store', JUMPS_AFTER_DELAYED_ACCESS],
  ...TIMING_INDEPENDENT_PROGRAMS,
  // Not 'hwloop, store inside' (nor 'store last', as in differential.test.ts): a delayed grant
  // lets the RTL fetch the loop's old instruction before the store replaces it, which RISC-V
  // allows without fence.i; the ISS's immediate effect is the other legal outcome.
  ...TIMING_ROW_PROGRAMS,
  ...KNOWN_DIFFERENCE_PROGRAMS,
];

const describeDelay = (delay: GrantDelay): string => (delay.kind === 'fixed' ? `grant delay ${delay.cycles}` : `random grant delay 0..${delay.max}, seed ${delay.seed}`);

describe.skipIf(skip)('the ISS against the CV32E40P RTL, data grants delayed', () => {
  describe.each(DELAYS.map((delay) => [describeDelay(delay), delay] as const))('%s', (_, grantDelay) => {
    it.each(PROGRAMS)('%s', { timeout: 120_000 }, async (_name, source) => {
      const result = await differential(elfOf(source), { rtl: RTL_PATH, maxCycles: 5_000_000, grantDelay });
      expect(result.iss.stop).toMatch(/^exit /);
      expect(result.same, `ISS and RTL differ:\n${result.report}`).toBe(true);
    });
  });
});
