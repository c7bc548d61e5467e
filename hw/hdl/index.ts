// The embedded HDL: what design files import.
export { defineModule, ModuleBuilder, moduleName, type ModuleGenerator, type Ports } from './module';
export { Expr, U, S, lit, cat, mux, type Operand } from './expr';
export { Signal } from './signal';
export { Memory } from './memory';
export { UInt, SInt, Bool, clog2, typeName, type HdlType } from './types';
export { elaborate, type Design } from './elaborate';
export { HdlError, formatDiagnostic, type Diagnostic } from './diagnostics';
export type { CheckId } from './checks';
export type { ModuleIR, Params, ParamShape, ParamValue } from './netlist';
