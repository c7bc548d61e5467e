// CoreLsu against the instruction table and the ISS: every load and store row at every byte
// alignment, driven through the unit as the pipeline would, on a memory behind its OBI port that
// delays grants like the ISS's DelayedGrantBus. The loaded values, incremented bases and memory
// contents must be what the rows' semantics give on the ISS's hart, and the cycles each access
// holds EX must be what the ISS charges for the instruction (docs/cv32e40p.md#timing).
import { describe, expect, it } from 'vitest';
import { CoreLsu } from '../../hw/core/lsu.js';
import { LSU_SIZE, lsuControl } from '../../hw/core/lsu-ops.js';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { grantDelays, type GrantDelay } from '../../isa/platform/grant-delay.js';
import { BASE_INSTRUCTIONS } from '../../isa/table.js';
import { RV32I } from '../../isa/tables/rv32i.js';
import { XCV_MEM } from '../../isa/tables/xcv-mem.js';
import { XNMSPARSE } from '../../isa/tables/xnmsparse.js';
import { XNMSPARSE_MAC } from '../../isa/tables/xnmsparse-mac.js';
import { MappedMemory } from '../../sim/core/memory.js';
import { Random } from '../../util/random.js';
import { driveLsu, type LsuObservation } from './lsu-driver.js';
import { accessBytes, CODE, DATA, IssReference, LSU_ROWS, makeCase, type LsuCase } from './lsu-reference.js';
import { ObiDataMemory } from './obi-data-memory.js';

const design = elaborate(CoreLsu, {});

describe('lsuControl', () => {
  it('gives fields to exactly the loads and stores of RV32I and Xcvmem, and nm.mac4 / nm.mul4', () => {
    const own = new Set([...RV32I, ...XCV_MEM, ...XNMSPARSE_MAC].filter((def) => def.effects.memory !== 'none'));
    for (const def of [...BASE_INSTRUCTIONS, ...XNMSPARSE, ...XNMSPARSE_MAC]) {
      expect(lsuControl(def) !== undefined, def.mnemonic).toBe(own.has(def));
    }
    expect(LSU_ROWS.length).toBe(8 + 5 * 3 + 3 * 3);
    // A word at rs1 + the selected half of rs2, without post-increment (the core traps it when misaligned).
    for (const def of XNMSPARSE_MAC) expect(lsuControl(def), def.mnemonic).toEqual({ we: false, size: LSU_SIZE.word, signExt: false, postIncrement: false, offset: 'rs2_half' });
  });

  it('takes the offset from the format and the width from the mnemonic', () => {
    const row = (mnemonic: string, syntax: string) => [...RV32I, ...XCV_MEM].find((d) => d.mnemonic === mnemonic && d.format.syntax === syntax)!;
    expect(lsuControl(row('lhu', '{rd}, {imm12}({rs1})'))).toEqual({ we: false, size: LSU_SIZE.half, signExt: false, postIncrement: false, offset: 'imm' });
    expect(lsuControl(row('cv.lb', '{rd}, ({rs1}), {rs2}'))).toEqual({ we: false, size: LSU_SIZE.byte, signExt: true, postIncrement: true, offset: 'rs2' });
    expect(lsuControl(row('cv.lw', '{rd}, {rs2}({rs1})'))).toEqual({ we: false, size: LSU_SIZE.word, signExt: false, postIncrement: false, offset: 'rs2' });
    expect(lsuControl(row('cv.sh', '{rs2}, ({rs1}), {rs3}'))).toEqual({ we: true, size: LSU_SIZE.half, signExt: false, postIncrement: true, offset: 'rs3' });
    expect(lsuControl(row('cv.sb', '{rs2}, {rs3}({rs1})'))).toEqual({ we: true, size: LSU_SIZE.byte, signExt: false, postIncrement: false, offset: 'rs3' });
    expect(lsuControl(row('cv.sw', '{rs2}, ({rs1}), {store12}'))).toEqual({ we: true, size: LSU_SIZE.word, signExt: false, postIncrement: true, offset: 'imm' });
  });
});

interface Run {
  readonly cases: readonly LsuCase[];
  readonly seen: readonly LsuObservation[];
  /** What differs from the ISS in values, faults and flushes, one line per difference. */
  readonly differences: string[];
  /** What differs from the ISS in the cycles spent in EX and WB (on a single-cycle memory). */
  readonly timingDifferences: string[];
  /** The ISS's cycles for each access it ran (undefined for a fault). */
  readonly issCycles: readonly (number | undefined)[];
  readonly rtlMemory: MappedMemory;
  readonly issMemory: MappedMemory;
  /** The data region before the run. */
  readonly initial: Uint8Array;
}

/** Random data bytes for the data region. */
const dataBytes = (random: Random): Uint8Array => random.fill(new Uint8Array(DATA.size));

/** Where an access at byte `lane` of a word goes. */
type Placement = (random: Random, lane: number) => number;

/** Anywhere in the data region. */
const inData: Placement = (random, lane) => DATA.base + 4 * random.below(DATA.size / 4 - 1) + lane;

const isMapped = (addr: number): boolean => addr >= DATA.base && addr < DATA.base + DATA.size;

/**
 * What an access outside the data region must raise: an access fault at the address of the first
 * part that is not mapped, the access's own or the next word's. It holds EX for each transaction
 * it makes, and a cycle more when its first half fails (the error comes back while it waits for
 * the second); the first half of a store whose second half fails is written.
 */
function expectedFault(c: LsuCase, grantDelay: number) {
  const bytes = accessBytes(c.control);
  const lane = c.target % 4;
  const split = lane + bytes > 4;
  const firstMapped = isMapped(c.target - lane);
  return {
    fault: { cause: c.control.we ? 7 : 5, tval: firstMapped ? c.target - lane + 4 : c.target },
    exCycles: !firstMapped ? 1 + grantDelay + Number(split) : 2 * (1 + grantDelay),
    writtenBytes: c.control.we && firstMapped ? 4 - lane : 0,
  };
}

/**
 * Every row at every alignment, `repeats` times, placed by `place`, in random order with random
 * idle cycles between (none most of the time), on the ISS (the accesses that stay in the data
 * region) and through the unit.
 */
function runAgainstIss(delay: GrantDelay, seed: number, repeats: number, place: Placement = inData, extraLatency?: () => number): Run {
  const random = new Random(seed);
  const initial = dataBytes(random);
  const order = LSU_ROWS.flatMap((row) => [0, 1, 2, 3].flatMap((lane) => Array.from({ length: repeats }, () => ({ row, lane }))));
  const cases = order
    .map((item) => ({ item, key: random.uint32() }))
    .sort((a, b) => a.key - b.key)
    .map(({ item: { row, lane } }, i) => makeCase(random, row, place(random, lane), CODE.base + 4 * i, random.chance(0.7) ? 0 : 1 + random.below(3)));
  const faults = (c: LsuCase): boolean => !isMapped(c.target) || !isMapped(c.target + accessBytes(c.control) - 1);
  // Faults need a fixed delay: the ISS cannot run them, so it would draw no delays for them.
  if (delay.kind !== 'fixed' && cases.some(faults)) throw new Error('runAgainstIss: accesses outside the data region need a fixed grant delay');
  const iss = new IssReference(initial, delay);
  const expected = cases.map((c) => {
    if (!faults(c)) return { iss: iss.run(c) };
    const fault = expectedFault(c, delay.kind === 'fixed' ? delay.cycles : 0);
    for (let k = 0; k < fault.writtenBytes; k++) iss.memory.write(c.target + k, 1, c.access.wdata >>> (8 * k));
    return { fault };
  });

  const rtlMemory = new MappedMemory([DATA]);
  rtlMemory.writeBytes(DATA.base, initial);
  const noise = new Random(seed + 1);
  const seen = driveLsu(new RtlSimulator(design), new ObiDataMemory(rtlMemory, grantDelays(delay), noise, extraLatency), cases.map((c) => c.access), noise);

  const differences: string[] = [];
  const timingDifferences: string[] = [];
  cases.forEach((c, i) => {
    const o = seen[i]!;
    const e = expected[i]!;
    const name = `#${i} ${c.def.mnemonic} ${c.def.format.syntax} at ${c.target.toString(16)}`;
    const compare = (into: string[]) => (what: string, rtl: unknown, ref: unknown) => {
      if (JSON.stringify(rtl) !== JSON.stringify(ref)) into.push(`${name}: ${what} ${JSON.stringify(rtl)}, expected ${JSON.stringify(ref)}`);
    };
    const differ = compare(differences);
    const differInTime = compare(timingDifferences);
    differInTime('WB cycles', o.wbCycles, 1);
    // A fault flushes the access right behind it, which enters EX again.
    differ('flushes', o.flushes, Number(i > 0 && expected[i - 1]!.fault !== undefined && c.access.bubbles === 0));
    if (e.fault) {
      differInTime('EX cycles', o.exCycles, e.fault.exCycles);
      differ('fault', o.fault, e.fault.fault);
      differ('loaded value', o.rdata, undefined);
    } else {
      differInTime('EX cycles', o.exCycles, e.iss!.cycles);
      differ('fault', o.fault, undefined);
      differ('loaded value', o.rdata, c.control.we ? undefined : e.iss!.rd);
      if (c.control.postIncrement) differ('next_base', o.nextBase, e.iss!.rs1);
    }
  });
  return { cases, seen, differences, timingDifferences, issCycles: expected.map((e) => e.iss?.cycles), rtlMemory, issMemory: iss.memory, initial };
}

describe('CoreLsu against the ISS', () => {
  const delays: readonly GrantDelay[] = [
    { kind: 'fixed', cycles: 0 },
    { kind: 'fixed', cycles: 1 },
    { kind: 'fixed', cycles: 3 },
    { kind: 'random', seed: 1, max: 3 },
    { kind: 'random', seed: 2, max: 3 },
  ];
  for (const delay of delays) {
    const label = delay.kind === 'fixed' ? `grants after ${delay.cycles} cycle(s)` : `random grant delays 0..${delay.max} (seed ${delay.seed})`;
    it(`every load and store row at every alignment, ${label}: values, memory and EX cycles`, () => {
      const run = runAgainstIss(delay, 100 + (delay.kind === 'fixed' ? delay.cycles : 10 * delay.seed), 3);
      expect(run.differences).toEqual([]);
      expect(run.timingDifferences).toEqual([]);
      expect(run.rtlMemory.readBytes(DATA.base, DATA.size)).toEqual(run.issMemory.readBytes(DATA.base, DATA.size));
      // The runs must have met what they are about: split accesses, and stores that changed memory.
      expect(run.cases.some((c) => c.target % 4 + accessBytes(c.control) > 4)).toBe(true);
      expect(run.issMemory.readBytes(DATA.base, DATA.size)).not.toEqual(run.initial);
    });
  }

  it('keeps values and memory when data returns later than the cycle after the grant, and waits for it', () => {
    const latency = new Random(41);
    const run = runAgainstIss({ kind: 'random', seed: 4, max: 2 }, 40, 2, inData, () => latency.below(4));
    expect(run.differences).toEqual([]);
    expect(run.rtlMemory.readBytes(DATA.base, DATA.size)).toEqual(run.issMemory.readBytes(DATA.base, DATA.size));
    expect(run.timingDifferences.length).toBeGreaterThan(0);
    run.seen.forEach((o, i) => {
      expect(o.exCycles).toBeGreaterThanOrEqual(run.issCycles[i]!);
      expect(o.wbCycles).toBeGreaterThanOrEqual(1);
    });
  });

  it('moves each access over the bus as the real core does: one word, or the lower word then the upper one', () => {
    const { cases, seen } = runAgainstIss({ kind: 'fixed', cycles: 0 }, 7, 1);
    cases.forEach((c, i) => {
      const bytes = accessBytes(c.control);
      const lane = c.target % 4;
      const enables = ((1 << bytes) - 1) << lane;
      const words = [{ addr: c.target - lane, be: enables & 15 }, { addr: c.target - lane + 4, be: enables >> 4 }].filter((w) => w.be !== 0);
      expect(seen[i]!.transactions.map(({ addr, be, we }) => ({ addr, be, we })), `${c.def.mnemonic} at lane ${lane}`)
        .toEqual(words.map((w) => ({ ...w, we: c.control.we })));
    });
  });
});

describe('CoreLsu bus errors', () => {
  /** Half of the accesses at the edges of the data region: the word before it, its last word, beyond it. */
  const nearEdges: Placement = (random, lane) => {
    const edges = [DATA.base - 4 + lane, DATA.base + DATA.size - 4 + lane, DATA.base + DATA.size + 4 * random.below(64) + lane];
    return random.chance(0.5) ? random.pick(edges) : inData(random, lane);
  };
  for (const cycles of [0, 2]) {
    it(`raise load and store access faults with the failing part's address, precisely, grants after ${cycles} cycle(s)`, () => {
      const run = runAgainstIss({ kind: 'fixed', cycles }, 300 + cycles, 2, nearEdges);
      expect(run.differences).toEqual([]);
      expect(run.timingDifferences).toEqual([]);
      expect(run.rtlMemory.readBytes(DATA.base, DATA.size)).toEqual(run.issMemory.readBytes(DATA.base, DATA.size));
      // Faults of every kind occurred: on the first word, on the second half, loads and stores.
      const faults = run.seen.map((o, i) => ({ o, c: run.cases[i]! })).filter(({ o }) => o.fault);
      expect(new Set(faults.map(({ o }) => o.fault!.cause))).toEqual(new Set([5, 7]));
      expect(faults.some(({ o, c }) => o.fault!.tval === c.target && c.target % 4 + accessBytes(c.control) > 4)).toBe(true);
      expect(faults.some(({ o, c }) => o.fault!.tval !== c.target)).toBe(true);
      expect(run.seen.some((o) => o.flushes > 0)).toBe(true);
    });
  }
});

describe('CoreLsu protocol', () => {
  /** The unit on a memory that grants at once, the data region filled at random. */
  function directed() {
    const sim = new RtlSimulator(design);
    const memory = new MappedMemory([DATA]);
    memory.writeBytes(DATA.base, dataBytes(new Random(8)));
    const port = new ObiDataMemory(memory, () => 0, new Random(9));
    /** A cycle: the memory's response, EX holding a word load from `address` (or nothing), the grant. */
    const cycle = (address: number | undefined, first = true) => {
      port.respond(sim);
      const inputs = { ex_valid: Number(address !== undefined), ex_first: Number(first), we: 0, size: LSU_SIZE.word, sign_ext: 0, post_increment: 1, base: address ?? 0, offset: 4, wdata: 0 };
      for (const [name, value] of Object.entries(inputs)) sim.poke(name, value);
      return port.arbitrate(sim);
    };
    sim.reset();
    return { sim, memory, cycle };
  }

  it('starts an access that enters EX (ex_first) with its own first word, even when the one before left in the middle of a split access', () => {
    const { sim, memory, cycle } = directed();
    expect(cycle(DATA.base + 1)).toMatchObject({ addr: DATA.base, be: 0b1110 });
    expect(sim.peek('ex_ready')).toBe(0);
    sim.step();
    // The split word is dropped from EX (a flush) and an aligned word enters at once.
    expect(cycle(DATA.base + 8)).toMatchObject({ addr: DATA.base + 8, be: 0b1111 });
    expect([sim.peek('ex_ready'), sim.peek('next_base')]).toEqual([1, DATA.base + 12]);
    sim.step();
    cycle(undefined);
    expect([sim.peek('wb_valid'), sim.peek('wb_rdata')]).toEqual([1, memory.read(DATA.base + 8, 4, false) >>> 0]);
  });

  it('drops the fault of the first half of an access that left EX before its error came back', () => {
    for (const next of [undefined, DATA.base + 8]) {
      const { sim, cycle } = directed();
      const noFault = () => expect(sim.peek('exc_valid'), `followed by ${next?.toString(16) ?? 'nothing'}`).toBe(0);
      expect(cycle(DATA.base - 3)).toMatchObject({ addr: DATA.base - 4, be: 0b1110 });
      sim.step();
      cycle(next);
      noFault();
      expect(sim.peek('ex_ready')).toBe(next === undefined ? 1 : 0); // the error holds the next one a cycle
      sim.step();
      cycle(next, false);
      noFault();
      expect(sim.peek('ex_ready')).toBe(1);
      sim.step();
      cycle(undefined);
      noFault();
    }
  });
});
