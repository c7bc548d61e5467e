// The example register file: hand-written vectors for the port semantics (read-before-write,
// last write port wins, hardwired x0), then random traffic on every port against the array model.
import { describe, expect, it } from 'vitest';
import { type RegFileParams, RegFile, regFilePortNames } from '../../hw/core/regfile.js';
import { clog2, elaborate, UInt } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { RegFileModel, type WriteRequest } from './models/regfile.js';
import { peekBits, pokeBits } from './support/io.js';
import { Random } from '../../util/random.js';
import { randomBits } from './support/values.js';
import { runVectors } from './support/vectors.js';

const core: RegFileParams = { depth: 32, width: 32, readPorts: 3, writePorts: 2, zeroReg: 1 };

describe('register file, 3 read / 2 write ports, x0 hardwired', () => {
  it('follows the documented port semantics', () => {
    const sim = new RtlSimulator(elaborate(RegFile, core));
    // raddr0 raddr1 raddr2 waddr0 wdata0 wen0 waddr1 wdata1 wen1 | rdata0 rdata1 rdata2
    runVectors(sim, {
      inputs: ['raddr0', 'raddr1', 'raddr2', 'waddr0', 'wdata0', 'wen0', 'waddr1', 'wdata1', 'wen1'],
      outputs: ['rdata0', 'rdata1', 'rdata2'],
    }, [
      [5, 6, 0, /**/ 5, 111, 1, /**/ 6, 222, 1, /**/ 0, 0, 0], // reads see the old words during the write
      [5, 6, 0, /**/ 7, 333, 1, /**/ 7, 444, 1, /**/ 111, 222, 0], // both ports write x7 ...
      [7, 7, 7, /**/ 0, 999, 1, /**/ 8, 1, 0, /**/ 444, 444, 444], // ... port 1 won; x0 written
      [0, 8, 31, /**/ 31, 0xffff_ffff, 1, /**/ 8, 5, 0, /**/ 0, 0, 0], // x0 still reads 0; wen1=0 wrote nothing
      [31, 0, 5, /**/ 31, 1, 0, /**/ 31, 2, 0, /**/ 0xffff_ffff, 0, 111], // no write enabled: x31 kept
    ]);
  });

  it('keeps x0 writable as storage but never visible', () => {
    const sim = new RtlSimulator(elaborate(RegFile, core));
    sim.poke('waddr0', 0);
    sim.poke('wdata0', 42);
    sim.poke('wen0', 1);
    sim.step();
    expect(sim.peekMemory('regs', 0)).toBe(42n);
    sim.poke('raddr0', 0);
    expect(sim.peek('rdata0')).toBe(0);
  });
});

function randomTraffic(p: RegFileParams, cycles: number): void {
  const sim = new RtlSimulator(elaborate(RegFile, p));
  const model = new RegFileModel(p.depth, p.zeroReg === 1);
  const address = UInt(clog2(p.depth));
  const word = UInt(p.width);
  const rng = new Random(p.depth * 1000 + p.width);
  // Half the addresses among the first three registers, so writes collide and x0 is hit often.
  const addr = (): number => (rng.chance(0.5) ? rng.below(3) : rng.below(p.depth));
  const ports = (n: number) => Array.from({ length: n }, (_, i) => regFilePortNames(i));

  for (let cycle = 0; cycle < cycles; cycle++) {
    const writes: WriteRequest[] = ports(p.writePorts).map((names) => {
      const request = { enable: rng.chance(0.6), addr: addr(), data: randomBits(rng, p.width) };
      pokeBits(sim, names.waddr, address, BigInt(request.addr));
      pokeBits(sim, names.wdata, word, request.data);
      sim.poke(names.wen, request.enable ? 1 : 0);
      return request;
    });
    for (const names of ports(p.readPorts)) {
      const a = addr();
      pokeBits(sim, names.raddr, address, BigInt(a));
      expect(peekBits(sim, names.rdata, word), `cycle ${cycle} ${names.rdata} of x${a}`).toBe(model.read(a));
    }
    sim.step();
    model.write(writes);
  }
}

describe('register file, random traffic', () => {
  it.each<RegFileParams>([
    core,
    { depth: 8, width: 8, readPorts: 3, writePorts: 2, zeroReg: 1 },
    { depth: 4, width: 5, readPorts: 1, writePorts: 3, zeroReg: 0 },
    { depth: 16, width: 64, readPorts: 2, writePorts: 4, zeroReg: 0 },
  ])('matches the model: %o', (p) => randomTraffic(p, 600));
});
