// Design errors. Every check reports a Diagnostic naming the signal and the source sites involved;
// elaboration gathers all of them and throws one HdlError so the designer sees every problem at once.
import type { CheckId } from './checks.js';
import type { SourceSite } from './source.js';

export interface SiteNote {
  readonly label: string;
  readonly site: SourceSite;
}

export interface Diagnostic {
  /** The check that found it, e.g. 'width-mismatch'; docs/hdl-errors.md has one section per check. */
  readonly check: CheckId;
  readonly module?: string;
  readonly message: string;
  readonly sites: readonly SiteNote[];
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.module ? ` in module ${d.module}` : '';
  const lines = [`error[${d.check}]${where}: ${d.message}`];
  for (const note of d.sites) lines.push(`  --> ${note.label} at ${note.site.toString()}`);
  return lines.join('\n');
}

/** A mistake in a design description. The CLI prints its message and exits non-zero, without a stack trace. */
export class HdlError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.name = 'HdlError';
  }

  static single(check: CheckId, message: string, sites: readonly SiteNote[] = [], module?: string): HdlError {
    return new HdlError([{ check, message, sites, ...(module ? { module } : {}) }]);
  }
}
