// The gather block driven like a core would drive it, against a memory that delays grants, answers
// after a random latency and sometimes with a bus error. Every write-back and exception is checked,
// in order, against executeGather() of the golden model.
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { checkedFormats, type GatherFormat } from '../../hw/ext/format.js';
import { GatherUnit } from '../../hw/ext/gather-unit.js';
import { executeGather, type GatherInstruction, lanesPerWord } from '../../isa/xnmsparse/gather.js';
import { Random } from '../../util/random.js';

interface Issued {
  readonly insn: GatherInstruction;
  readonly ops: { rs1: number; rs2: number; rd: number };
}

/** Contents of the (unbounded) memory: a fixed pseudo-random word per word address. */
const memoryWord = (address: number): number => (Math.imul((address >>> 2) ^ 0x9e3779b9, 0x85ebca6b) ^ (address >>> 7)) >>> 0;

function run(format: GatherFormat, cycles: number, seed: number): { completed: number; faults: number; misaligned: number } {
  const sim = new RtlSimulator(elaborate(GatherUnit, format));
  const random = new Random(seed);
  const newInstruction = (): Issued => {
    const insn: GatherInstruction = {
      rd: random.below(32),
      rs1: random.below(32),
      rs2: random.below(32),
      pattern: { m: format.m, n: format.n },
      elementBytes: format.bytes,
      lane: random.below(lanesPerWord(format.bytes)),
      consume: random.chance(0.5),
    };
    const base = format.bytes === 2 && random.chance(0.9) ? random.uint32() & ~1 : random.uint32();
    return { insn, ops: { rs1: base >>> 0, rs2: random.uint32(), rd: random.uint32() } };
  };

  const inFlight: Issued[] = [];
  let pending: Issued | null = null;
  let response: { due: number; error: boolean; address: number } | null = null;
  const responses = new Map<Issued, { error: boolean; address: number }>();
  const stats = { completed: 0, faults: 0, misaligned: 0 };

  sim.reset();
  for (let cycle = 0; cycle < cycles; cycle++) {
    if (!pending && random.chance(0.8)) pending = newInstruction();
    const returning = response !== null && response.due === cycle;
    sim.poke('data_rvalid', Number(returning));
    sim.poke('data_err', Number(returning && response!.error));
    sim.poke('data_rdata', returning ? memoryWord(response!.address) : random.uint32());
    sim.poke('issue_valid', Number(pending !== null));
    const issue = pending ?? newInstruction(); // idle cycles present arbitrary fields
    sim.poke('issue_lane', issue.insn.lane);
    sim.poke('issue_consume', Number(issue.insn.consume));
    sim.poke('issue_rd', issue.insn.rd);
    sim.poke('issue_rs2', issue.insn.rs2);
    sim.poke('op_base', issue.ops.rs1);
    sim.poke('op_indices', issue.ops.rs2);
    sim.poke('op_old', issue.ops.rd);
    const granted = random.chance(0.7);
    sim.poke('data_gnt', Number(granted));

    // Outputs of this cycle, in order: the older gather completes before a new one can trap.
    if (sim.peek('wb_rd_we') || (sim.peek('exc_valid') && sim.peek('exc_cause') === 5)) {
      const done = inFlight.shift()!;
      const outcome = executeGather(done.insn, done.ops, (address) => (responses.get(done)!.error ? null : (memoryWord(address) >>> (8 * (address & 3))) & (format.bytes === 1 ? 0xff : 0xffff)));
      if (outcome.kind === 'ok') {
        stats.completed++;
        expect(sim.peek('wb_rd_addr')).toBe(done.insn.rd);
        expect(sim.peek('wb_rd_data')).toBe(outcome.rd);
        expect(sim.peek('wb_rs2_we')).toBe(Number(done.insn.consume));
        if (done.insn.consume) expect([sim.peek('wb_rs2_addr'), sim.peek('wb_rs2_data')]).toEqual([done.insn.rs2, outcome.rs2]);
      } else {
        stats.faults++;
        expect(outcome.kind).toBe('access-fault');
        expect([sim.peek('exc_cause'), sim.peek('exc_tval'), sim.peek('wb_rd_we'), sim.peek('wb_rs2_we')]).toEqual([5, outcome.address, 0, 0]);
      }
      response = null;
    }
    const accepted = pending !== null && sim.peek('issue_ready') === 1;
    if (accepted) {
      const outcome = executeGather(pending!.insn, pending!.ops, () => 0);
      if (outcome.kind === 'misaligned') {
        stats.misaligned++;
        expect([sim.peek('exc_valid'), sim.peek('exc_cause'), sim.peek('exc_tval'), sim.peek('data_req')]).toEqual([1, 4, outcome.address, 0]);
      } else {
        expect(sim.peek('data_req')).toBe(1);
        expect(sim.peek('data_addr')).toBe(outcome.address);
        inFlight.push(pending!);
      }
      pending = null;
    }
    if (sim.peek('data_req') && granted) {
      const request = inFlight.at(-1)!;
      const address = sim.peek('data_addr');
      const error = random.chance(0.05);
      responses.set(request, { error, address });
      const lanes = format.bytes === 1 ? 1 << (address & 3) : address & 2 ? 0b1100 : 0b0011;
      expect(sim.peek('data_be')).toBe(lanes);
      response = { due: cycle + 1 + (random.chance(0.7) ? 0 : random.below(3)), error, address };
    }
    sim.step();
  }
  return stats;
}

describe('GatherUnit against the golden model', () => {
  it.each(checkedFormats.map((f) => [`${f.n}:${f.m} ${f.bytes}B`, f] as const))('%s: random instructions, grant delays, latencies and bus errors', (_, format) => {
    const stats = run(format, 4000, format.m + format.n + format.bytes);
    expect(stats.completed).toBeGreaterThan(800);
    expect(stats.faults).toBeGreaterThan(20);
    if (format.bytes === 2) expect(stats.misaligned).toBeGreaterThan(20);
  });

  it('sustains one gather per cycle when memory grants at once and answers next cycle', () => {
    const sim = new RtlSimulator(elaborate(GatherUnit, { m: 8, n: 1, bytes: 1 }));
    sim.reset();
    sim.poke('issue_valid', 1);
    sim.poke('data_gnt', 1);
    sim.poke('data_err', 0);
    let retired = 0;
    for (let cycle = 0; cycle < 100; cycle++) {
      sim.poke('data_rvalid', Number(cycle > 0));
      expect(sim.peek('issue_ready')).toBe(1);
      retired += sim.peek('wb_rd_we');
      sim.step();
    }
    expect(retired).toBe(99);
  });
});
