// The elaboration pipeline is an ordered list of named passes (see ../elaborate.ts). A check reads
// a module draft or an elaborated netlist and returns diagnostics; it never throws for a design error.
import type { Diagnostic } from '../diagnostics';
import type { ModuleDraft } from '../draft';
import type { ModuleIR } from '../netlist';

export interface DraftCheck {
  readonly name: string;
  run(draft: ModuleDraft): Diagnostic[];
}

export interface NetlistCheck {
  readonly name: string;
  run(ir: ModuleIR): Diagnostic[];
}
