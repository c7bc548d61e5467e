// CoreFetch against the ISS's fetch behaviour (test/core/fetch-harness.ts): the right-path stream
// of pcs and instructions, the cycle each is first offered, and the hardware-loop decrements, on
// programs mixing 16- and 32-bit instructions at every alignment, under decode stalls, redirects
// from decode and execute, hardware loops (single, nested, shortest bodies), delayed grants and
// responses, and bus errors.
import { describe, expect, it } from 'vitest';
import { type Flow, type Instruction, type LoopSetup, Program, randomBits, runFetch, SINGLE_CYCLE } from './fetch-harness.js';
import { defineModule, elaborate, UInt } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { loopEnd } from '../../hw/core/hwloop-jump.js';
import { HardwareLoops } from '../../sim/core/hwloop.js';
import { Random } from '../../util/random.js';

/** Lays instructions out one after another from `pc`; returns the address after the last. */
class Assembler {
  constructor(
    readonly program: Program,
    private readonly random: Random,
    public pc: number,
  ) {}

  emit(length: 2 | 4, flow: Flow = { kind: 'next' }, setup?: LoopSetup): Instruction {
    const insn = { pc: this.pc, bits: randomBits(this.random, length), length, flow, ...(setup ? { setup } : {}) };
    this.program.add(insn);
    this.pc += length;
    return insn;
  }

  /** `n` instructions of random lengths. */
  mixed(n: number): void {
    for (let i = 0; i < n; i++) this.emit(this.random.chance(0.5) ? 2 : 4);
  }

  /** A compressed instruction when needed so that the next one is word-aligned (setups and loop bodies must be). */
  alignWord(): void {
    if (this.pc % 4 !== 0) this.emit(2);
  }
}

/** Code of random lengths where some instructions jump or branch forward, and the last back to the entry. */
function randomProgram(seed: number, entry: number, count: number, transferChance: number): Program {
  const random = new Random(seed);
  const program = new Program(entry);
  const lengths: (2 | 4)[] = Array.from({ length: count }, () => (random.chance(0.5) ? 2 : 4));
  const starts: number[] = [];
  lengths.reduce((pc, length) => (starts.push(pc), pc + length), entry);
  starts.forEach((pc, i) => {
    let flow: Flow = { kind: 'next' };
    if (i === count - 1) flow = { kind: 'jump', target: entry };
    else if (random.chance(transferChance)) {
      // Forward only, and not far, so that runs go round the whole program.
      flow = { kind: random.chance(0.5) ? 'jump' : 'branch', target: random.pick(starts.slice(i + 1, i + 12)) };
    }
    program.add({ pc, bits: randomBits(random, lengths[i]!), length: lengths[i]!, flow });
  });
  return program;
}

/** The four kinds of redirect target: 16 or 32 bits, at an address = 0 or 2 mod 4. */
const TARGETS = [
  { name: 'aligned 16-bit', offset: 0, length: 2 },
  { name: 'aligned 32-bit', offset: 0, length: 4 },
  { name: 'unaligned 16-bit', offset: 2, length: 2 },
  { name: 'unaligned 32-bit', offset: 2, length: 4 },
] as const;

describe('CoreFetch: redirects', () => {
  it.each(TARGETS.flatMap((t) => (['jump', 'branch'] as const).map((kind) => ({ ...t, kind }))))(
    '$kind to an $name target: the ISS cost',
    ({ offset, length, kind }) => {
      const random = new Random(7);
      const program = new Program(0x100);
      const code = new Assembler(program, random, 0x100);
      code.mixed(5);
      const target = 0x200 + offset;
      const jumper = code.emit(4, { kind, target });
      code.mixed(4);
      const at = new Assembler(program, random, 0x200);
      if (offset) at.emit(2);
      at.emit(length);
      at.mixed(3);
      at.emit(4, { kind: 'jump', target: 0x100 });
      const { offers } = runFetch(program, { memory: SINGLE_CYCLE, readyChance: 1, instructions: 40, seed: 1 });
      const i = offers.findIndex((o) => o.pc === jumper.pc);
      expect(offers[i + 1]!.pc).toBe(target);
      // Cycles from the jump entering decode to its target entering decode: docs/cv32e40p.md#timing.
      const cost = (kind === 'jump' ? 2 : 3) + (offset === 2 && length === 4 ? 1 : 0);
      expect(offers[i + 1]!.cycle - offers[i]!.cycle).toBe(cost);
    },
  );

  it('boots at boot_addr, aligned or not', () => {
    for (const entry of [0x80, 0x82]) {
      for (const length of [2, 4] as const) {
        const program = new Program(entry);
        const code = new Assembler(program, new Random(entry + length), entry);
        code.emit(length);
        code.mixed(6);
        code.emit(4, { kind: 'jump', target: entry });
        const { offers } = runFetch(program, { memory: SINGLE_CYCLE, readyChance: 1, instructions: 20, seed: 3 });
        expect(offers[0]).toMatchObject({ pc: entry, cycle: entry % 4 === 2 && length === 4 ? 2 : 1 });
      }
    }
  });
});

describe('CoreFetch: instruction streams', () => {
  it('one instruction per cycle on straight-line code of every mix', () => {
    for (let seed = 0; seed < 6; seed++) {
      const program = randomProgram(seed, 0x1000 + 2 * (seed % 2), 400, 0);
      const { offers } = runFetch(program, { memory: SINGLE_CYCLE, readyChance: 1, instructions: 399, seed });
      expect(offers.map((o) => o.cycle)).toEqual(offers.map((_, i) => offers[0]!.cycle + i));
    }
  });

  it.each([
    { name: 'no stalls', readyChance: 1 },
    { name: 'decode stalls', readyChance: 0.6 },
  ])('random jumps and branches, $name: the ISS stream and cycles', ({ readyChance }) => {
    let wrongPathTakes = 0;
    let visited = 0;
    for (let seed = 10; seed < 20; seed++) {
      const program = randomProgram(seed, 0x2000, 120, 0.08);
      const result = runFetch(program, { memory: SINGLE_CYCLE, readyChance, instructions: 1500, seed });
      wrongPathTakes += result.wrongPathTakes;
      visited += new Set(result.offers.map((o) => o.pc)).size;
    }
    // Decode took wrong-path instructions in branch shadows; the runs went through many instructions.
    expect(wrongPathTakes).toBeGreaterThan(20);
    expect(visited).toBeGreaterThan(500);
  });

  it('delayed grants and responses change the timing, never the stream', () => {
    let staleHeldCycles = 0;
    let droppedResponses = 0;
    for (let seed = 20; seed < 26; seed++) {
      const program = randomProgram(seed, 0x3000, 120, 0.08);
      const ideal = runFetch(program, { memory: SINGLE_CYCLE, readyChance: 0.8, instructions: 1000, seed });
      const slow = runFetch(program, { memory: { grantDelay: 3, responseDelay: 2 }, readyChance: 0.8, instructions: 1000, seed });
      expect(slow.offers.map((o) => o.pc)).toEqual(ideal.offers.map((o) => o.pc));
      expect(slow.cycles).toBeGreaterThan(ideal.cycles);
      staleHeldCycles += slow.staleHeldCycles;
      droppedResponses += slow.droppedResponses;
    }
    // Redirects met requests still waiting for their grant, and responses of abandoned streams.
    expect(staleHeldCycles).toBeGreaterThan(200);
    expect(droppedResponses).toBeGreaterThan(300);
  });

  it('marks the instructions made from a word that came with a bus error', () => {
    const program = randomProgram(30, 0x4000, 100, 0.05);
    const errorWords = new Set([0x4000 + 16, 0x4000 + 40, 0x4000 + 100]);
    runFetch(program, { memory: { grantDelay: 1, responseDelay: 1, errorWords }, readyChance: 0.8, instructions: 600, seed: 30 });
    runFetch(program, { memory: { ...SINGLE_CYCLE, errorWords }, readyChance: 1, instructions: 600, seed: 31 });
  });
});

/** A hardware-loop program: some mixed code, the loop(s), more mixed code, then a jump or branch back to the entry. */
interface LoopShape {
  readonly name: string;
  build(code: Assembler, random: Random): void;
}

const counts = (random: Random): number => random.pick([0, 1, 2, 3, 5]);

/** cv.setup-like: the body starts right after the setup instruction. */
function singleLoop(code: Assembler, random: Random, loop: 0 | 1, body: number): void {
  code.alignWord();
  const start = code.pc + 4;
  const end = start + 4 * body;
  code.emit(4, { kind: 'next' }, { loop, start, end, count: counts(random) });
  for (let i = 0; i < body; i++) code.emit(4);
}

const SHAPES: readonly LoopShape[] = [
  { name: 'one loop, 3 instructions', build: (code, random) => singleLoop(code, random, 0, 3) },
  { name: 'one loop (loop 1), 4 to 6 instructions', build: (code, random) => singleLoop(code, random, 1, 4 + random.below(3)) },
  {
    name: 'two loops one after the other',
    build: (code, random) => {
      singleLoop(code, random, 0, 3 + random.below(2));
      code.mixed(random.below(3));
      singleLoop(code, random, 1, 3);
    },
  },
  {
    name: 'nested, inner set up inside the outer body',
    build: (code, random) => {
      code.alignWord();
      const outerStart = code.pc + 4;
      const inner = 3 + random.below(2);
      const after = 2 + random.below(2);
      // outer body: inner setup, inner body, `after` instructions
      const outerEnd = outerStart + 4 * (1 + inner + after);
      code.emit(4, { kind: 'next' }, { loop: 1, start: outerStart, end: outerEnd, count: counts(random) });
      singleLoop(code, random, 0, inner);
      for (let i = 0; i < after; i++) code.emit(4);
    },
  },
  {
    name: 'nested, both starting at the same instruction',
    build: (code, random) => {
      code.alignWord();
      const start = code.pc + 8;
      const inner = 3 + random.below(2);
      const innerEnd = start + 4 * inner;
      const outerEnd = innerEnd + 8; // the inner count's reload and one more: the shortest legal gap
      const innerCount = 1 + random.below(3);
      code.emit(4, { kind: 'next' }, { loop: 1, start, end: outerEnd, count: counts(random) });
      code.emit(4, { kind: 'next' }, { loop: 0, start, end: innerEnd, count: innerCount });
      for (let i = 0; i < inner; i++) code.emit(4);
      code.emit(4, { kind: 'next' }, { loop: 0, count: innerCount });
      code.emit(4);
    },
  },
];

function loopProgram(shape: LoopShape, seed: number): Program {
  const random = new Random(seed);
  const entry = 0x8000 + 2 * random.below(2);
  const program = new Program(entry);
  const code = new Assembler(program, random, entry);
  code.mixed(random.below(4));
  shape.build(code, random);
  code.mixed(1 + random.below(4));
  code.emit(random.chance(0.5) ? 2 : 4, { kind: random.chance(0.5) ? 'jump' : 'branch', target: entry });
  return program;
}

describe('CoreFetch: hardware loops', () => {
  it.each(SHAPES)('$name: back edges cost nothing, decrements as the ISS', (shape) => {
    let backEdges = 0;
    for (let seed = 0; seed < 16; seed++) {
      const program = loopProgram(shape, seed);
      backEdges += runFetch(program, { memory: SINGLE_CYCLE, readyChance: 1, instructions: 300, seed }).backEdges;
      runFetch(program, { memory: SINGLE_CYCLE, readyChance: 0.6, instructions: 300, seed: seed + 100 });
      const ideal = runFetch(program, { memory: SINGLE_CYCLE, readyChance: 0.8, instructions: 300, seed: seed + 200 });
      const slow = runFetch(program, { memory: { grantDelay: 2, responseDelay: 2 }, readyChance: 0.8, instructions: 300, seed: seed + 200 });
      expect(slow.offers.map((o) => [o.pc, o.dec])).toEqual(ideal.offers.map((o) => [o.pc, o.dec]));
      // Setup instructions whose writes show one cycle later (written from execute): same stream and cycles.
      runFetch(program, { memory: SINGLE_CYCLE, readyChance: 1, instructions: 300, seed, setupWriteDelay: 1 });
    }
    expect(backEdges).toBeGreaterThan(40);
  });
});

/** The loop-end rule alone, on an instruction that may be compressed. */
const LoopEndProbe = defineModule('LoopEndProbe', (m) => {
  const pcPlus4 = m.input('pc_plus4', UInt(32));
  const wide = m.input('wide', UInt(1));
  const start0 = m.input('start0', UInt(32));
  const start1 = m.input('start1', UInt(32));
  const end0 = m.input('end0', UInt(32));
  const end1 = m.input('end1', UInt(32));
  const count0 = m.input('count0', UInt(32));
  const count1 = m.input('count1', UInt(32));
  const dec = m.output('dec', UInt(2));
  const jump = m.output('jump', UInt(1));
  const target = m.output('target', UInt(32));
  const rule = loopEnd(m, 'probe', { pcPlus4, wide }, { start: [start0, start1], end: [end0, end1], count: [count0, count1] });
  dec.assign(rule.dec);
  jump.assign(rule.jump);
  target.assign(rule.target);
  return { pcPlus4, wide, start0, start1, end0, end1, count0, count1, dec, jump, target };
});

describe('loopEnd', () => {
  // Compressed instructions ending at an active loop's end are left out: the loop rules exclude them
  // (the ISS stops at the setup of such a loop), and the hardware does not look for them.
  it('decides as HardwareLoops.next, on random register states (equal ends and counts 0 to 2 included)', () => {
    const sim = new RtlSimulator(elaborate(LoopEndProbe, {}));
    const random = new Random(99);
    const near = (base: number): number => (base + 2 * random.below(4)) >>> 0;
    let jumps = 0;
    for (let trial = 0; trial < 20_000; trial++) {
      const loops = new HardwareLoops();
      const pc = (random.uint32() & ~1) >>> 0;
      const wide = random.chance(0.5);
      const nextPc = (pc + (wide ? 4 : 2)) >>> 0;
      for (let l = 0; l < 2; l++) {
        loops.start[l] = random.uint32();
        loops.end[l] = random.chance(0.7) ? near(pc) : random.uint32();
        loops.count[l] = random.chance(0.8) ? random.below(3) : random.uint32();
        sim.poke(`start${l}`, loops.start[l]!);
        sim.poke(`end${l}`, loops.end[l]!);
        sim.poke(`count${l}`, loops.count[l]!);
      }
      if (!wide && [0, 1].some((l) => loops.count[l] !== 0 && loops.end[l] === nextPc)) continue;
      sim.poke('pc_plus4', (pc + 4) >>> 0);
      sim.poke('wide', Number(wide));
      const before = [loops.count[0], loops.count[1]];
      const next = loops.next(nextPc);
      const dec = Number(loops.count[0] !== before[0]) | (Number(loops.count[1] !== before[1]) << 1);
      const jump = next !== nextPc;
      jumps += Number(jump);
      expect({ dec: sim.peek('dec'), jump: sim.peek('jump') === 1, target: jump ? sim.peek('target') : next }).toEqual({ dec, jump, target: next });
    }
    expect(jumps).toBeGreaterThan(1000);
  });
});
