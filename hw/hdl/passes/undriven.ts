// Every output, wire and instance input needs a value on every path through the when/switch
// blocks: otherwise the hardware would hold a latch or an undefined value.
import type { Diagnostic, SiteNote } from '../diagnostics.js';
import type { Expr } from '../expr.js';
import type { Pass } from './pass.js';

function hasUndefinedPath(e: Expr): boolean {
  const n = e.node;
  if (n.kind === 'undef') return true;
  return n.kind === 'mux' && (hasUndefinedPath(n.whenTrue) || hasUndefinedPath(n.whenFalse));
}

export const undrivenPass: Pass<'netlist'> = {
  run(ir) {
    const out: Diagnostic[] = [];
    for (const [signal, value] of ir.comb) {
      if (!hasUndefinedPath(value)) continue;
      const sites: SiteNote[] = [{ label: 'declared', site: signal.site }];
      const assigned = ir.assignSites.get(signal) ?? [];
      for (const site of assigned) sites.push({ label: 'assigned (conditionally)', site });
      const what = assigned.length === 0 ? 'is never assigned' : 'is not assigned on every path (add a default assignment or an otherwise())';
      out.push({ check: 'undriven', module: ir.name, message: `${signal.describe()} ${what}`, sites });
    }
    return out;
  },
};
