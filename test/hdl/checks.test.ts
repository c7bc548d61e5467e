// Every elaboration check: its name, its message and the exact source lines it points at. Lines are
// found through `// @mark: name` comments (see support/markers.ts), so editing this file keeps the
// expectations right.
import { describe, expect, it } from 'vitest';
import {
  cat,
  defineModule,
  elaborate,
  formatDiagnostic,
  type ModuleBuilder,
  type Memory,
  type ModuleGenerator,
  mux,
  type Ports,
  S,
  SInt,
  type Signal,
  U,
  UInt,
} from '../../hw/hdl/index.js';
import { diagnosticsOf, type ExpectedDiagnostic, expectDiagnostics } from './support/diagnostics.js';
import { SourceMarkers } from './support/markers.js';

const markers = new SourceMarkers(import.meta.url);
const file = markers.file;

/** A top module named Top whose body is `build`; it has no ports of its own unless `build` returns some. */
function top(build: (m: ModuleBuilder) => Ports | void): ModuleGenerator<Record<string, never>, Ports> {
  return defineModule('Top', (m) => build(m) ?? {});
}

const elaborateTop = (build: (m: ModuleBuilder) => Ports | void) => () => elaborate(top(build), {});

/** A combinational pass-through child (y = x) used to build loops and instance errors. */
const Pass = defineModule('Pass', (m) => {
  const x = m.input('x', UInt(4)); // @mark: pass-x
  const y = m.output('y', UInt(4)); // @mark: pass-y
  y.assign(x);
  return { x, y };
});

describe('names', () => {
  it('rejects Verilog and SystemVerilog keywords', () => {
    expectDiagnostics(markers, elaborateTop((m) => {
      m.wire('reg', UInt(1)).assign(0); // @mark: kw-reg
      m.input('module', UInt(1)); // @mark: kw-module
      m.reg('logic', UInt(1)); // @mark: kw-logic
    }), [
      { check: 'names', module: 'Top', message: "the name of wire 'reg' is a Verilog/SystemVerilog keyword", sites: [['declared', 'kw-reg']] },
      { check: 'names', module: 'Top', message: "the name of input 'module' is a Verilog/SystemVerilog keyword", sites: [['declared', 'kw-module']] },
      { check: 'names', module: 'Top', message: "the name of reg 'logic' is a Verilog/SystemVerilog keyword", sites: [['declared', 'kw-logic']] },
    ]);
  });

  it('rejects names that are not plain identifiers, including a leading underscore', () => {
    const why = 'is not a plain identifier (letters, digits and _, starting with a letter; a leading _ is reserved for generated names)';
    expectDiagnostics(markers, elaborateTop((m) => {
      m.wire('_tmp', UInt(1)).assign(0); // @mark: id-underscore
      m.wire('2x', UInt(1)).assign(0); // @mark: id-digit
      m.mem('a.b', UInt(1), 2); // @mark: id-dot
    }), [
      { check: 'names', module: 'Top', message: `the name of wire '_tmp' ${why}`, sites: [['declared', 'id-underscore']] },
      { check: 'names', module: 'Top', message: `the name of wire '2x' ${why}`, sites: [['declared', 'id-digit']] },
      { check: 'names', module: 'Top', message: `the name of memory 'a.b' ${why}`, sites: [['declared', 'id-dot']] },
    ]);
  });

  it('reserves clk and rst for the implicit clock and reset', () => {
    expectDiagnostics(markers, elaborateTop((m) => {
      m.input('clk', UInt(1)); // @mark: rsv-clk
      m.reg('rst', UInt(1)); // @mark: rsv-rst
    }), [
      { check: 'names', module: 'Top', message: "the name of input 'clk' is reserved for the implicit clock and reset", sites: [['declared', 'rsv-clk']] },
      { check: 'names', module: 'Top', message: "the name of reg 'rst' is reserved for the implicit clock and reset", sites: [['declared', 'rsv-rst']] },
    ]);
  });

  it('reports duplicate names across signals, memories and instance wires with both sites', () => {
    expectDiagnostics(markers, elaborateTop((m) => {
      m.wire('x', UInt(1)).assign(0); // @mark: dup-x1
      m.wire('x', UInt(1)).assign(0); // @mark: dup-x2
      m.mem('x', UInt(1), 2); // @mark: dup-x3
      // The instance's parent-side wires are named <instance>_<port>, here u_x and u_y.
      m.wire('u_y', UInt(4)).assign(0); // @mark: dup-uy
      m.instance('u', Pass, {}).x.assign(0); // @mark: dup-inst
    }), [
      { check: 'names', module: 'Top', message: "wire 'x' has the same name as an earlier declaration", sites: [['first declared', 'dup-x1'], ['declared again', 'dup-x2']] },
      { check: 'names', module: 'Top', message: "instance output 'u_y' has the same name as an earlier declaration", sites: [['first declared', 'dup-uy'], ['declared again', 'dup-inst']] },
      { check: 'names', module: 'Top', message: "memory 'x' has the same name as an earlier declaration", sites: [['first declared', 'dup-x1'], ['declared again', 'dup-x3']] },
    ]);
  });

  it('rejects a module name that is not an identifier where the module is defined', () => {
    expectDiagnostics(markers, () => defineModule('my-module', () => ({})), [ // @mark: mod-name
      { check: 'names', message: "module name 'my-module' is not a plain identifier (letters, digits and _, starting with a letter; a leading _ is reserved for generated names)", sites: [['defined', 'mod-name']] },
    ]);
  });

  it('rejects a generator that returns a signal which is not one of its own ports', () => {
    expectDiagnostics(markers, elaborateTop((m) => {
      const w = m.wire('w', UInt(1)); // @mark: ret-wire
      w.assign(0);
      return { w };
    }), [
      { check: 'names', module: 'Top', message: "the generator returns 'w', which is not one of its own ports", sites: [['declared', 'ret-wire']] },
    ]);
  });

  it('rejects two generators that produce the same module name', () => {
    const first = defineModule('Twin', () => ({})); // @mark: twin-1
    const second = defineModule('Twin', () => ({})); // @mark: twin-2
    expectDiagnostics(markers, elaborateTop((m) => {
      m.instance('u_a', first, {});
      m.instance('u_b', second, {});
    }), [
      { check: 'names', message: 'two different generators are both named Twin', sites: [['first defined', 'twin-1'], ['also defined', 'twin-2']] },
    ]);
  });

  it('rejects a module that instantiates itself', () => {
    const Recursive: ModuleGenerator<Record<string, never>, Ports> = defineModule('Recursive', (m) => {
      m.instance('u_self', Recursive, {}); // @mark: recursive
      return {};
    });
    expectDiagnostics(markers, () => elaborate(Recursive, {}), [
      { check: 'names', message: 'module Recursive instantiates itself', sites: [['instantiated', 'recursive']] },
    ]);
  });
});

describe('drivers', () => {
  it('rejects assignments to inputs and to the outputs of instances', () => {
    expectDiagnostics(markers, elaborateTop((m) => {
      const a = m.input('a', UInt(4)); // @mark: drv-in
      a.assign(3); // @mark: drv-in-assign
      const u = m.instance('u', Pass, {}); // @mark: drv-inst
      u.x.assign(a);
      u.y.assign(a); // @mark: drv-inst-assign
      return { a };
    }), [
      { check: 'drivers', module: 'Top', message: "input 'a' is driven by the parent module; it cannot be assigned here", sites: [['declared', 'drv-in'], ['assigned', 'drv-in-assign']] },
      { check: 'drivers', module: 'Top', message: "instance output 'u_y' is driven by its instance; it cannot be assigned here", sites: [['declared', 'drv-inst'], ['assigned', 'drv-inst-assign']] },
    ]);
  });

  it('rejects assigning a signal of a module that is already elaborated', () => {
    let leaked: Signal | undefined;
    const Child = defineModule('Child', (m) => {
      leaked = m.wire('inner', UInt(1));
      leaked.assign(0);
      return {};
    });
    expectDiagnostics(markers, elaborateTop((m) => {
      m.instance('u', Child, {});
      leaked!.assign(1); // @mark: drv-late
    }), [
      { check: 'drivers', message: 'module Child is already elaborated; it can no longer be changed', sites: [['change', 'drv-late']] },
    ]);
  });
});

describe('conflicting-drivers', () => {
  it('reports two unconditional assignments in one scope with the declaration and both assignments', () => {
    expectDiagnostics(markers, elaborateTop((m) => {
      const c = m.input('c', UInt(1));
      const y = m.output('y', UInt(4)); // @mark: cd-y
      const r = m.reg('r', UInt(4)); // @mark: cd-r
      y.assign(1); // @mark: cd-y1
      y.assign(2); // @mark: cd-y2
      m.when(c, () => {
        r.assign(1); // @mark: cd-r1
        r.assign(2); // @mark: cd-r2
      });
      return { c, y };
    }), [
      { check: 'conflicting-drivers', module: 'Top', message: "output 'y' is assigned twice in the same scope; the first assignment never takes effect", sites: [['declared', 'cd-y'], ['first assigned', 'cd-y1'], ['assigned again', 'cd-y2']] },
      { check: 'conflicting-drivers', module: 'Top', message: "reg 'r' is assigned twice in the same scope; the first assignment never takes effect", sites: [['declared', 'cd-r'], ['first assigned', 'cd-r1'], ['assigned again', 'cd-r2']] },
    ]);
  });

  it('accepts a default assignment overridden inside a when (last assignment wins)', () => {
    expect(() => elaborate(top((m) => {
      const c = m.input('c', UInt(1));
      const y = m.output('y', UInt(4));
      y.assign(1);
      m.when(c, () => y.assign(2));
      return { c, y };
    }), {})).not.toThrow();
  });
});

describe('width-mismatch', () => {
  it('reports width and signedness mismatches and literals that do not fit', () => {
    expectDiagnostics(markers, elaborateTop((m) => {
      const a = m.input('a', UInt(4));
      const y = m.output('y', UInt(8)); // @mark: wm-y
      const s = m.output('s', SInt(4)); // @mark: wm-s
      const big = m.output('big', UInt(8)); // @mark: wm-big
      const neg = m.output('neg', UInt(8)); // @mark: wm-neg
      const u = m.instance('u', Pass, {}); // @mark: wm-inst
      y.assign(a); // @mark: wm-y-assign
      s.assign(a); // @mark: wm-s-assign
      big.assign(256); // @mark: wm-big-assign
      neg.assign(-1); // @mark: wm-neg-assign
      u.x.assign(U(1, 3)); // @mark: wm-inst-assign
      return { a, y, s, big, neg };
    }), [
      { check: 'width-mismatch', module: 'Top', message: "output 'y' is UInt<8> but is assigned a UInt<4>", sites: [['declared', 'wm-y'], ['assigned', 'wm-y-assign']] },
      { check: 'width-mismatch', module: 'Top', message: "output 's' is SInt<4> but is assigned a UInt<4>", sites: [['declared', 'wm-s'], ['assigned', 'wm-s-assign']] },
      { check: 'width-mismatch', module: 'Top', message: "output 'big' is UInt<8> and cannot hold the literal 256", sites: [['declared', 'wm-big'], ['assigned', 'wm-big-assign']] },
      { check: 'width-mismatch', module: 'Top', message: "output 'neg' is UInt<8> and cannot hold the literal -1", sites: [['declared', 'wm-neg'], ['assigned', 'wm-neg-assign']] },
      { check: 'width-mismatch', module: 'Top', message: "instance input 'u_x' is UInt<4> but is assigned a UInt<3>", sites: [['declared', 'wm-inst'], ['assigned', 'wm-inst-assign']] },
    ]);
  });
});

describe('foreign-refs', () => {
  it("reports reads of another module's signals and memories", () => {
    let inner: Signal | undefined;
    let store: Memory | undefined;
    const Child = defineModule('Child', (m) => {
      inner = m.wire('inner', UInt(4)); // @mark: fr-inner
      inner.assign(0);
      store = m.mem('store', UInt(4), 2); // @mark: fr-store
      return {};
    });
    expectDiagnostics(markers, elaborateTop((m) => {
      m.instance('u', Child, {});
      const y = m.output('y', UInt(4));
      const z = m.output('z', UInt(4));
      y.assign(inner!.add(1)); // @mark: fr-read
      z.assign(store!.read(0)); // @mark: fr-mem
      return { y, z };
    }), [
      { check: 'foreign-refs', module: 'Top', message: "reads wire 'inner' of module Child", sites: [['declared', 'fr-inner'], ['read', 'fr-read']] },
      { check: 'foreign-refs', module: 'Top', message: "reads memory 'store' of module Child", sites: [['declared', 'fr-store'], ['read', 'fr-mem']] },
    ]);
  });
});

describe('undriven', () => {
  const partly = 'is not assigned on every path (add a default assignment or an otherwise())';

  it('reports outputs, wires and instance inputs that are never assigned', () => {
    expectDiagnostics(markers, elaborateTop((m) => {
      const y = m.output('y', UInt(4)); // @mark: ud-y
      m.wire('w', UInt(4)); // @mark: ud-w
      m.instance('u', Pass, {}); // @mark: ud-inst
      return { y };
    }), [
      { check: 'undriven', module: 'Top', message: "output 'y' is never assigned", sites: [['declared', 'ud-y']] },
      { check: 'undriven', module: 'Top', message: "wire 'w' is never assigned", sites: [['declared', 'ud-w']] },
      { check: 'undriven', module: 'Top', message: "instance input 'u_x' is never assigned", sites: [['declared', 'ud-inst']] },
    ]);
  });

  it('reports signals assigned only on some paths, with every conditional assignment', () => {
    expectDiagnostics(markers, elaborateTop((m) => {
      const c = m.input('c', UInt(1));
      const d = m.input('d', UInt(1));
      const sel = m.input('sel', UInt(2));
      const y = m.output('y', UInt(4)); // @mark: up-y
      const z = m.output('z', UInt(4)); // @mark: up-z
      m.when(c, () => y.assign(1)) // @mark: up-y1
        .elseWhen(d, () => y.assign(2)); // @mark: up-y2
      m.switch(sel)
        .is(0, () => z.assign(1)) // @mark: up-z0
        .is([1, 2], () => z.assign(2)); // @mark: up-z1
      return { c, d, sel, y, z };
    }), [
      { check: 'undriven', module: 'Top', message: `output 'y' ${partly}`, sites: [['declared', 'up-y'], ['assigned (conditionally)', 'up-y1'], ['assigned (conditionally)', 'up-y2']] },
      { check: 'undriven', module: 'Top', message: `output 'z' ${partly}`, sites: [['declared', 'up-z'], ['assigned (conditionally)', 'up-z0'], ['assigned (conditionally)', 'up-z1']] },
    ]);
  });

  it('accepts a switch whose cases cover every selector value without a default, and registers that are never assigned', () => {
    expect(() => elaborate(top((m) => {
      const sel = m.input('sel', UInt(2));
      const y = m.output('y', UInt(4));
      const held = m.reg('held', UInt(4), { reset: 5 });
      m.switch(sel)
        .is([0, 1], () => y.assign(1))
        .is(2, () => y.assign(2))
        .is(3, () => y.assign(held));
      return { sel, y };
    }), {})).not.toThrow();
  });
});

describe('comb-loops', () => {
  it('reports a loop inside one module and a signal that depends on itself', () => {
    expectDiagnostics(markers, elaborateTop((m) => {
      const a = m.wire('a', UInt(4)); // @mark: cl-a
      const b = m.wire('b', UInt(4)); // @mark: cl-b
      const self = m.wire('self', UInt(1)); // @mark: cl-self
      a.assign(b.add(1));
      b.assign(a);
      self.assign(self.not());
      const y = m.output('y', UInt(4));
      y.assign(a.xor(cat(self, self, self, self)));
      return { y };
    }), [
      { check: 'comb-loops', module: 'Top', message: "combinational loop through 'a', 'b'", sites: [["'a' declared", 'cl-a'], ["'b' declared", 'cl-b']] },
      { check: 'comb-loops', module: 'Top', message: "combinational loop through 'self'", sites: [["'self' declared", 'cl-self']] },
    ]);
  });

  it('reports a loop through an instance with the hierarchical names of both sides', () => {
    expectDiagnostics(markers, elaborateTop((m) => {
      const u = m.instance('u', Pass, {}); // @mark: cl-inst
      u.x.assign(u.y.add(1));
    }), [
      {
        check: 'comb-loops',
        module: 'Top',
        message: "combinational loop through 'u_x', 'u_y', 'u.x', 'u.y'",
        sites: [["'u_x' declared", 'cl-inst'], ["'u_y' declared", 'cl-inst'], ["'u.x' declared", 'pass-x'], ["'u.y' declared", 'pass-y']],
      },
    ]);
  });

  it('accepts feedback through a register', () => {
    expect(() => elaborate(top((m) => {
      const u = m.instance('u', Pass, {});
      const r = m.reg('r', UInt(4), { reset: 0 });
      r.assign(u.y.add(1));
      u.x.assign(r);
    }), {})).not.toThrow();
  });
});

describe('operator', () => {
  // Operator errors are thrown where the expression is built (it cannot exist), so each case
  // elaborates on its own. Each row: marker of its line, expected message, the faulty construction.
  type Inputs = { u8: Signal; u4: Signal; u2: Signal; s8: Signal; s3: Signal; c: Signal };
  const rows: readonly (readonly [string, string, (x: Inputs, m: ModuleBuilder) => unknown])[] = [
    ['op-add', 'add needs operands of the same type, got UInt<8> and UInt<4>', (x) => x.u8.add(x.u4)], // @mark: op-add
    ['op-sign', 'lt needs operands of the same type, got UInt<8> and SInt<8>', (x) => x.u8.lt(x.s8)], // @mark: op-sign
    ['op-mul', 'mul needs operands of the same signedness, got SInt<8> and UInt<4>', (x) => x.s8.mul(x.u4)], // @mark: op-mul
    ['op-literal', 'literal 300 does not fit in UInt<8> (range 0..255)', (x) => x.u8.add(300)], // @mark: op-literal
    ['op-neg-literal', 'literal -129 does not fit in SInt<8> (range -128..127)', (x) => x.s8.eq(-129)], // @mark: op-neg-literal
    ['op-bits', 'bits(8, 0) is out of range for UInt<8>', (x) => x.u8.bits(8, 0)], // @mark: op-bits
    ['op-bits-order', 'bits(1, 2) is out of range for UInt<8>', (x) => x.u8.bits(1, 2)], // @mark: op-bits-order
    ['op-shift', 'shr(-1) needs a non-negative integer', (x) => x.u8.shr(-1)], // @mark: op-shift
    ['op-dshift', 'shl amount must be a UInt of at most 32 bits, got SInt<3>', (x) => x.u8.shl(x.s3)], // @mark: op-dshift
    ['op-zext', 'zext(4) cannot widen UInt<8>', (x) => x.u8.zext(4)], // @mark: op-zext
    ['op-sext', 'sext(7) cannot widen SInt<8>', (x) => x.s8.sext(7)], // @mark: op-sext
    ['op-trunc', 'trunc(9) cannot shorten UInt<8>', (x) => x.u8.trunc(9)], // @mark: op-trunc
    ['op-rep', 'rep(0) needs a positive count', (x) => x.u8.rep(0)], // @mark: op-rep
    ['op-cat', 'cat() needs at least one part', () => cat()], // @mark: op-cat
    ['op-mux-sel', 'mux select must be UInt<1>, got UInt<2>', (x) => mux(x.u2, x.u8, x.u8)], // @mark: op-mux-sel
    ['op-mux-arms', 'mux branches must have the same type, got UInt<8> and SInt<8>', (x) => mux(x.c, x.u8, x.s8)], // @mark: op-mux-arms
    ['op-mux-numbers', 'mux needs at least one branch that is an expression, to know its type', (x) => mux(x.c, 1, 0)], // @mark: op-mux-numbers
    ['op-reset', 'literal 16 does not fit in UInt<4> (range 0..15)', (_, m) => m.reg('r', UInt(4), { reset: 16 })], // @mark: op-reset
    ['op-S', 'literal 8 does not fit in SInt<4> (range -8..7)', () => S(8, 4)], // @mark: op-S
  ];

  it.each(rows)('%s: %s', (marker, message, build) => {
    expectDiagnostics(markers, elaborateTop((m) => {
      const x: Inputs = {
        u8: m.input('u8', UInt(8)),
        u4: m.input('u4', UInt(4)),
        u2: m.input('u2', UInt(2)),
        s8: m.input('s8', SInt(8)),
        s3: m.input('s3', SInt(3)),
        c: m.input('c', UInt(1)),
      };
      build(x, m);
    }), [{ check: 'operator', message, sites: [['operation', marker]] }]);
  });

  it('requires UInt<1> conditions and when-chains extended in place', () => {
    expectDiagnostics(markers, elaborateTop((m) => {
      m.when(m.input('c2', UInt(2)), () => {}); // @mark: op-cond
    }), [{ check: 'operator', message: 'when condition must be UInt<1>, got UInt<2>', sites: [['condition', 'op-cond']] }]);

    expectDiagnostics(markers, elaborateTop((m) => {
      const c = m.input('c', UInt(1));
      const y = m.output('y', UInt(1));
      const chain = m.when(c, () => y.assign(1));
      y.assign(0);
      chain.otherwise(() => y.assign(0)); // @mark: op-otherwise
      return { c, y };
    }), [{ check: 'operator', message: 'otherwise() must directly follow its when(), elseWhen() or is() in the same scope', sites: [['otherwise', 'op-otherwise']] }]);
  });
});

describe('memory-port', () => {
  it('rejects a depth that is not a power of two and too many initial words', () => {
    expectDiagnostics(markers, elaborateTop((m) => void m.mem('ram', UInt(8), 6)), [ // @mark: mp-depth
      { check: 'memory-port', module: 'Top', message: "memory 'ram' depth must be a power of two of at least 2, got 6", sites: [['declared', 'mp-depth']] },
    ]);
    expectDiagnostics(markers, elaborateTop((m) => void m.mem('rom', UInt(8), 2, { init: [1, 2, 3] })), [ // @mark: mp-init
      { check: 'memory-port', module: 'Top', message: "memory 'rom' has 3 initial words for depth 2", sites: [['declared', 'mp-init']] },
    ]);
  });

  // Each row: marker, expected message, the faulty port on memory `ram` (UInt<8> x 8 words).
  type PortInputs = { u8: Signal; u4: Signal; a3: Signal; a4: Signal; e2: Signal };
  const rows: readonly (readonly [string, string, (ram: Memory, x: PortInputs) => unknown])[] = [
    ['mp-data', "write data of memory 'ram' must be UInt<8>, got UInt<4>", (ram, x) => ram.write(x.a3, x.u4)], // @mark: mp-data
    ['mp-enable', "write enable of memory 'ram' must be UInt<1>, got UInt<2>", (ram, x) => ram.write(x.a3, x.u8, x.e2)], // @mark: mp-enable
    ['mp-waddr', "write address of memory 'ram' (depth 8) must be UInt<3>, got UInt<4>", (ram, x) => ram.write(x.a4, x.u8)], // @mark: mp-waddr
    ['mp-raddr', "read address of memory 'ram' (depth 8) must be UInt<3>, got UInt<4>", (ram, x) => ram.read(x.a4)], // @mark: mp-raddr
    ['mp-literal', 'literal 8 does not fit in UInt<3> (range 0..7)', (ram) => ram.read(8)], // @mark: mp-literal
  ];

  it.each(rows)('%s: %s', (marker, message, port) => {
    // A literal address that does not fit is an operator error at the port; the others name the memory too.
    const expected: ExpectedDiagnostic = marker === 'mp-literal'
      ? { check: 'operator', message, sites: [['operation', marker]] }
      : { check: 'memory-port', module: 'Top', message, sites: [['memory declared', 'mp-ram'], ['port', marker]] };
    expectDiagnostics(markers, elaborateTop((m) => {
      const ram = m.mem('ram', UInt(8), 8); // @mark: mp-ram
      port(ram, { u8: m.input('u8', UInt(8)), u4: m.input('u4', UInt(4)), a3: m.input('a3', UInt(3)), a4: m.input('a4', UInt(4)), e2: m.input('e2', UInt(2)) });
    }), [expected]);
  });
});

describe('reporting', () => {
  it('reports every finding of the first failing phase at once, in pass order', () => {
    const errors = diagnosticsOf(elaborateTop((m) => {
      const a = m.input('a', UInt(4));
      const y = m.output('y', UInt(8));
      m.wire('wire', UInt(1)).assign(0);
      m.wire('dup', UInt(1)).assign(0);
      m.wire('dup', UInt(1)).assign(0);
      a.assign(1);
      y.assign(a);
      m.output('never', UInt(1)); // undriven, but a later phase: not reported alongside the above
      return { a, y };
    }));
    expect(errors.map((e) => e.check)).toEqual(['names', 'names', 'drivers', 'width-mismatch']);
  });

  it('reports several undriven signals and several loops together', () => {
    expect(diagnosticsOf(elaborateTop((m) => ({ p: m.output('p', UInt(1)), q: m.output('q', UInt(1)) }))).map((e) => e.message))
      .toEqual(["output 'p' is never assigned", "output 'q' is never assigned"]);
    const loops = diagnosticsOf(elaborateTop((m) => {
      for (const name of ['p', 'q']) {
        const w = m.wire(name, UInt(1));
        w.assign(w.not());
      }
    }));
    expect(loops.map((e) => e.message)).toEqual(["combinational loop through 'p'", "combinational loop through 'q'"]);
  });

  it('formats a diagnostic as error[check] in module M: message, then one line per site with file:line:column', () => {
    const run = elaborateTop((m) => {
      const a = m.input('a', UInt(4));
      const y = m.output('y', UInt(8)); // @mark: fmt-y
      y.assign(a); // @mark: fmt-assign
      return { a, y };
    });
    const [d] = diagnosticsOf(run);
    const y = markers.at('fmt-y');
    const assign = markers.at('fmt-assign');
    expect(formatDiagnostic(d!)).toBe([
      "error[width-mismatch] in module Top: output 'y' is UInt<8> but is assigned a UInt<4>",
      `  --> declared at ${file}:${y.line}:${markers.column('fmt-y', 'output')}`,
      `  --> assigned at ${file}:${assign.line}:${markers.column('fmt-assign', 'assign')}`,
    ].join('\n'));
    expect(() => run()).toThrow(formatDiagnostic(d!));
  });
});
