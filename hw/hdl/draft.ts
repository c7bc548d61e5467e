// What the designer's generator records before lowering: declarations and a tree of scopes
// (when/elseWhen/otherwise and switch bodies) holding assignments in program order.
import type { Expr, Operand } from './expr.js';
import type { Memory } from './memory.js';
import type { Instance, Params } from './netlist.js';
import type { Signal } from './signal.js';
import type { SourceSite } from './source.js';

export type Statement =
  | { readonly kind: 'assign'; readonly target: Signal; readonly value: Operand; readonly site: SourceSite }
  | {
      readonly kind: 'memwrite';
      readonly mem: Memory;
      readonly addr: Expr;
      readonly data: Expr;
      readonly enable: Expr | null;
      readonly site: SourceSite;
    }
  | { readonly kind: 'when'; readonly chain: WhenChain };

export interface Scope {
  readonly statements: Statement[];
}

export interface Branch {
  readonly cond: Expr;
  readonly body: Scope;
  readonly site: SourceSite;
}

export interface WhenChain {
  readonly branches: Branch[];
  otherwise: Scope | null;
  /** A switch whose cases cover every value of the selector: its last case needs no test. */
  exhaustive: boolean;
}

export interface ModuleDraft {
  readonly name: string;
  readonly baseName: string;
  readonly params: Params;
  readonly site: SourceSite;
  readonly signals: readonly Signal[];
  readonly memories: readonly Memory[];
  readonly instances: readonly Instance[];
  /** Values the designer marked as deliberately unused (m.unused). */
  readonly unused: readonly Expr[];
  readonly body: Scope;
  /** Identifies the module's own signals (their owner) for the foreign-reference check. */
  readonly owner: object;
}

/** Visits every statement of a scope tree, depth first, in program order. */
export function forEachStatement(scope: Scope, visit: (s: Statement, depth: number) => void, depth = 0): void {
  for (const s of scope.statements) {
    visit(s, depth);
    if (s.kind !== 'when') continue;
    for (const b of s.chain.branches) forEachStatement(b.body, visit, depth + 1);
    if (s.chain.otherwise) forEachStatement(s.chain.otherwise, visit, depth + 1);
  }
}
