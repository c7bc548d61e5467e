// Flattening: copies every instance's signals, memories and logic into one module, with the
// instance path kept in each signal's scope ('u_alu.sum'). The simulator and the combinational-loop
// check work on this form; the Verilog emitter can print it as one module on request.
import { type Expr, OpExpr, mapOperands } from './expr.js';
import { Memory } from './memory.js';
import type { MemWritePort, ModuleIR, RegUpdate } from './netlist.js';
import { Signal, type SignalOwner } from './signal.js';
import type { SourceSite } from './source.js';

const flatOwner: SignalOwner & { moduleName: string } = {
  moduleName: '<flattened>',
  recordAssign() {
    throw new Error('a flattened netlist cannot be assigned');
  },
};

class Flattener {
  readonly signals: Signal[] = [];
  readonly memories: Memory[] = [];
  readonly comb = new Map<Signal, Expr>();
  readonly regs: RegUpdate[] = [];
  readonly memWrites: MemWritePort[] = [];
  readonly unused: Expr[] = [];
  readonly assignSites = new Map<Signal, readonly SourceSite[]>();

  /** Copies `ir` under instance path `scope`; returns the copy of each of its signals. */
  inline(ir: ModuleIR, scope: readonly string[], isTop: boolean): Map<Signal, Signal> {
    const signalMap = new Map<Signal, Signal>();
    for (const s of ir.signals) {
      const role = isTop && (s.role === 'input' || s.role === 'output') ? s.role : s.role === 'reg' ? 'reg' : 'wire';
      const copy = new Signal(s.name, s.type, role, flatOwner, s.site, s.resetBits, scope);
      signalMap.set(s, copy);
      this.signals.push(copy);
      const sites = ir.assignSites.get(s);
      if (sites) this.assignSites.set(copy, sites);
    }
    const memMap = new Map<Memory, Memory>();
    for (const m of ir.memories) {
      const copy = new Memory(m.name, m.type, m.depth, m.owner, m.site, m.init, scope);
      memMap.set(m, copy);
      this.memories.push(copy);
    }
    const memo = new Map<Expr, Expr>();
    const rewrite = (e: Expr): Expr => {
      let done = memo.get(e);
      if (done) return done;
      const n = e.node;
      if (n.kind === 'ref') done = signalMap.get(n.signal)!;
      else if (n.kind === 'const') done = e;
      else if (n.kind === 'memread') done = new OpExpr(e.type, { kind: 'memread', mem: memMap.get(n.mem)!, addr: rewrite(n.addr) });
      else done = new OpExpr(e.type, mapOperands(n, rewrite));
      memo.set(e, done);
      return done;
    };
    for (const [s, value] of ir.comb) this.comb.set(signalMap.get(s)!, rewrite(value));
    for (const r of ir.regs) this.regs.push({ reg: signalMap.get(r.reg)!, next: rewrite(r.next) });
    for (const w of ir.memWrites) {
      this.memWrites.push({ mem: memMap.get(w.mem)!, addr: rewrite(w.addr), data: rewrite(w.data), enable: rewrite(w.enable), site: w.site });
    }
    this.unused.push(...ir.unused.map(rewrite));
    for (const inst of ir.instances) {
      const child = this.inline(inst.module, [...scope, inst.name], false);
      for (const { port, wire } of inst.bindings) {
        const outer = signalMap.get(wire)!;
        const inner = child.get(port)!;
        if (port.role === 'input') this.comb.set(inner, outer);
        else this.comb.set(outer, inner);
      }
    }
    return signalMap;
  }
}

export function flatten(top: ModuleIR): ModuleIR {
  const f = new Flattener();
  const map = f.inline(top, [], true);
  return {
    name: top.name,
    baseName: top.baseName,
    params: top.params,
    site: top.site,
    ports: top.ports.map((p) => map.get(p)!),
    signals: f.signals,
    memories: f.memories,
    comb: f.comb,
    regs: f.regs,
    memWrites: f.memWrites,
    instances: [],
    unused: f.unused,
    assignSites: f.assignSites,
    clocked: top.clocked,
    resettable: top.resettable,
  };
}
