// A pass reads what its stage produced and returns diagnostics; it never throws for a design error.
// Which passes run, at which stage and in what order, is the check registry's (../checks.ts).
import type { PassStage } from '../checks.js';
import type { Diagnostic } from '../diagnostics.js';
import type { ModuleDraft } from '../draft.js';
import type { ModuleIR } from '../netlist.js';
import type { Schedule } from '../schedule.js';

/** The flattened design with its combinational schedule (which finds the loops). */
export interface ScheduledDesign {
  readonly flat: ModuleIR;
  readonly schedule: Schedule;
}

/** What the passes of each stage read. */
export interface StageInput {
  readonly module: ModuleDraft;
  readonly netlist: ModuleIR;
  readonly design: ScheduledDesign;
}

export interface Pass<S extends PassStage> {
  run(input: StageInput[S]): Diagnostic[];
}
