// Elaboration: runs the designer's generators (children first, once per distinct parameterization),
// then the passes of each stage of the check registry (./checks.ts): the module passes on each
// module's draft, the netlist passes once the module is lowered to one driver per signal, and the
// design passes on the flattened and scheduled top. Every pass gathers all of its findings;
// elaboration stops after the first stage that found any.
import { createHash } from 'node:crypto';
import { type Diagnostic, HdlError } from './diagnostics.js';
import { flatten } from './flatten.js';
import { lower } from './lower.js';
import { passesAt } from './passes/index.js';
import { type ChildElaborator, ModuleBuilder, type ModuleGenerator, type Ports, moduleName } from './module.js';
import type { ModuleIR, ParamShape, Params } from './netlist.js';
import { type Schedule, schedule } from './schedule.js';
import type { SourceSite } from './source.js';

const modulePasses = passesAt('module');
const netlistPasses = passesAt('netlist');
const designPasses = passesAt('design');

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

/** Parameters in a canonical text form: the identity of a parameterization. */
function canonical(params: Params): string {
  return JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
}

class Elaborator implements ChildElaborator {
  readonly modules: ModuleIR[] = [];
  /** Elaborated modules by generator and canonical parameters. */
  private readonly cache = new Map<unknown, Map<string, { ir: ModuleIR; io: Ports }>>();
  /** Which generator and parameters hold each module name. */
  private readonly names = new Map<string, { gen: ModuleGenerator<never, Ports>; key: string }>();
  private readonly inProgress = new Set<string>();

  child<P extends ParamShape<P>, IO extends Ports>(gen: ModuleGenerator<P, IO>, params: P, site: SourceSite): { ir: ModuleIR; io: IO } {
    const key = canonical(params as Params);
    const cached = this.cache.get(gen)?.get(key);
    if (cached) return { ir: cached.ir, io: cached.io as IO };
    const name = this.uniqueName(gen as unknown as ModuleGenerator<never, Ports>, params as Params, key);
    if (this.inProgress.has(name)) {
      throw HdlError.single('names', `module ${name} instantiates itself`, [{ label: 'instantiated', site }]);
    }
    this.inProgress.add(name);
    const builder = new ModuleBuilder(name, gen.baseName, params as Params, gen.site, this);
    const io = builder.build(() => gen.build(builder, params));
    const draft = builder.finish();
    this.inProgress.delete(name);

    const diagnostics = modulePasses.flatMap((p) => p.run(draft));
    for (const [port, signal] of Object.entries(io)) {
      if (signal.owner !== builder || (signal.role !== 'input' && signal.role !== 'output')) {
        diagnostics.push({ check: 'names', module: name, message: `the generator returns '${port}', which is not one of its own ports`, sites: [{ label: 'declared', site: signal.site }] });
      }
    }
    throwIfAny(diagnostics);
    const ir = lower(draft);
    throwIfAny(netlistPasses.flatMap((p) => p.run(ir)));
    const byParams = this.cache.get(gen) ?? new Map<string, { ir: ModuleIR; io: Ports }>();
    byParams.set(key, { ir, io });
    this.cache.set(gen, byParams);
    this.modules.push(ir);
    return { ir, io };
  }

  /**
   * The readable name of a parameterization, unless another parameterization of the same generator
   * already holds it; then the name gets a short hash of the parameters. Two different generators
   * with one base name are a mistake the designer must fix.
   */
  private uniqueName(gen: ModuleGenerator<never, Ports>, params: Params, key: string): string {
    let name = moduleName(gen.baseName, params);
    const holder = this.names.get(name);
    if (holder && holder.gen !== gen) {
      throw HdlError.single('names', `two different generators are both named ${gen.baseName}`, [{ label: 'first defined', site: holder.gen.site }, { label: 'also defined', site: gen.site }]);
    }
    if (holder && holder.key !== key) name = `${name}_${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    this.names.set(name, { gen, key });
    return name;
  }
}

/** Elaborates `gen` with `params` as the top module and checks the whole design. */
export function elaborate<P extends ParamShape<P>, IO extends Ports>(gen: ModuleGenerator<P, IO>, params: P): Design {
  const elaborator = new Elaborator();
  const { ir: top } = elaborator.child(gen, params, gen.site);
  const flat = flatten(top);
  const sched = schedule(flat);
  throwIfAny(designPasses.flatMap((p) => p.run({ flat, schedule: sched })));
  return { top, modules: elaborator.modules, flat, schedule: sched };
}
