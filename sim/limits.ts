// The cycle limit of a run unless one is given, in a module of its own so that the command line can
// show it in its help without loading the simulator.
import type { Cycles } from '../isa/types.js';

/** Minutes of simulation on one core, far beyond any kernel of the project. */
export const DEFAULT_MAX_CYCLES: Cycles = 10 ** 10;
