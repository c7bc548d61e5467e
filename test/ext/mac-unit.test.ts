// The revision-2 block (nm-mac) driven like a core would drive it, against a memory that delays
// grants, answers after a random latency and sometimes with a bus error, and with the test as its
// register file: the four sums x28..x31 go in, and `next_sums` are written back when `sums_we`
// says so. Every exception is checked in order, and the sums after every cycle, against
// executeMac4() of the golden model.
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { MacUnit } from '../../hw/ext/r2/mac-unit.js';
import { executeMac4, SUM_COUNT } from '../../isa/xnmsparse/mac.js';
import { Random } from '../../util/random.js';

interface Issued {
  readonly signed: boolean;
  readonly start: boolean;
  readonly half: number;
  readonly lane: number;
  readonly ops: { rs1: number; rs2: number; rs3: number };
}

/** Contents of the (unbounded) memory: a fixed pseudo-random word per word address. */
const memoryWord = (address: number): number => (Math.imul((address >>> 2) ^ 0x9e3779b9, 0x85ebca6b) ^ (address >>> 7)) >>> 0;

const packSums = (sums: readonly number[]): bigint => sums.reduce((w, v, p) => w | (BigInt(v >>> 0) << BigInt(32 * p)), 0n);
const unpackSums = (bus: bigint): number[] => Array.from({ length: SUM_COUNT }, (_, p) => Number(BigInt.asIntN(32, bus >> BigInt(32 * p))));

function newInstruction(random: Random): Issued {
  // Mostly aligned bases and offsets, as a kernel's; a few misaligned to see the exception.
  const aligned = random.chance(0.95) ? 0xfffcfffc : 0xffffffff;
  return {
    signed: random.chance(0.5),
    start: random.chance(0.1),
    half: random.below(2),
    lane: random.below(4),
    ops: { rs1: (random.uint32() & (aligned | 0xffff0000)) >>> 0, rs2: (random.uint32() & aligned) >>> 0, rs3: random.uint32() },
  };
}

function poke(sim: RtlSimulator, issue: Issued): void {
  sim.poke('issue_signed', Number(issue.signed));
  sim.poke('issue_start', Number(issue.start));
  sim.poke('issue_half', issue.half);
  sim.poke('issue_lane', issue.lane);
  sim.poke('op_base', issue.ops.rs1);
  sim.poke('op_offsets', issue.ops.rs2);
  sim.poke('op_weights', issue.ops.rs3);
}

function run(cycles: number, seed: number) {
  const sim = new RtlSimulator(elaborate(MacUnit, {}));
  const random = new Random(seed);
  let sums: readonly number[] = [0, 0, 0, 0].map(() => random.uint32() | 0);
  const inFlight: Issued[] = [];
  let pending: Issued | null = null;
  let response: { due: number; error: boolean; address: number } | null = null;
  const stats = { completed: 0, mul4s: 0, faults: 0, misaligned: 0, held: 0 };

  sim.reset();
  for (let cycle = 0; cycle < cycles; cycle++) {
    if (!pending && random.chance(0.85)) pending = newInstruction(random);
    const returning = response !== null && response.due === cycle;
    sim.poke('data_rvalid', Number(returning));
    sim.poke('data_err', Number(returning && response!.error));
    sim.poke('data_rdata', returning ? memoryWord(response!.address) : random.uint32());
    sim.poke('sums', packSums(sums));
    sim.poke('issue_valid', Number(pending !== null));
    poke(sim, pending ?? newInstruction(random)); // idle cycles present arbitrary fields
    const granted = random.chance(0.7);
    sim.poke('data_gnt', Number(granted));

    // The older instruction completes (or faults) before anything issued in this cycle acts.
    let next = sums;
    if (returning) {
      const done = inFlight.shift()!;
      // (an exception without an error is a misaligned instruction issuing in this cycle, checked below)
      expect(sim.peek('exc_valid') === 1 && sim.peek('exc_cause') === 5).toBe(response!.error);
      expect(sim.peek('sums_we')).toBe(Number(!response!.error));
      if (response!.error) {
        // A faulting instruction writes no register.
        stats.faults++;
        expect(sim.peek('exc_tval')).toBe(response!.address);
      } else {
        stats.completed++;
        if (done.start) stats.mul4s++;
        const outcome = executeMac4(done, done.ops, sums, memoryWord);
        expect(outcome).toMatchObject({ kind: 'ok', address: response!.address });
        if (outcome.kind === 'ok') next = outcome.sums;
        expect(unpackSums(sim.peekBig('next_sums')), `cycle ${cycle}`).toEqual(next);
      }
      response = null;
    } else {
      expect(sim.peek('sums_we')).toBe(0);
    }
    const ready = sim.peek('issue_ready') === 1;
    if (pending && !ready) stats.held++;
    if (pending && ready) {
      const outcome = executeMac4(pending, pending.ops, sums, () => 0);
      if (outcome.kind === 'misaligned') {
        stats.misaligned++;
        expect([sim.peek('exc_valid'), sim.peek('exc_cause'), sim.peek('exc_tval'), sim.peek('data_req')]).toEqual([1, 4, outcome.address, 0]);
      } else {
        expect([sim.peek('data_req'), sim.peek('data_addr'), sim.peek('data_be')]).toEqual([1, outcome.address, 0b1111]);
        inFlight.push(pending);
      }
      pending = null;
    }
    if (sim.peek('data_req') && granted) {
      const error = random.chance(0.05);
      response = { due: cycle + 1 + (random.chance(0.7) ? 0 : random.below(3)), error, address: sim.peek('data_addr') };
    }
    if (sim.peek('sums_we')) sums = unpackSums(sim.peekBig('next_sums'));
    expect(sums, `cycle ${cycle}`).toEqual(next);
    sim.step();
  }
  return stats;
}

describe('MacUnit against the golden model', () => {
  it.each([1, 2, 3])('seed %i: random nm.mac4 / nm.mul4, grant delays, latencies and bus errors', (seed) => {
    const stats = run(4000, seed);
    expect(stats.completed).toBeGreaterThan(800);
    expect(stats.mul4s).toBeGreaterThan(50);
    expect(stats.faults).toBeGreaterThan(20);
    expect(stats.misaligned).toBeGreaterThan(20);
    expect(stats.held).toBeGreaterThan(100);
  });

  it('sustains one nm.mac4 per cycle when memory grants at once and answers next cycle', () => {
    const sim = new RtlSimulator(elaborate(MacUnit, {}));
    sim.reset();
    sim.poke('issue_valid', 1);
    sim.poke('data_gnt', 1);
    sim.poke('data_err', 0);
    sim.poke('op_weights', 1); // weight 1 in lane 0: each sum counts its activation byte
    sim.poke('data_rdata', 0x01020304);
    let sums = [0, 0, 0, 0];
    for (let cycle = 0; cycle < 100; cycle++) {
      sim.poke('data_rvalid', Number(cycle > 0));
      sim.poke('sums', packSums(sums));
      expect(sim.peek('issue_ready')).toBe(1);
      expect(sim.peek('sums_we')).toBe(Number(cycle > 0));
      if (sim.peek('sums_we')) sums = unpackSums(sim.peekBig('next_sums'));
      sim.step();
    }
    expect(sums).toEqual([4 * 99, 3 * 99, 2 * 99, 1 * 99]);
  });
});
