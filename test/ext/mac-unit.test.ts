// The revision-2 block (nm-mac) driven like a core would drive it, against a memory that delays
// grants, answers after a random latency and sometimes with a bus error. Every exception, nm.racc
// result and CSR read is checked in order, and the accumulators after every cycle, against
// executeMac4() / executeRacc() of the golden model.
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { macIssueKind, MacUnit } from '../../hw/ext/r2/mac-unit.js';
import { executeMac4, executeRacc } from '../../isa/xnmsparse/mac.js';
import { Random } from '../../util/random.js';

type Kind = keyof typeof macIssueKind;

interface Issued {
  readonly kind: Kind;
  readonly signed: boolean;
  readonly half: number;
  readonly lane: number;
  readonly acc: number;
  readonly rd: number;
  readonly csrWrite: boolean;
  readonly ops: { rs1: number; rs2: number; rs3: number; csr: number };
}

/** Contents of the (unbounded) memory: a fixed pseudo-random word per word address. */
const memoryWord = (address: number): number => (Math.imul((address >>> 2) ^ 0x9e3779b9, 0x85ebca6b) ^ (address >>> 7)) >>> 0;

function newInstruction(random: Random): Issued {
  const kind: Kind = random.chance(0.8) ? 'mac4' : random.chance(0.6) ? 'racc' : 'csr';
  // Mostly aligned bases and offsets, as a kernel's; a few misaligned to see the exception.
  const aligned = random.chance(0.95) ? 0xfffcfffc : 0xffffffff;
  return {
    kind,
    signed: random.chance(0.5),
    half: random.below(2),
    lane: random.below(4),
    acc: random.below(4),
    rd: random.below(32),
    csrWrite: random.chance(0.5),
    ops: { rs1: (random.uint32() & (aligned | 0xffff0000)) >>> 0, rs2: (random.uint32() & aligned) >>> 0, rs3: random.uint32(), csr: random.uint32() },
  };
}

function run(cycles: number, seed: number) {
  const sim = new RtlSimulator(elaborate(MacUnit, {}));
  const random = new Random(seed);
  let acc: readonly number[] = [0, 0, 0, 0];
  const inFlight: Issued[] = [];
  let pending: Issued | null = null;
  let response: { due: number; error: boolean; address: number } | null = null;
  const stats = { completed: 0, faults: 0, misaligned: 0, raccs: 0, csrs: 0, held: 0 };

  sim.reset();
  for (let cycle = 0; cycle < cycles; cycle++) {
    if (!pending && random.chance(0.85)) pending = newInstruction(random);
    const returning = response !== null && response.due === cycle;
    sim.poke('data_rvalid', Number(returning));
    sim.poke('data_err', Number(returning && response!.error));
    sim.poke('data_rdata', returning ? memoryWord(response!.address) : random.uint32());
    sim.poke('issue_valid', Number(pending !== null));
    const issue = pending ?? newInstruction(random); // idle cycles present arbitrary fields
    sim.poke('issue_kind', macIssueKind[issue.kind]);
    sim.poke('issue_signed', Number(issue.signed));
    sim.poke('issue_half', issue.half);
    sim.poke('issue_lane', issue.lane);
    sim.poke('issue_acc', issue.acc);
    sim.poke('issue_rd', issue.rd);
    sim.poke('issue_csr_write', Number(issue.csrWrite));
    sim.poke('op_base', issue.ops.rs1);
    sim.poke('op_offsets', issue.ops.rs2);
    sim.poke('op_weights', issue.ops.rs3);
    sim.poke('op_csr_data', issue.ops.csr);
    const granted = random.chance(0.7);
    sim.poke('data_gnt', Number(granted));

    // The older nm.mac4 completes (or faults) before anything issued in this cycle acts.
    if (returning) {
      const done = inFlight.shift()!;
      // (an exception without an error is a misaligned nm.mac4 issuing in this cycle, checked below)
      expect(sim.peek('exc_valid') === 1 && sim.peek('exc_cause') === 5).toBe(response!.error);
      if (response!.error) {
        // A faulting nm.mac4 changes nothing: the accumulators are compared after the step.
        stats.faults++;
        expect(sim.peek('exc_tval')).toBe(response!.address);
      } else {
        stats.completed++;
        const outcome = executeMac4(done, done.ops, acc, memoryWord);
        expect(outcome).toMatchObject({ kind: 'ok', address: response!.address });
        if (outcome.kind === 'ok') acc = outcome.accumulators;
      }
      response = null;
    }
    const ready = sim.peek('issue_ready') === 1;
    // nm.racc and CSR accesses wait for every nm.mac4 in flight; nm.mac4 may follow one at once.
    if (pending && pending.kind !== 'mac4') expect(ready).toBe(inFlight.length === 0 && !returning);
    if (pending && !ready) stats.held++;
    expect(sim.peek('wb_rd_we')).toBe(Number(pending?.kind === 'racc' && ready));
    if (pending && ready) {
      if (pending.kind === 'mac4') {
        const outcome = executeMac4(pending, pending.ops, acc, () => 0);
        if (outcome.kind === 'misaligned') {
          stats.misaligned++;
          expect([sim.peek('exc_valid'), sim.peek('exc_cause'), sim.peek('exc_tval'), sim.peek('data_req')]).toEqual([1, 4, outcome.address, 0]);
        } else {
          expect([sim.peek('data_req'), sim.peek('data_addr'), sim.peek('data_be')]).toEqual([1, outcome.address, 0b1111]);
          inFlight.push(pending);
        }
      } else if (pending.kind === 'racc') {
        stats.raccs++;
        const outcome = executeRacc(pending.acc, acc);
        expect([sim.peek('wb_rd_addr'), sim.peek('acc_data') | 0]).toEqual([pending.rd, outcome.rd]);
        acc = outcome.accumulators;
      } else {
        stats.csrs++;
        expect(sim.peek('acc_data') | 0).toBe(acc[pending.acc]);
        if (pending.csrWrite) acc = acc.map((a, k) => (k === pending!.acc ? pending!.ops.csr | 0 : a));
      }
      pending = null;
    }
    if (sim.peek('data_req') && granted) {
      const error = random.chance(0.05);
      response = { due: cycle + 1 + (random.chance(0.7) ? 0 : random.below(3)), error, address: sim.peek('data_addr') };
    }
    sim.step();
    expect([0, 1, 2, 3].map((p) => sim.peek(`u_acc.acc${p}`) | 0), `cycle ${cycle}`).toEqual(acc);
  }
  return stats;
}

describe('MacUnit against the golden model', () => {
  it.each([1, 2, 3])('seed %i: random nm.mac4 / nm.racc / CSR accesses, grant delays, latencies and bus errors', (seed) => {
    const stats = run(4000, seed);
    expect(stats.completed).toBeGreaterThan(800);
    expect(stats.faults).toBeGreaterThan(20);
    expect(stats.misaligned).toBeGreaterThan(20);
    expect(stats.raccs).toBeGreaterThan(100);
    expect(stats.csrs).toBeGreaterThan(50);
    expect(stats.held).toBeGreaterThan(100);
  });

  it('sustains one nm.mac4 per cycle when memory grants at once and answers next cycle', () => {
    const sim = new RtlSimulator(elaborate(MacUnit, {}));
    sim.reset();
    sim.poke('issue_valid', 1);
    sim.poke('issue_kind', macIssueKind.mac4);
    sim.poke('data_gnt', 1);
    sim.poke('data_err', 0);
    sim.poke('op_weights', 1); // weight 1 in lane 0: each accumulator counts its activation byte
    sim.poke('data_rdata', 0x01020304);
    for (let cycle = 0; cycle < 100; cycle++) {
      sim.poke('data_rvalid', Number(cycle > 0));
      expect(sim.peek('issue_ready')).toBe(1);
      sim.step();
    }
    expect([0, 1, 2, 3].map((p) => sim.peek(`u_acc.acc${p}`))).toEqual([4 * 99, 3 * 99, 2 * 99, 1 * 99]);
  });
});
