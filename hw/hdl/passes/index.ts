// The implementation of every pass that the check registry (../checks.ts) names, by stage. A pass
// named there and missing here, or implemented here and not named there, fails to compile.
import { type PassName, type PassStage, passNames } from '../checks.js';
import { combLoopsPass } from './comb-loops.js';
import { driversPass } from './drivers.js';
import { foreignRefsPass } from './foreign.js';
import { namesPass } from './names.js';
import type { Pass } from './pass.js';
import { undrivenPass } from './undriven.js';
import { widthsPass } from './widths.js';

type PassTable<S extends PassStage> = Readonly<Record<PassName<S>, Pass<S>>>;

const implementations: { readonly [S in PassStage]: PassTable<S> } = {
  module: { names: namesPass, drivers: driversPass, widths: widthsPass, 'foreign-refs': foreignRefsPass },
  netlist: { undriven: undrivenPass },
  design: { 'comb-loops': combLoopsPass },
};

/** The passes that run at `stage`, in registry order. */
export function passesAt<S extends PassStage>(stage: S): readonly Pass<S>[] {
  const table: PassTable<S> = implementations[stage];
  return passNames(stage).map((name) => table[name]);
}
