// The programs of programs.test.ts (under the grant delays the core tests use) where the core, in
// both of its simulations, does not yet run like the ISS: the fetch unit's open bugs around
// hardware-loop back edges and fetch redirects under stalls (being fixed in hw/core/). Tests that
// compare the core with the ISS leave these out; tests that compare the core's two simulations
// with each other keep them.
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import { KNOWN_DIFFERENCE_PROGRAMS, TIMING_ROW_PROGRAMS } from '../cv32e40p/timing-programs.js';
import { TIMING_INDEPENDENT_PROGRAMS } from '../sim/support/single-core-programs.js';

export const PROGRAMS = [...TIMING_INDEPENDENT_PROGRAMS, ...TIMING_ROW_PROGRAMS, ...KNOWN_DIFFERENCE_PROGRAMS];
export const GRANT_DELAYS: readonly (GrantDelay | undefined)[] = [undefined, { kind: 'fixed', cycles: 2 }, { kind: 'random', seed: 3, max: 3 }];

const KNOWN_CORE_DIFFERENCES = new Set([
  'hardware-loop kernels undefined',
  'hardware-loop kernels {"kind":"random","seed":3,"max":3}',
  'misaligned loads and stores {"kind":"fixed","cycles":2}',
  'misaligned loads and stores {"kind":"random","seed":3,"max":3}',
  'self-modifying code, branch loop with fence.i {"kind":"fixed","cycles":2}',
  'self-modifying code, branch loop with fence.i {"kind":"random","seed":3,"max":3}',
]);

/** True where the core is known not to run `name` like the ISS under `grantDelay`. */
export const knownCoreDifference = (name: string, grantDelay: GrantDelay | undefined): boolean => KNOWN_CORE_DIFFERENCES.has(`${name} ${JSON.stringify(grantDelay)}`);
