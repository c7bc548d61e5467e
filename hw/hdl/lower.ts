// Lowering: turns the scope tree of when/switch blocks into one driver expression per signal.
// Each chain becomes a priority mux mirroring the source (`c1 ? v1 : c2 ? v2 : previous`), so the
// last assignment that applies wins; a signal no path assigns keeps an 'undef' leaf for the
// undriven check to report. Registers start from their own value: unassigned means hold.
import type { ModuleDraft, Scope, Statement } from './draft.js';
import { type Expr, OpExpr, coerce, lit, undef } from './expr.js';
import { UInt } from './types.js';
import type { MemWritePort, ModuleIR, RegUpdate } from './netlist.js';
import { isDrivenByParent, type Signal } from './signal.js';
import type { SourceSite } from './source.js';

type Env = Map<Signal, Expr>;

function and(a: Expr | null, b: Expr | null): Expr | null {
  if (!a) return b;
  if (!b) return a;
  return a.and(b);
}

function select(cond: Expr, whenTrue: Expr, whenFalse: Expr): Expr {
  return whenTrue === whenFalse ? whenTrue : new OpExpr(whenTrue.type, { kind: 'mux', sel: cond, whenTrue, whenFalse });
}

class Lowering {
  readonly memWrites: MemWritePort[] = [];
  readonly assignSites = new Map<Signal, SourceSite[]>();

  scope(scope: Scope, env: Env, path: Expr | null): void {
    for (const s of scope.statements) this.statement(s, env, path);
  }

  private statement(s: Statement, env: Env, path: Expr | null): void {
    switch (s.kind) {
      case 'assign': {
        env.set(s.target, coerce(s.value, s.target.type));
        const sites = this.assignSites.get(s.target) ?? [];
        sites.push(s.site);
        this.assignSites.set(s.target, sites);
        return;
      }
      case 'memwrite': {
        const enable = and(path, s.enable) ?? lit(1, UInt(1));
        this.memWrites.push({ mem: s.mem, addr: s.addr, data: s.data, enable, site: s.site });
        return;
      }
      case 'when': {
        const { branches, otherwise, exhaustive } = s.chain;
        const outcomes: { cond: Expr | null; env: Env }[] = [];
        let nonePrevious: Expr | null = null;
        branches.forEach((b, i) => {
          // The last case of a switch covering every selector value needs no test.
          const cond = exhaustive && !otherwise && i === branches.length - 1 ? null : b.cond;
          const branchEnv = new Map(env);
          this.scope(b.body, branchEnv, and(path, and(nonePrevious, cond)));
          outcomes.push({ cond, env: branchEnv });
          nonePrevious = and(nonePrevious, b.cond.not());
        });
        const elseEnv = new Map(env);
        if (otherwise) this.scope(otherwise, elseEnv, and(path, nonePrevious));
        for (const signal of env.keys()) {
          let value = elseEnv.get(signal)!;
          for (let i = outcomes.length - 1; i >= 0; i--) {
            const o = outcomes[i]!;
            const v = o.env.get(signal)!;
            value = o.cond ? select(o.cond, v, value) : v;
          }
          env.set(signal, value);
        }
        return;
      }
    }
  }
}

export function lower(draft: ModuleDraft): ModuleIR {
  const env: Env = new Map();
  for (const s of draft.signals) {
    if (isDrivenByParent(s.role)) env.set(s, s.role === 'reg' ? s : undef(s.type));
  }
  const lowering = new Lowering();
  lowering.scope(draft.body, env, null);
  const comb = new Map<Signal, Expr>();
  const regs: RegUpdate[] = [];
  for (const [signal, value] of env) {
    if (signal.role === 'reg') regs.push({ reg: signal, next: value });
    else comb.set(signal, value);
  }
  const instances = draft.instances;
  return {
    name: draft.name,
    baseName: draft.baseName,
    params: draft.params,
    site: draft.site,
    ports: draft.signals.filter((s) => s.role === 'input' || s.role === 'output'),
    signals: draft.signals,
    memories: draft.memories,
    comb,
    regs,
    memWrites: lowering.memWrites,
    instances,
    unused: draft.unused,
    assignSites: lowering.assignSites,
    clocked: regs.length > 0 || lowering.memWrites.length > 0 || instances.some((i) => i.module.clocked),
    resettable: regs.some((r) => r.reg.resetBits !== undefined) || instances.some((i) => i.module.resettable),
  };
}
