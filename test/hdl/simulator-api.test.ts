// The simulator facade: value conventions at the edges (signed pokes, wide peeks, memories) and a
// clear RtlSimError for every misuse.
import { describe, expect, it } from 'vitest';
import { defineModule, elaborate, SInt, UInt } from '../../hw/hdl/index.js';
import { RtlSimError, RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';

const Widths = defineModule('Widths', (m) => {
  const a = m.input('a', SInt(8));
  const wide = m.input('wide', SInt(40));
  const y = m.output('y', SInt(8));
  const z = m.output('z', SInt(40));
  const lookup = m.mem('lookup', UInt(8), 4, { init: [7, 8] });
  const first = m.output('first', UInt(8));
  y.assign(a.shr(1));
  z.assign(wide.shr(1));
  first.assign(lookup.read(0));
  return { a, wide, y, z, first };
});

describe('RtlSimulator API', () => {
  const sim = new RtlSimulator(elaborate(Widths, {}));

  it('stores a negative poke as its bit pattern and reads it back either way', () => {
    sim.poke('a', -5);
    expect([sim.peek('a'), sim.peek('y'), sim.peekSigned('y')]).toEqual([0xfb, 0xfd, -3]);
    sim.poke('wide', -(2n ** 39n));
    expect(sim.peekBig('z')).toBe(0xc000000000n);
    expect(sim.peekSignedBig('z')).toBe(-(2n ** 38n));
    expect([sim.peekMemory('lookup', 1), sim.peekMemory('lookup', 3)]).toEqual([8n, 0n]);
  });

  it.each([
    [() => sim.poke('y', 1), "'y' is not an input of Widths (inputs: a, wide)"],
    [() => sim.poke('a', 128), "value 128 does not fit input 'a' of type SInt<8>"],
    [() => sim.poke('a', 1.5), "value 1.5 does not fit input 'a' of type SInt<8>"],
    [() => sim.poke('wide', 2n ** 39n), "value 549755813888 does not fit input 'wide' of type SInt<40>"],
    [() => sim.peek('z'), "'z' is SInt<40>, wider than 32 bits: use peekBig"],
    [() => sim.peek('nope'), "no signal named 'nope' in Widths"],
    [() => sim.peekMemory('lookup', 4), "index 4 is outside memory 'lookup' (depth 4)"],
    [() => sim.peekMemory('other', 0), "no memory named 'other' in Widths"],
  ])('reports misuse %#', (misuse, message) => {
    expect(misuse).toThrow(new RtlSimError(message));
  });
});
