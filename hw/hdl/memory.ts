// Memories and register files: any number of asynchronous (combinational) read ports and
// synchronous write ports. Each read() or write() call is one port; writes to the same address in
// the same cycle resolve in call order (the last port wins), as in the emitted always block.
import { HdlError } from './diagnostics.js';
import { Expr, OpExpr, type Operand, coerce } from './expr.js';
import { captureSite, type SourceSite } from './source.js';
import { type HdlType, sameType, typeName, UInt } from './types.js';

// Registers Memory as what a 'memread' node reads (see Declarations in expr.ts).
declare module './expr.js' {
  interface Declarations {
    memory: Memory;
  }
}

export interface MemoryOwner {
  readonly moduleName: string;
  recordMemWrite(mem: Memory, addr: Expr, data: Expr, enable: Expr | null, site: SourceSite): void;
}

export class Memory {
  readonly addrType: HdlType;

  constructor(
    readonly name: string,
    /** Type of one word. */
    readonly type: HdlType,
    readonly depth: number,
    readonly owner: MemoryOwner,
    readonly site: SourceSite,
    /** Initial contents as bit patterns (ROMs, preloaded tables); words beyond it start at 0. */
    readonly init: readonly bigint[] = [],
    readonly scope: readonly string[] = [],
  ) {
    this.addrType = UInt(Math.max(1, Math.log2(depth)));
  }

  get path(): string {
    return [...this.scope, this.name].join('.');
  }

  /** Asynchronous read port: the word at `addr` in this cycle. */
  read(addr: Operand): Expr {
    return new OpExpr(this.type, { kind: 'memread', mem: this, addr: this.address(addr, 'read') });
  }

  /** Synchronous write port: at the clock edge, word `addr` takes `data` if the enclosing conditions (and `enable`) hold. */
  write(addr: Operand, data: Operand, enable?: Expr): void {
    const site = captureSite();
    const value = coerce(data, this.type);
    if (!sameType(value.type, this.type)) {
      throw this.portError(`write data of memory '${this.name}' must be ${typeName(this.type)}, got ${typeName(value.type)}`, site);
    }
    if (enable && !sameType(enable.type, UInt(1))) {
      throw this.portError(`write enable of memory '${this.name}' must be UInt<1>, got ${typeName(enable.type)}`, site);
    }
    this.owner.recordMemWrite(this, this.address(addr, 'write'), value, enable ?? null, site);
  }

  private address(addr: Operand, what: string): Expr {
    const a = coerce(addr, this.addrType);
    if (!sameType(a.type, this.addrType)) {
      throw this.portError(`${what} address of memory '${this.name}' (depth ${this.depth}) must be ${typeName(this.addrType)}, got ${typeName(a.type)}`, captureSite());
    }
    return a;
  }

  private portError(message: string, site: SourceSite): HdlError {
    return HdlError.single('memory-port', message, [
      { label: 'memory declared', site: this.site },
      { label: 'port', site },
    ], this.owner.moduleName);
  }
}
