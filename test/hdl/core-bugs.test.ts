// BUGS IN THE HDL CORE, demonstrated: each test states the correct behaviour and fails until the
// core (hw/hdl, gen/verilog) is fixed. Found while writing the examples and their tests; reported
// to the HDL owner rather than fixed here.
import { describe, expect, it } from 'vitest';
import { emitVerilog } from '../../gen/verilog';
import { defineModule, elaborate, HdlError, type Signal, UInt } from '../../hw/hdl';
import { Simulator } from '../../hw/hdl/sim';
import { diagnosticsOf } from './support/diagnostics';

describe('BUG: HDL core', () => {
  it('BUG: two parameterizations whose string values differ only in punctuation get one module name, and the second silently reuses the first one\'s hardware', () => {
    // moduleName() maps every non-alphanumeric character of a string parameter to '_', so
    // 'a-b' and 'a.b' both become Mode_modea_b; the elaborator's cache then returns the first IR.
    const Mode = defineModule('Mode', (m, p: { mode: string }) => {
      const y = m.output('y', UInt(2));
      y.assign(p.mode === 'a-b' ? 1 : 2);
      return { y };
    });
    const Top = defineModule('Top', (m) => {
      const y1 = m.output('y1', UInt(2));
      const y2 = m.output('y2', UInt(2));
      y1.assign(m.instance('u1', Mode, { mode: 'a-b' }).y);
      y2.assign(m.instance('u2', Mode, { mode: 'a.b' }).y);
      return { y1, y2 };
    });
    const sim = new Simulator(elaborate(Top, {}));
    expect([sim.peek('y1'), sim.peek('y2')]).toEqual([1, 2]);
  });

  it('BUG: a module named after a Verilog keyword is accepted and emitted as `module wire (`', () => {
    // defineModule checks that the base name is an identifier, not that it is not a keyword.
    expect(() => defineModule('wire', () => ({}))).toThrow(HdlError);
  });

  it('BUG: with --flatten, a designer name containing __ collides with a flattened hierarchical name', () => {
    // verilogName() joins instance paths with '__', and the names check allows '__' in names, so
    // the top-level wire u__sum and the instance's u.sum are both declared as u__sum.
    const Leaf = defineModule('Leaf', (m) => {
      const x = m.input('x', UInt(1));
      const y = m.output('y', UInt(1));
      y.assign(m.node('sum', x));
      return { x, y };
    });
    const Top = defineModule('Top', (m) => {
      const a = m.input('a', UInt(1));
      const u = m.instance('u', Leaf, {});
      u.x.assign(a);
      const y = m.output('y', UInt(1));
      y.assign(u.y.xor(m.node('u__sum', a.not())));
      return { a, y };
    });
    const [flat] = emitVerilog(elaborate(Top, {}), { flatten: true });
    const declarations = flat!.text.match(/^\s*(?:\(\*.*\*\) )?(?:wire|reg)\b[^;=]*\bu__sum\b/gm) ?? [];
    expect(declarations).toHaveLength(1);
  });

  it('BUG: switch().is([]) throws a raw TypeError instead of an operator error at the call', () => {
    const Top = defineModule('Top', (m) => {
      const sel = m.input('sel', UInt(2));
      const y = m.output('y', UInt(1));
      y.assign(0);
      m.switch(sel).is([], () => y.assign(1));
      return { sel, y };
    });
    expect(diagnosticsOf(() => elaborate(Top, {})).map((d) => d.check)).toEqual(['operator']);
  });

  it("BUG: a child generator assigning an ancestor's signal inside its own when is recorded unconditionally in the ancestor", () => {
    // Signal.assign() records into the owner's current scope, so the child's when condition is
    // dropped: w becomes 1 whatever c is. The drivers check has a branch for this case
    // (target owned by another module) that can never be reached.
    let parentWire: Signal | undefined;
    const Child = defineModule('Child', (m) => {
      const c = m.input('c', UInt(1));
      m.when(c, () => parentWire!.assign(1));
      return { c };
    });
    const Top = defineModule('Top', (m) => {
      const c = m.input('c', UInt(1));
      parentWire = m.wire('w', UInt(1));
      m.instance('u', Child, {}).c.assign(c);
      const y = m.output('y', UInt(1));
      y.assign(parentWire);
      return { c, y };
    });
    expect(diagnosticsOf(() => elaborate(Top, {})).map((d) => d.check)).toEqual(['drivers']);
  });
});
