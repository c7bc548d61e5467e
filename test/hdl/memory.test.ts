// Memory read and write ports in simulation, against an array model: asynchronous reads see the
// contents before this cycle's writes, writes land at the clock edge, a write port inside a when is
// enabled only under its condition, and on a same-address collision the later port wins.
import { describe, expect, it } from 'vitest';
import { defineModule, elaborate, UInt } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { peekBits, pokeBits } from './support/io.js';
import { Random } from '../../util/random.js';
import { randomBits } from './support/values.js';

const depth = 8;

const TwoPortRam = defineModule('TwoPortRam', (m, p: { width: number }) => {
  const ram = m.mem('ram', UInt(p.width), depth);
  const ports = {
    ra0: m.input('ra0', ram.addrType),
    ra1: m.input('ra1', ram.addrType),
    rd0: m.output('rd0', UInt(p.width)),
    rd1: m.output('rd1', UInt(p.width)),
    wa0: m.input('wa0', ram.addrType),
    wd0: m.input('wd0', UInt(p.width)),
    we0: m.input('we0', UInt(1)),
    wa1: m.input('wa1', ram.addrType),
    wd1: m.input('wd1', UInt(p.width)),
    we1: m.input('we1', UInt(1)),
    gate: m.input('gate', UInt(1)),
  };
  ports.rd0.assign(ram.read(ports.ra0));
  ports.rd1.assign(ram.read(ports.ra1));
  ram.write(ports.wa0, ports.wd0, ports.we0);
  // The second port writes only while `gate` is also high.
  m.when(ports.gate, () => ram.write(ports.wa1, ports.wd1, ports.we1));
  return ports;
});

describe.each([1, 8, 32, 33, 100])('memory of %i-bit words', (width) => {
  it('matches an array model with colliding writes', () => {
    const sim = new RtlSimulator(elaborate(TwoPortRam, { width }));
    const word = UInt(width);
    const address = UInt(3);
    const model: bigint[] = new Array<bigint>(depth).fill(0n);
    const rng = new Random(width);
    for (let cycle = 0; cycle < 400; cycle++) {
      // Addresses from a narrow range half the time, so both ports often hit the same word.
      const addr = (): bigint => BigInt(rng.chance(0.5) ? rng.below(2) : rng.below(depth));
      const v = {
        ra0: addr(), ra1: addr(), wa0: addr(), wa1: addr(),
        wd0: randomBits(rng, width), wd1: randomBits(rng, width),
        we0: BigInt(rng.below(2)), we1: BigInt(rng.below(2)), gate: BigInt(rng.below(2)),
      };
      for (const name of ['ra0', 'ra1', 'wa0', 'wa1'] as const) pokeBits(sim, name, address, v[name]);
      for (const name of ['wd0', 'wd1'] as const) pokeBits(sim, name, word, v[name]);
      for (const name of ['we0', 'we1', 'gate'] as const) sim.poke(name, Number(v[name]));

      expect(peekBits(sim, 'rd0', word), `cycle ${cycle} rd0`).toBe(model[Number(v.ra0)]);
      expect(peekBits(sim, 'rd1', word), `cycle ${cycle} rd1`).toBe(model[Number(v.ra1)]);
      sim.step();
      if (v.we0) model[Number(v.wa0)] = v.wd0;
      if (v.we1 && v.gate) model[Number(v.wa1)] = v.wd1;
      for (let i = 0; i < depth; i++) expect(sim.peekMemory('ram', i), `cycle ${cycle} word ${i}`).toBe(model[i]);
    }
  });
});

describe('memory initial contents', () => {
  it('reads a ROM given by init, with words beyond it at 0', () => {
    const table = [3n, (1n << 40n) + 5n, 0n, (1n << 48n) - 1n];
    const Rom = defineModule('Rom', (m) => {
      const rom = m.mem('rom', UInt(48), depth, { init: table });
      const addr = m.input('addr', rom.addrType);
      const data = m.output('data', UInt(48));
      data.assign(rom.read(addr));
      return { addr, data };
    });
    const sim = new RtlSimulator(elaborate(Rom, {}));
    for (let i = 0; i < depth; i++) {
      sim.poke('addr', i);
      expect(sim.peekBig('data')).toBe(table[i] ?? 0n);
    }
  });
});
