// The embedded HDL: what design files import.
export { defineModule, ModuleBuilder, moduleName, type ModuleGenerator, type Ports } from './module.js';
export { Expr, U, S, lit, cat, mux, type Operand } from './expr.js';
export { Signal } from './signal.js';
export { Memory } from './memory.js';
export { UInt, SInt, Bool, clog2, typeName, type HdlType } from './types.js';
export { elaborate, type Design } from './elaborate.js';
export { HdlError, formatDiagnostic, type Diagnostic } from './diagnostics.js';
export type { CheckId } from './checks.js';
export type { ModuleIR, Params, ParamShape, ParamValue } from './netlist.js';
