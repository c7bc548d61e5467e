// A signal that depends combinationally on itself, possibly through other signals and across
// module boundaries, has no stable value. Found on the flattened design, where loops through
// instances are visible.
import type { Pass } from './pass.js';

export const combLoopsPass: Pass<'design'> = {
  run({ flat, schedule }) {
    return schedule.loops.map((loop) => ({
      check: 'comb-loops',
      module: flat.name,
      message: `combinational loop through ${loop.map((s) => `'${s.path}'`).join(', ')}`,
      sites: loop.map((s) => ({ label: `'${s.path}' declared`, site: s.site })),
    }));
  },
};
