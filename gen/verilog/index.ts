// Verilog backend: one file per module (named after it, as lint tools expect), children first.
import type { Design } from '../../hw/hdl/index.js';
import { emitModule } from './module.js';

export { initMacro } from './module.js';

export interface VerilogFile {
  readonly module: string;
  readonly fileName: string;
  readonly text: string;
}

export interface VerilogOptions {
  /** Emit the whole design as one module with hierarchical names (u_alu__sum) instead of one module per definition. */
  readonly flatten?: boolean;
}

export function emitVerilog(design: Design, options: VerilogOptions = {}): VerilogFile[] {
  const modules = options.flatten ? [design.flat] : design.modules;
  return modules.map((ir) => ({ module: ir.name, fileName: `${ir.name}.v`, text: emitModule(ir) }));
}
