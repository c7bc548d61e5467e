// The programs of programs.test.ts (under the grant delays the core tests use) where the core, in
// both of its simulations, does not yet run like the ISS: a fence.i right after a store whose grant
// is delayed does not show as leaving decode, and the loop after it runs differently (open in
// hw/core/). Tests that compare the core with the ISS leave these out; tests that compare the
// core's two simulations with each other keep them.
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import { KNOWN_DIFFERENCE_PROGRAMS, TIMING_ROW_PROGRAMS } from '../cv32e40p/timing-programs.js';
import { TIMING_INDEPENDENT_PROGRAMS } from '../sim/support/single-core-programs.js';

export const PROGRAMS = [...TIMING_INDEPENDENT_PROGRAMS, ...TIMING_ROW_PROGRAMS, ...KNOWN_DIFFERENCE_PROGRAMS];
export const GRANT_DELAYS: readonly (GrantDelay | undefined)[] = [undefined, { kind: 'fixed', cycles: 2 }, { kind: 'random', seed: 3, max: 3 }];

const KNOWN_CORE_DIFFERENCES = new Set([
  'self-modifying code, branch loop with fence.i {"kind":"fixed","cycles":2}',
  'self-modifying code, branch loop with fence.i {"kind":"random","seed":3,"max":3}',
]);

/** True where the core is known not to run `name` like the ISS under `grantDelay`. */
export const knownCoreDifference = (name: string, grantDelay: GrantDelay | undefined): boolean => KNOWN_CORE_DIFFERENCES.has(`${name} ${JSON.stringify(grantDelay)}`);
