// Semantics of when/elseWhen/otherwise and switch in simulation: the last assignment that applies
// wins, earlier branches of a chain take priority, switch cases are tested in order, and a switch
// covering every selector value needs no default.
import { describe, expect, it } from 'vitest';
import { defineModule, elaborate, UInt } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { type Cell, runVectors } from './support/vectors.js';

const Conditionals = defineModule('Conditionals', (m) => {
  const c1 = m.input('c1', UInt(1));
  const c2 = m.input('c2', UInt(1));
  const c3 = m.input('c3', UInt(1));
  const sel = m.input('sel', UInt(2));
  const key = m.input('key', UInt(2));
  const lastWins = m.output('lastWins', UInt(3));
  const chained = m.output('chained', UInt(3));
  const nested = m.output('nested', UInt(3));
  const firstCase = m.output('firstCase', UInt(3));
  const exhaustive = m.output('exhaustive', UInt(3));
  const dynamicCase = m.output('dynamicCase', UInt(3));
  const switchInWhen = m.output('switchInWhen', UInt(3));

  // A default, then two independent whens: the later one overrides the earlier.
  lastWins.assign(0);
  m.when(c1, () => lastWins.assign(1));
  m.when(c2, () => lastWins.assign(2));

  m.when(c1, () => chained.assign(1))
    .elseWhen(c2, () => chained.assign(2))
    .otherwise(() => chained.assign(3));

  m.when(c1, () => {
    nested.assign(1);
    m.when(c2, () => nested.assign(2));
  }).otherwise(() => {
    nested.assign(3);
    m.when(c3, () => nested.assign(4));
  });

  // Value 1 appears in two cases: the first one wins.
  m.switch(sel)
    .is(1, () => firstCase.assign(1))
    .is([1, 2], () => firstCase.assign(2))
    .default(() => firstCase.assign(3));

  m.switch(sel)
    .is(0, () => exhaustive.assign(4))
    .is([1, 3], () => exhaustive.assign(5))
    .is(2, () => exhaustive.assign(6));

  // A case value that is an expression, not a constant.
  m.switch(sel)
    .is(key, () => dynamicCase.assign(7))
    .default(() => dynamicCase.assign(0));

  switchInWhen.assign(0);
  m.when(c3, () => {
    m.switch(sel)
      .is(0, () => switchInWhen.assign(1))
      .is(3, () => switchInWhen.assign(2));
  });

  return { c1, c2, c3, sel, key, lastWins, chained, nested, firstCase, exhaustive, dynamicCase, switchInWhen };
});

/** What each output must be, written as plain TypeScript conditionals. */
function model(c1: number, c2: number, c3: number, sel: number, key: number): number[] {
  return [
    c2 ? 2 : c1 ? 1 : 0,
    c1 ? 1 : c2 ? 2 : 3,
    c1 ? (c2 ? 2 : 1) : c3 ? 4 : 3,
    sel === 1 ? 1 : sel === 2 ? 2 : 3,
    [4, 5, 6, 5][sel]!,
    sel === key ? 7 : 0,
    c3 && sel === 0 ? 1 : c3 && sel === 3 ? 2 : 0,
  ];
}

const header = {
  inputs: ['c1', 'c2', 'c3', 'sel', 'key'],
  outputs: ['lastWins', 'chained', 'nested', 'firstCase', 'exhaustive', 'dynamicCase', 'switchInWhen'],
};

describe('when and switch', () => {
  it('elaborates the exhaustive switch without a default (fully driven)', () => {
    expect(() => elaborate(Conditionals, {})).not.toThrow();
  });

  it('follow hand-written vectors', () => {
    // c1 c2 c3 sel key | lastWins chained nested firstCase exhaustive dynamicCase switchInWhen
    runVectors(new RtlSimulator(elaborate(Conditionals, {})), header, [
      [0, 0, 0, 0, 1, /**/ 0, 3, 3, 3, 4, 0, 0],
      [1, 0, 0, 1, 1, /**/ 1, 1, 1, 1, 5, 7, 0],
      [1, 1, 0, 2, 3, /**/ 2, 1, 2, 2, 6, 0, 0],
      [0, 1, 1, 3, 3, /**/ 2, 2, 4, 3, 5, 7, 2],
      [0, 0, 1, 0, 0, /**/ 0, 3, 4, 3, 4, 7, 1],
    ]);
  });

  it('match the model on every input combination', () => {
    const rows: Cell[][] = [];
    for (let bits = 0; bits < 2 ** 7; bits++) {
      const [c1, c2, c3, sel, key] = [bits & 1, (bits >> 1) & 1, (bits >> 2) & 1, (bits >> 3) & 3, (bits >> 5) & 3];
      rows.push([c1, c2, c3, sel, key, ...model(c1, c2, c3, sel, key)]);
    }
    runVectors(new RtlSimulator(elaborate(Conditionals, {})), header, rows);
  });
});

describe('registers under when', () => {
  const Accumulator = defineModule('Accumulator', (m) => {
    const enable = m.input('enable', UInt(1));
    const clear = m.input('clear', UInt(1));
    const x = m.input('x', UInt(4));
    const total = m.output('total', UInt(4));
    const acc = m.reg('acc', UInt(4), { reset: 9 });
    // Not assigned when neither condition holds: the register keeps its value.
    m.when(clear, () => acc.assign(0)).elseWhen(enable, () => acc.assign(acc.add(x)));
    total.assign(acc);
    return { enable, clear, x, total };
  });

  it('hold when no branch assigns them and take their reset value under rst', () => {
    const sim = new RtlSimulator(elaborate(Accumulator, {}));
    runVectors(sim, { inputs: ['rst', 'enable', 'clear', 'x'], outputs: ['total'] }, [
      [1, 0, 0, 0, /**/ null],
      [0, 0, 0, 5, /**/ 9],
      [0, 1, 0, 5, /**/ 9],
      [0, 1, 0, 3, /**/ 14],
      [0, 0, 0, 3, /**/ 1],
      [0, 1, 1, 3, /**/ 1],
      [0, 1, 0, 2, /**/ 0],
      [1, 1, 0, 2, /**/ 2],
      [0, 0, 0, 0, /**/ 9],
    ]);
  });
});
