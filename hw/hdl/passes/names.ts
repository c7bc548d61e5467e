// Names must survive into Verilog unchanged: plain identifiers, no keywords, no clash with the
// implicit clock/reset or generated temporaries, and unique within their module.
import type { Diagnostic, SiteNote } from '../diagnostics.js';
import type { Pass } from './pass.js';
import { verilogKeywords } from './keywords.js';

const identifier = /^[A-Za-z][A-Za-z0-9_]*$/;
/** The implicit clock and synchronous reset ports of modules with state. */
export const implicitPorts: ReadonlySet<string> = new Set(['clk', 'rst']);

/** Why `name` cannot appear unchanged in the Verilog, or null. */
export function nameProblem(name: string): string | null {
  if (!identifier.test(name)) return 'is not a plain identifier (letters, digits and _, starting with a letter; a leading _ is reserved for generated names)';
  if (name.includes('__')) return "contains '__', which flattened Verilog uses to join instance paths";
  if (verilogKeywords.has(name)) return 'is a Verilog/SystemVerilog keyword';
  return null;
}

export const namesPass: Pass<'module'> = {
  run(draft) {
    const out: Diagnostic[] = [];
    const seen = new Map<string, SiteNote>();
    const declared = [
      ...draft.signals.map((s) => ({ name: s.name, what: s.describe(), site: s.site })),
      ...draft.memories.map((m) => ({ name: m.name, what: `memory '${m.name}'`, site: m.site })),
      ...draft.instances.map((i) => ({ name: i.name, what: `instance '${i.name}'`, site: i.site })),
    ];
    for (const d of declared) {
      const here: SiteNote = { label: 'declared', site: d.site };
      const problem = nameProblem(d.name) ?? (implicitPorts.has(d.name) ? 'is reserved for the implicit clock and reset' : null);
      if (problem) {
        out.push({ check: 'names', module: draft.name, message: `the name of ${d.what} ${problem}`, sites: [here] });
        continue;
      }
      const first = seen.get(d.name);
      if (first) {
        out.push({ check: 'names', module: draft.name, message: `${d.what} has the same name as an earlier declaration`, sites: [{ label: 'first declared', site: first.site }, { label: 'declared again', site: d.site }] });
      } else {
        seen.set(d.name, here);
      }
    }
    return out;
  },
};
