// Pokes between reads re-evaluate only the poked inputs' fan-out cones (hw/hdl/rtl-sim/cones.ts):
// values that one input, the other or both reach, after pokes of one input, of both, of an unchanged
// value, and after a clock edge, checked against a plain TypeScript model.
import { describe, expect, it } from 'vitest';
import { defineModule, elaborate, UInt } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { Random } from '../../util/random.js';

/** `onlyA` reads a (and the register), `onlyB` b, `both` a and b through a shared intermediate value. */
const TwoInputs = defineModule('TwoInputs', (m) => {
  const a = m.input('a', UInt(16));
  const b = m.input('b', UInt(16));
  const onlyA = m.output('only_a', UInt(16));
  const onlyB = m.output('only_b', UInt(16));
  const both = m.output('both', UInt(16));
  const acc = m.reg('acc', UInt(16));
  const sumA = m.node('sum_a', a.add(acc));
  onlyA.assign(sumA.xor(0x5a5a));
  onlyB.assign(b.sub(3));
  both.assign(m.node('mix', sumA.and(b)).add(b));
  acc.assign(both);
  return { a, b, only_a: onlyA, only_b: onlyB, both };
});

const mask = 0xffff;
function model(a: number, b: number, acc: number): { only_a: number; only_b: number; both: number } {
  const sumA = (a + acc) & mask;
  return { only_a: sumA ^ 0x5a5a, only_b: (b - 3) & mask, both: ((sumA & b) + b) & mask };
}

describe('input cones', () => {
  it('bring every value up to date after pokes of one input, of both, and of an unchanged value', () => {
    const sim = new RtlSimulator(elaborate(TwoInputs, {}));
    const random = new Random(3);
    const inputs = { a: 0, b: 0 };
    let acc = 0;
    for (let cycle = 0; cycle < 200; cycle++) {
      for (let poke = 0; poke < 3; poke++) {
        const which = random.pick(['a', 'b', 'both', 'same'] as const);
        if (which === 'a' || which === 'both') inputs.a = random.below(mask + 1);
        if (which === 'b' || which === 'both') inputs.b = random.below(mask + 1);
        sim.poke('a', inputs.a);
        sim.poke('b', inputs.b);
        const got = { only_a: sim.peek('only_a'), only_b: sim.peek('only_b'), both: sim.peek('both') };
        expect(got, `cycle ${cycle}, poke ${poke} (${which})`).toEqual(model(inputs.a, inputs.b, acc));
      }
      sim.step();
      acc = model(inputs.a, inputs.b, acc).both;
    }
  });

  it('are in the generated code, one per input', () => {
    const source = new RtlSimulator(elaborate(TwoInputs, {})).generatedSource;
    expect(source).toMatch(/^function cone_a\(\) \{$/m);
    expect(source).toMatch(/^function cone_b\(\) \{$/m);
  });
});
