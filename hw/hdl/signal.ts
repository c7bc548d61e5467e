// Named signals: ports, wires, registers and the parent-side wires of an instance's ports.
import { Expr, type ExprNode, type Operand } from './expr.js';
import { captureSite, type SourceSite } from './source.js';
import type { HdlType } from './types.js';

// Registers Signal as what a 'ref' node reads (see Declarations in expr.ts).
declare module './expr.js' {
  interface Declarations {
    signal: Signal;
  }
}

export type SignalRole = 'input' | 'output' | 'wire' | 'reg' | 'instance-input' | 'instance-output';

/** What a signal reports its assignments to: the builder of the module that declared it. */
export interface SignalOwner {
  readonly moduleName: string;
  recordAssign(target: Signal, value: Operand, site: SourceSite): void;
}

export class Signal extends Expr {
  readonly node: ExprNode = { kind: 'ref', signal: this };

  constructor(
    readonly name: string,
    type: HdlType,
    readonly role: SignalRole,
    readonly owner: SignalOwner,
    readonly site: SourceSite,
    /** Reset value (bit pattern) of a register with synchronous reset; undefined for none. */
    readonly resetBits?: bigint,
    /** Instance path of a signal copied up by flattening; empty in the designer's own modules. */
    readonly scope: readonly string[] = [],
  ) {
    super(type);
  }

  /**
   * Drives this signal (next value, for a register) from `value` under the enclosing when/switch
   * conditions. The last assignment that applies wins.
   */
  assign(value: Operand): void {
    this.owner.recordAssign(this, value, captureSite());
  }

  /** Hierarchical name, e.g. 'u_alu.sum' for a flattened signal. */
  get path(): string {
    return [...this.scope, this.name].join('.');
  }

  describe(): string {
    const role = this.role.replace('-', ' ');
    return `${role} '${this.path}'`;
  }
}

export function isDrivenByParent(role: SignalRole): boolean {
  return role === 'output' || role === 'wire' || role === 'reg' || role === 'instance-input';
}
