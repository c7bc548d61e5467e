// The parameterizations the suite checks: every `checked` entry of every design in the registry,
// read at run time so designs added to hw/designs.ts are covered without touching the tests.
import { type Design, elaborate, type Params } from '../../hw/hdl/index.js';
import { designs } from '../../hw/designs.js';
import { emitVerilog, type VerilogFile } from '../../gen/verilog/index.js';

export interface CheckedDesign {
  /** e.g. `counter width=8`, for test names. */
  readonly label: string;
  readonly params: Params;
  /** Elaborates afresh on every call, so an elaboration error fails the test that needs it. */
  elaborate(): Design;
}

export const checkedDesigns: readonly CheckedDesign[] = designs.flatMap((entry) =>
  entry.checked.map((params) => ({
    label: [entry.name, ...Object.entries(params).map(([k, v]) => `${k}=${String(v)}`)].join(' '),
    params,
    elaborate: () => elaborate(entry.generator, params),
  })),
);

/** The two forms `nmsparse gen` emits: one file per module, and the whole hierarchy as one module. */
export const verilogForms = [
  { form: 'hierarchical', emit: (design: Design): VerilogFile[] => emitVerilog(design) },
  { form: 'flattened', emit: (design: Design): VerilogFile[] => emitVerilog(design, { flatten: true }) },
] as const;
