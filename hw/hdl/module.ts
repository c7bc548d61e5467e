// The module builder: what a generator function receives as `m`. Generators are plain TypeScript
// functions of their parameters; each distinct parameterization becomes its own Verilog module.
import type { Branch, ModuleDraft, Scope, WhenChain } from './draft.js';
import { HdlError } from './diagnostics.js';
import { type Expr, type Operand, coerce, literalBits } from './expr.js';
import { Memory, type MemoryOwner } from './memory.js';
import type { Instance, ModuleIR, ParamShape, ParamValue, Params } from './netlist.js';
import { Signal, type SignalOwner, type SignalRole } from './signal.js';
import { captureSite, type SourceSite } from './source.js';
import { type HdlType, sameType, typeName, UInt } from './types.js';
import { nameProblem } from './passes/names.js';

export type Ports = Record<string, Signal>;

export interface ModuleGenerator<P extends ParamShape<P>, IO extends Ports> {
  readonly baseName: string;
  readonly site: SourceSite;
  /** Describes the hardware for parameters `p`; returns the ports (by key) that instantiating code sees. */
  readonly build: (m: ModuleBuilder, p: P) => IO;
}

export function defineModule<P extends ParamShape<P> = Record<string, never>, IO extends Ports = Ports>(
  baseName: string,
  build: (m: ModuleBuilder, p: P) => IO,
): ModuleGenerator<P, IO> {
  const site = captureSite();
  const problem = nameProblem(baseName);
  if (problem) throw HdlError.single('names', `module name '${baseName}' ${problem}`, [{ label: 'defined', site }]);
  return { baseName, site, build };
}

function paramText(value: ParamValue): string {
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number') return value < 0 ? `n${-value}` : String(value).replace('.', 'p');
  // Other characters become _XX (hex), so distinct strings keep distinct names.
  return value.replace(/[^A-Za-z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Stable readable name of one parameterization: `Counter_width8`, keys sorted. Two different
 * parameterizations can still meet on one name (`{a: 12}` and `{a1: 2}`); the elaborator then
 * tells them apart with a hash suffix (see elaborate.ts).
 */
export function moduleName(baseName: string, params: Params): string {
  const keys = Object.keys(params).sort();
  return [baseName, ...keys.map((k) => `${k}${paramText(params[k]!)}`)].join('_');
}

/** Elaborates child modules on behalf of a builder (implemented by the elaborator, which caches them). */
export interface ChildElaborator {
  child<P extends ParamShape<P>, IO extends Ports>(gen: ModuleGenerator<P, IO>, params: P, site: SourceSite): { ir: ModuleIR; io: IO };
}

export class ModuleBuilder implements SignalOwner, MemoryOwner {
  private readonly signals: Signal[] = [];
  private readonly memories: Memory[] = [];
  private readonly instances: Instance[] = [];
  private readonly unusedBits: Expr[] = [];
  private readonly body: Scope = { statements: [] };
  private readonly scopes: Scope[] = [this.body];
  private finished = false;

  constructor(
    readonly moduleName: string,
    private readonly baseName: string,
    private readonly params: Params,
    private readonly site: SourceSite,
    private readonly elaborator: ChildElaborator,
  ) {}

  input(name: string, type: HdlType): Signal {
    return this.declare(name, type, 'input');
  }

  output(name: string, type: HdlType): Signal {
    return this.declare(name, type, 'output');
  }

  wire(name: string, type: HdlType): Signal {
    return this.declare(name, type, 'wire');
  }

  /** A named wire always equal to `value` (its name shows in the Verilog, the waveforms and the simulator). */
  node(name: string, value: Expr): Signal {
    const w = this.declare(name, value.type, 'wire');
    // A node is unconditional wherever it is declared, so its assignment goes into the module
    // body; inside a when or switch, before the chain being built (the body's last statement), so
    // that the chain stays open for its elseWhen/otherwise. The node is new, so no assignment to it
    // changes order.
    const statements = this.body.statements;
    statements.splice(this.scopes.length > 1 ? statements.length - 1 : statements.length, 0, { kind: 'assign', target: w, value, site: w.site });
    return w;
  }

  /** A register on the implicit clock; with `reset`, it takes that value while the implicit synchronous reset is high. */
  reg(name: string, type: HdlType, options: { reset?: number | bigint } = {}): Signal {
    const site = captureSite();
    const resetBits = options.reset === undefined ? undefined : literalBits(options.reset, type);
    return this.add(new Signal(name, type, 'reg', this, site, resetBits));
  }

  /** A memory of `depth` words (a power of two), e.g. a register file; see Memory for its ports. */
  mem(name: string, type: HdlType, depth: number, options: { init?: readonly (number | bigint)[] } = {}): Memory {
    const site = captureSite();
    if (!Number.isInteger(depth) || depth < 2 || (depth & (depth - 1)) !== 0) {
      throw HdlError.single('memory-port', `memory '${name}' depth must be a power of two of at least 2, got ${depth}`, [{ label: 'declared', site }], this.moduleName);
    }
    const init = (options.init ?? []).map((v) => literalBits(v, type));
    if (init.length > depth) {
      throw HdlError.single('memory-port', `memory '${name}' has ${init.length} initial words for depth ${depth}`, [{ label: 'declared', site }], this.moduleName);
    }
    const mem = new Memory(name, type, depth, this, site, init);
    this.memories.push(mem);
    return mem;
  }

  /**
   * Instantiates a child module. Returns parent-side wires named `<name>_<port>`, keyed like the
   * child's ports: assign the inputs, read the outputs.
   */
  instance<P extends ParamShape<P>, IO extends Ports>(name: string, gen: ModuleGenerator<P, IO>, params: P): IO {
    const site = captureSite();
    const { ir, io } = this.elaborator.child(gen, params, site);
    const bindings = ir.ports.map((port) => {
      const role: SignalRole = port.role === 'input' ? 'instance-input' : 'instance-output';
      return { port, wire: this.add(new Signal(`${name}_${port.name}`, port.type, role, this, site)) };
    });
    this.instances.push({ name, module: ir, bindings, site });
    const byPort = new Map(bindings.map((b) => [b.port, b.wire]));
    return Object.fromEntries(Object.entries(io).map(([key, port]) => [key, byPort.get(port)!])) as IO;
  }

  /**
   * Declares that the module ignores these values (or bits, e.g. `lane.bit(0)`) on purpose, so
   * lint tools do not report them as unused. Emitted as Verilator's `_unused` convention.
   */
  unused(...values: Expr[]): void {
    this.unusedBits.push(...values);
  }

  /** Assignments inside `body` apply when `cond` (UInt<1>) holds. Chain .elseWhen() and .otherwise(). */
  when(cond: Expr, body: () => void): WhenBuilder {
    return new WhenBuilder(this, this.openChain()).elseWhen(cond, body);
  }

  /** Selects on the values of `selector`; cases are tested in order. Chain .is(...) and .default(). */
  switch(selector: Expr): SwitchBuilder {
    const chain = this.openChain();
    return new SwitchBuilder(selector, chain, new WhenBuilder(this, chain));
  }

  recordAssign(target: Signal, value: Operand, site: SourceSite): void {
    this.checkOpen(site);
    this.checkActive(`${target.describe()} of module ${this.moduleName}`, target.site, site);
    this.current().statements.push({ kind: 'assign', target, value, site });
  }

  recordMemWrite(mem: Memory, addr: Expr, data: Expr, enable: Expr | null, site: SourceSite): void {
    this.checkOpen(site);
    this.checkActive(`memory '${mem.name}' of module ${this.moduleName}`, mem.site, site);
    this.current().statements.push({ kind: 'memwrite', mem, addr, data, enable, site });
  }

  /** The builders whose generators are running, innermost last (a parent waits while its child builds). */
  private static readonly building: ModuleBuilder[] = [];

  /** Runs the generator with this builder as the one being built. */
  build<T>(generator: () => T): T {
    ModuleBuilder.building.push(this);
    try {
      return generator();
    } finally {
      ModuleBuilder.building.pop();
    }
  }

  /** Only the module being built may change its own signals: a child's generator cannot reach into its parent. */
  private checkActive(what: string, declared: SourceSite, site: SourceSite): void {
    const active = ModuleBuilder.building.at(-1);
    if (active && active !== this) {
      throw HdlError.single('drivers', `${what} is assigned by the generator of module ${active.moduleName}; a module drives only its own signals`, [{ label: 'declared', site: declared }, { label: 'assigned', site }], active.moduleName);
    }
  }

  /** Runs `body` with `scope` as the target of assignments. */
  within(scope: Scope, body: () => void): void {
    this.scopes.push(scope);
    try {
      body();
    } finally {
      this.scopes.pop();
    }
  }

  /** Whether `chain` is still the last statement of the scope that holds it (so it may be extended). */
  isOpenChain(chain: WhenChain): boolean {
    const last = this.current().statements.at(-1);
    return last?.kind === 'when' && last.chain === chain;
  }

  finish(): ModuleDraft {
    this.finished = true;
    return {
      name: this.moduleName,
      baseName: this.baseName,
      params: this.params,
      site: this.site,
      signals: this.signals,
      memories: this.memories,
      instances: this.instances,
      unused: this.unusedBits,
      body: this.body,
      owner: this,
    };
  }

  private openChain(): WhenChain {
    const chain: WhenChain = { branches: [], otherwise: null, exhaustive: false };
    this.current().statements.push({ kind: 'when', chain });
    return chain;
  }

  private current(): Scope {
    return this.scopes.at(-1)!;
  }

  private declare(name: string, type: HdlType, role: SignalRole): Signal {
    return this.add(new Signal(name, type, role, this, captureSite()));
  }

  private add(signal: Signal): Signal {
    this.checkOpen(signal.site);
    this.signals.push(signal);
    return signal;
  }

  private checkOpen(site: SourceSite): void {
    if (this.finished) {
      throw HdlError.single('drivers', `module ${this.moduleName} is already elaborated; it can no longer be changed`, [{ label: 'change', site }]);
    }
  }
}

export class WhenBuilder {
  constructor(
    private readonly m: ModuleBuilder,
    private readonly chain: WhenChain,
  ) {}

  elseWhen(cond: Expr, body: () => void): WhenBuilder {
    const site = captureSite();
    this.checkExtensible('elseWhen', site);
    if (!sameType(cond.type, UInt(1))) {
      throw HdlError.single('operator', `when condition must be UInt<1>, got ${typeName(cond.type)}`, [{ label: 'condition', site }]);
    }
    const branch: Branch = { cond, body: { statements: [] }, site };
    this.chain.branches.push(branch);
    this.m.within(branch.body, body);
    return this;
  }

  otherwise(body: () => void): void {
    this.checkExtensible('otherwise', captureSite());
    this.chain.otherwise = { statements: [] };
    this.m.within(this.chain.otherwise, body);
  }

  private checkExtensible(what: string, site: SourceSite): void {
    if (this.chain.otherwise || !this.m.isOpenChain(this.chain)) {
      throw HdlError.single('operator', `${what}() must directly follow its when(), elseWhen() or is() in the same scope`, [{ label: what, site }]);
    }
  }
}

export class SwitchBuilder {
  private readonly covered = new Set<bigint>();

  constructor(
    private readonly selector: Expr,
    private readonly chain: WhenChain,
    private readonly when: WhenBuilder,
  ) {}

  /** A case for one value or a list of values of the selector. */
  is(values: Operand | readonly Operand[], body: () => void): SwitchBuilder {
    const list = (Array.isArray(values) ? values : [values]) as Operand[];
    if (list.length === 0) throw HdlError.single('operator', 'switch case is([]) lists no values', [{ label: 'case', site: captureSite() }]);
    const tests = list.map((v) => {
      const value = coerce(v, this.selector.type);
      if (value.node.kind === 'const') this.covered.add(value.node.bits);
      return this.selector.eq(value);
    });
    this.when.elseWhen(tests.reduce((acc, t) => acc.or(t)), body);
    this.chain.exhaustive = this.selector.width <= 20 && this.covered.size === 2 ** this.selector.width;
    return this;
  }

  default(body: () => void): void {
    this.when.otherwise(body);
  }
}
