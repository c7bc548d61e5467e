// Strict widths: an assignment's value must have exactly the target's width and signedness.
// Use zext/sext/trunc/resize/asSInt/asUInt to say what is meant; nothing is truncated silently.
import type { Diagnostic } from '../diagnostics.js';
import { forEachStatement } from '../draft.js';
import { Expr } from '../expr.js';
import { literalRange, sameType, typeName } from '../types.js';
import type { Pass } from './pass.js';

export const widthsPass: Pass<'module'> = {
  run(draft) {
    const out: Diagnostic[] = [];
    forEachStatement(draft.body, (s) => {
      if (s.kind !== 'assign') return;
      const t = s.target;
      const sites = [{ label: 'declared', site: t.site }, { label: 'assigned', site: s.site }];
      if (s.value instanceof Expr) {
        if (!sameType(s.value.type, t.type)) {
          out.push({ check: 'width-mismatch', module: draft.name, message: `${t.describe()} is ${typeName(t.type)} but is assigned a ${typeName(s.value.type)}`, sites });
        }
        return;
      }
      const { min, max } = literalRange(t.type);
      const v = BigInt(s.value);
      if (v < min || v > max) {
        out.push({ check: 'width-mismatch', module: draft.name, message: `${t.describe()} is ${typeName(t.type)} and cannot hold the literal ${v}`, sites });
      }
    });
    return out;
  },
};
