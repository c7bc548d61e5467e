// Who may drive what: a module drives its own outputs, wires, registers and the inputs of its
// instances (that a generator assigns only its own module's signals is enforced as it runs, in
// ModuleBuilder). Two unconditional assignments to one signal in the same scope are a conflict: the first
// can never take effect, which is almost always a mistake (both sites are reported).
import type { Diagnostic } from '../diagnostics.js';
import type { Scope } from '../draft.js';
import type { Signal } from '../signal.js';
import type { SourceSite } from '../source.js';
import type { Pass } from './pass.js';

const drivenFromOutside: Partial<Record<Signal['role'], string>> = {
  input: 'is driven by the parent module',
  'instance-output': 'is driven by its instance',
};

export const driversPass: Pass<'module'> = {
  run(draft) {
    const out: Diagnostic[] = [];
    const visit = (scope: Scope): void => {
      const direct = new Map<Signal, SourceSite>();
      for (const s of scope.statements) {
        if (s.kind === 'when') {
          for (const b of s.chain.branches) visit(b.body);
          if (s.chain.otherwise) visit(s.chain.otherwise);
          continue;
        }
        if (s.kind !== 'assign') continue;
        const t = s.target;
        const declared = { label: 'declared', site: t.site };
        const outside = drivenFromOutside[t.role];
        if (outside) {
          out.push({ check: 'drivers', module: draft.name, message: `${t.describe()} ${outside}; it cannot be assigned here`, sites: [declared, { label: 'assigned', site: s.site }] });
          continue;
        }
        const earlier = direct.get(t);
        if (earlier) {
          out.push({ check: 'conflicting-drivers', module: draft.name, message: `${t.describe()} is assigned twice in the same scope; the first assignment never takes effect`, sites: [declared, { label: 'first assigned', site: earlier }, { label: 'assigned again', site: s.site }] });
        }
        direct.set(t, s.site);
      }
    };
    visit(draft.body);
    return out;
  },
};
