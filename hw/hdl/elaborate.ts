// Elaboration: runs the designer's generators and then the ordered list of passes below.
// Every check gathers all of its findings; elaboration stops after the first phase that found any.
//   build        run each generator once per distinct parameterization (children first)
//   names        identifiers, keywords, reserved and duplicate names
//   drivers      who may assign what; conflicting unconditional assignments
//   widths       assignment width/signedness mismatches and literals that do not fit
//   foreign-refs reads of another module's signals
//   lower        when/switch scopes to one driver expression per signal
//   undriven     outputs, wires and instance inputs without a value on some path
//   flatten      one netlist with hierarchical names, for simulation and whole-design checks
//   comb-loops   combinational cycles, across module boundaries
import { combLoopsCheck } from './passes/comb-loops';
import { driversCheck } from './passes/drivers';
import { foreignRefsCheck } from './passes/foreign';
import { namesCheck } from './passes/names';
import type { DraftCheck, NetlistCheck } from './passes/pass';
import { undrivenCheck } from './passes/undriven';
import { widthsCheck } from './passes/widths';
import { type Diagnostic, HdlError } from './diagnostics';
import { flatten } from './flatten';
import { lower } from './lower';
import { type ChildElaborator, ModuleBuilder, type ModuleGenerator, type Ports, moduleName } from './module';
import type { ModuleIR, ParamShape, Params } from './netlist';
import { type Schedule, schedule } from './schedule';
import type { SourceSite } from './source';

export const draftChecks: readonly DraftCheck[] = [namesCheck, driversCheck, widthsCheck, foreignRefsCheck];
export const netlistChecks: readonly NetlistCheck[] = [undrivenCheck];
/** Every pass in order, for documentation and `nmsparse list --passes`-style listings. */
export const passNames: readonly string[] = ['build', ...draftChecks.map((c) => c.name), 'lower', ...netlistChecks.map((c) => c.name), 'flatten', combLoopsCheck.name];

export interface Design {
  readonly top: ModuleIR;
  /** Every distinct module, children before parents; the top is last. */
  readonly modules: readonly ModuleIR[];
  readonly flat: ModuleIR;
  readonly schedule: Schedule;
}

function throwIfAny(diagnostics: Diagnostic[]): void {
  if (diagnostics.length > 0) throw new HdlError(diagnostics);
}

class Elaborator implements ChildElaborator {
  readonly modules: ModuleIR[] = [];
  private readonly cache = new Map<string, { gen: unknown; ir: ModuleIR; io: Ports }>();
  private readonly inProgress = new Set<string>();

  child<P extends ParamShape<P>, IO extends Ports>(gen: ModuleGenerator<P, IO>, params: P, site: SourceSite): { ir: ModuleIR; io: IO } {
    const name = moduleName(gen.baseName, params as Params);
    const cached = this.cache.get(name);
    if (cached) {
      if (cached.gen !== gen) {
        throw HdlError.single('names', `two different generators produce the module name ${name}`, [{ label: 'first defined', site: cached.ir.site }, { label: 'also defined', site: gen.site }]);
      }
      return { ir: cached.ir, io: cached.io as IO };
    }
    if (this.inProgress.has(name)) {
      throw HdlError.single('names', `module ${name} instantiates itself`, [{ label: 'instantiated', site }]);
    }
    this.inProgress.add(name);
    const builder = new ModuleBuilder(name, gen.baseName, params as Params, gen.site, this);
    const io = gen.build(builder, params);
    const draft = builder.finish();
    this.inProgress.delete(name);

    const diagnostics = draftChecks.flatMap((c) => c.run(draft));
    for (const [key, port] of Object.entries(io)) {
      if (port.owner !== builder || (port.role !== 'input' && port.role !== 'output')) {
        diagnostics.push({ check: 'names', module: name, message: `the generator returns '${key}', which is not one of its own ports`, sites: [{ label: 'declared', site: port.site }] });
      }
    }
    throwIfAny(diagnostics);
    const ir = lower(draft);
    throwIfAny(netlistChecks.flatMap((c) => c.run(ir)));
    this.cache.set(name, { gen, ir, io });
    this.modules.push(ir);
    return { ir, io };
  }
}

/** Elaborates `gen` with `params` as the top module and checks the whole design. */
export function elaborate<P extends ParamShape<P>, IO extends Ports>(gen: ModuleGenerator<P, IO>, params: P): Design {
  const elaborator = new Elaborator();
  const { ir: top } = elaborator.child(gen, params, gen.site);
  const flat = flatten(top);
  const sched = schedule(flat);
  throwIfAny(combLoopsCheck.run(flat, sched));
  return { top, modules: elaborator.modules, flat, schedule: sched };
}
