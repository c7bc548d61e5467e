// The elaborated form of a module: every signal's final driver as an expression DAG, register
// next-state functions, memory write ports and child instances. Emitters and the simulator read this.
import type { Expr } from './expr.js';
import type { Memory } from './memory.js';
import type { Signal } from './signal.js';
import type { SourceSite } from './source.js';

export type ParamValue = number | boolean | string;
export type Params = Readonly<Record<string, ParamValue>>;
/** Constraint for a generator's parameter type: any object type (interfaces included) whose fields are parameter values. */
export type ParamShape<P> = { readonly [K in keyof P]: ParamValue };

export interface InstanceBinding {
  /** The port as declared inside the child module. */
  readonly port: Signal;
  /** The parent-side wire named `<instance>_<port>` that carries it. */
  readonly wire: Signal;
}

export interface Instance {
  readonly name: string;
  readonly module: ModuleIR;
  readonly bindings: readonly InstanceBinding[];
  readonly site: SourceSite;
}

export interface RegUpdate {
  readonly reg: Signal;
  readonly next: Expr;
}

export interface MemWritePort {
  readonly mem: Memory;
  readonly addr: Expr;
  readonly data: Expr;
  /** The enclosing when/switch conditions and the port's own enable, combined. */
  readonly enable: Expr;
  readonly site: SourceSite;
}

export interface ModuleIR {
  /** Unique Verilog module name: the base name plus the parameter values. */
  readonly name: string;
  readonly baseName: string;
  readonly params: Params;
  readonly site: SourceSite;
  readonly ports: readonly Signal[];
  /** Every signal in declaration order, ports included. */
  readonly signals: readonly Signal[];
  readonly memories: readonly Memory[];
  /** Final driver of every output, wire and instance input. */
  readonly comb: ReadonlyMap<Signal, Expr>;
  readonly regs: readonly RegUpdate[];
  readonly memWrites: readonly MemWritePort[];
  readonly instances: readonly Instance[];
  /** Values the designer marked as deliberately unused (m.unused): only lint tools care. */
  readonly unused: readonly Expr[];
  /** Source sites of the assignments to each signal (for messages and `src` annotations). */
  readonly assignSites: ReadonlyMap<Signal, readonly SourceSite[]>;
  /** True when the module or a descendant holds state, so it needs the implicit clk. */
  readonly clocked: boolean;
  /** True when the module or a descendant has a register with a reset value, so it needs the implicit rst. */
  readonly resettable: boolean;
}
