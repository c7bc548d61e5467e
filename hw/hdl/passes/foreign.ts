// A module may read only its own signals and memories (and, through its instances' wires, their
// ports). Reading another module's internal signal would have no meaning in the emitted Verilog.
import type { Diagnostic } from '../diagnostics.js';
import { forEachStatement } from '../draft.js';
import { Expr, operands } from '../expr.js';
import type { SourceSite } from '../source.js';
import type { Pass } from './pass.js';

export const foreignRefsPass: Pass<'module'> = {
  run(draft) {
    const out: Diagnostic[] = [];
    const visited = new Set<Expr>();
    const walk = (e: Expr, site: SourceSite): void => {
      if (visited.has(e)) return;
      visited.add(e);
      const n = e.node;
      if (n.kind === 'ref' && n.signal.owner !== draft.owner) {
        out.push({ check: 'foreign-refs', module: draft.name, message: `reads ${n.signal.describe()} of module ${n.signal.owner.moduleName}`, sites: [{ label: 'declared', site: n.signal.site }, { label: 'read', site }] });
      }
      if (n.kind === 'memread' && n.mem.owner !== draft.owner) {
        out.push({ check: 'foreign-refs', module: draft.name, message: `reads memory '${n.mem.name}' of module ${n.mem.owner.moduleName}`, sites: [{ label: 'declared', site: n.mem.site }, { label: 'read', site }] });
      }
      for (const child of operands(n)) walk(child, site);
    };
    for (const e of draft.unused) walk(e, draft.site);
    forEachStatement(draft.body, (s) => {
      if (s.kind === 'assign') {
        if (s.value instanceof Expr) walk(s.value, s.site);
      } else if (s.kind === 'memwrite') {
        for (const e of [s.addr, s.data, s.enable]) if (e) walk(e, s.site);
      } else {
        for (const b of s.chain.branches) walk(b.cond, b.site);
      }
    });
    return out;
  },
};
