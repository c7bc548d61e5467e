// Asserts the complete diagnostics of a failing elaboration: check name, module, message and every
// site (label, file and line, the line given by a marker of the test file).
import { expect } from 'vitest';
import { type CheckId, type Diagnostic, HdlError } from '../../../hw/hdl/index.js';
import type { SourceMarkers } from './markers.js';

/** One expected diagnostic; sites are [label, marker] pairs in the order the check reports them. */
export interface ExpectedDiagnostic {
  readonly check: CheckId;
  readonly module?: string;
  readonly message: string;
  readonly sites: readonly (readonly [label: string, marker: string])[];
}

/** Runs `run`, which must throw an HdlError, and returns its diagnostics. */
export function diagnosticsOf(run: () => unknown): readonly Diagnostic[] {
  try {
    run();
  } catch (e) {
    if (e instanceof HdlError) return e.diagnostics;
    throw e;
  }
  throw new Error('expected an HdlError, but nothing was thrown');
}

function comparable(d: Diagnostic) {
  return {
    check: d.check,
    module: d.module,
    message: d.message,
    sites: d.sites.map((s) => ({ label: s.label, file: s.site.loc?.file, line: s.site.loc?.line })),
  };
}

export function expectDiagnostics(markers: SourceMarkers, run: () => unknown, expected: readonly ExpectedDiagnostic[]): void {
  const want = expected.map((e) => ({
    check: e.check,
    module: e.module,
    message: e.message,
    sites: e.sites.map(([label, marker]) => ({ label, file: markers.file, line: markers.at(marker).line })),
  }));
  expect(diagnosticsOf(run).map(comparable)).toEqual(want);
}
