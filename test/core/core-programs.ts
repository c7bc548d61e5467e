// The hand-written single-core programs and the grant delays the core's tests run them under.
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import { KNOWN_DIFFERENCE_PROGRAMS, TIMING_ROW_PROGRAMS } from '../cv32e40p/timing-programs.js';
import { TIMING_INDEPENDENT_PROGRAMS } from '../sim/support/single-core-programs.js';

export const PROGRAMS = [...TIMING_INDEPENDENT_PROGRAMS, ...TIMING_ROW_PROGRAMS, ...KNOWN_DIFFERENCE_PROGRAMS];
export const GRANT_DELAYS: readonly (GrantDelay | undefined)[] = [undefined, { kind: 'fixed', cycles: 2 }, { kind: 'random', seed: 3, max: 3 }];

