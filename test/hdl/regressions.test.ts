// Regression tests for HDL core bugs found while writing the example designs: parameter values
// that mapped to one module name, keyword module names, flattened-name collisions, an empty switch
// case, and a child generator assigning its parent's signals.
import { describe, expect, it } from 'vitest';
import { defineModule, elaborate, HdlError, type Signal, UInt } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { diagnosticsOf } from './support/diagnostics.js';

describe('HDL core regressions', () => {
  it('gives parameterizations whose string values differ only in punctuation their own modules', () => {
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
    const sim = new RtlSimulator(elaborate(Top, {}));
    expect([sim.peek('y1'), sim.peek('y2')]).toEqual([1, 2]);
  });

  it('gives colliding readable names distinct hashed names', () => {
    const Pair = defineModule('Pair', (m, p: Record<string, number>) => {
      const y = m.output('y', UInt(8));
      y.assign(Object.values(p)[0]!);
      return { y };
    });
    const Top = defineModule('Top', (m) => {
      const y1 = m.output('y1', UInt(8));
      const y2 = m.output('y2', UInt(8));
      y1.assign(m.instance('u1', Pair, { a: 12 }).y);
      y2.assign(m.instance('u2', Pair, { a1: 2 }).y);
      return { y1, y2 };
    });
    const design = elaborate(Top, {});
    expect(design.modules.map((m) => m.name)).toEqual(['Pair_a12', expect.stringMatching(/^Pair_a12_[0-9a-f]{8}$/), 'Top']);
    const sim = new RtlSimulator(design);
    expect([sim.peek('y1'), sim.peek('y2')]).toEqual([12, 2]);
  });

  it('rejects a module named after a Verilog keyword', () => {
    expect(() => defineModule('wire', () => ({}))).toThrow(HdlError);
    expect(() => defineModule('wire', () => ({}))).toThrow("error[names]: module name 'wire' is a Verilog/SystemVerilog keyword");
  });

  it("rejects '__' in names, which flattened Verilog uses for instance paths", () => {
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
    expect(diagnosticsOf(() => elaborate(Top, {})).map((d) => d.message)).toEqual([
      "the name of wire 'u__sum' contains '__', which flattened Verilog uses to join instance paths",
    ]);
  });

  it('reports switch().is([]) as an operator error at the call', () => {
    const Top = defineModule('Top', (m) => {
      const sel = m.input('sel', UInt(2));
      const y = m.output('y', UInt(1));
      y.assign(0);
      m.switch(sel).is([], () => y.assign(1));
      return { sel, y };
    });
    expect(diagnosticsOf(() => elaborate(Top, {})).map((d) => d.check)).toEqual(['operator']);
  });

  it("rejects a child generator assigning an ancestor's signal", () => {
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
