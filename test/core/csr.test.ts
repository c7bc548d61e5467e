// The core's CSR unit (hw/core/csr.ts) against the ISS's own CSR file (sim/core/csr-file.ts): the
// same seeded sequence of Zicsr instructions (real words, encoded and decoded with the ISA table,
// executed by the Zicsr rows on a hart whose CSRs are the ISS's CsrFile) on every CSR the ISS
// knows and on unknown ones, with retirements, performance events, mcountinhibit and counter
// writes; every cycle the read value and the illegal flag are compared, and the verdicts taken
// before the access (CsrFile.rejects, the unit's id_csr_illegal) with the access's own. Trap entry and mret, which
// the ISS does not model, are checked against the privileged spec's rules.
import { describe, expect, it } from 'vitest';
import { CoreCsr, HPM_EVENT_INPUT_BASE } from '../../hw/core/csr.js';
import { HPM_EVENT, MTVEC_RESET } from '../../isa/csr-values.js';
import { CSR_OP, csrControl } from '../../hw/core/csr-ops.js';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { CSR } from '../../isa/csr-names.js';
import { IDLE_COUNTER_CSRS, IDLE_COUNTER_MIRRORS } from '../../isa/csr-values.js';
import type { DecodedInstruction } from '../../isa/definition.js';
import { decode } from '../../isa/decoder.js';
import { encodeInstruction } from '../../isa/encoder.js';
import { Fault } from '../../isa/fault.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { writesCsr, ZICSR } from '../../isa/tables/zicsr.js';
import type { CsrAddr, HwLoopRegs, Word } from '../../isa/types.js';
import { CsrFile } from '../../sim/core/csr-file.js';
import { PerformanceEvents } from '../../sim/core/performance-events.js';
import { CoreStats } from '../../sim/core/timing.js';
import { Random } from '../../util/random.js';
import { RecordingHart } from '../isa/recording-hart.js';

/** A hart whose CSR accesses go to the ISS's CSR file. */
class CsrFileHart extends RecordingHart {
  constructor(pc: number, registers: Int32Array, private readonly file: CsrFile) {
    super(pc, 4, registers, { start: new Uint32Array(2), end: new Uint32Array(2), count: new Uint32Array(2) }, () => 0);
  }

  override csrRead(csr: CsrAddr): Word {
    return this.file.read(csr);
  }

  override csrWrite(csr: CsrAddr, value: Word): void {
    this.file.write(csr, value);
  }
}

const KNOWN_CSRS: readonly number[] = Object.values(CSR);
const IDLE_COUNTERS: readonly number[] = [...IDLE_COUNTER_CSRS, ...IDLE_COUNTER_MIRRORS].flatMap(([first, last]) => [first, last, (first + last) >>> 1]);
/**
 * Neighbours of existing CSRs that do not exist (time, gaps, one past a range), and 0x7c0..0x7c3,
 * where Xnmsparse revision 2 had its accumulators before they became x28..x31.
 */
const UNKNOWN_NEIGHBOURS: readonly number[] = [0xc01, 0xc81, 0xc20, 0xca0, 0xb01, 0xb81, 0x321, 0x322, 0xb20, 0x302, 0x7c0, 0x7c1, 0x7c2, 0x7c3, 0x7c4, 0x7bf, 0xcc3, 0xcc7, 0xcd2, 0xf15, 0x345];
/**
 * The events the ISS counts per instruction that come in on `hpm_events` (the fetch miss never
 * fires there, bits 11 to 15 have no event), as bit positions of mhpmevent3.
 */
const DRIVEN_EVENTS = [
  HPM_EVENT.loadStall, HPM_EVENT.jumpRegisterStall, HPM_EVENT.load, HPM_EVENT.store, HPM_EVENT.jump, HPM_EVENT.branch,
  HPM_EVENT.branchTaken, HPM_EVENT.compressed,
];

function randomCsr(random: Random): number {
  const r = random.below(10);
  if (r < 6) return random.pick(KNOWN_CSRS);
  if (r < 7) return random.pick(IDLE_COUNTERS);
  if (r < 8) return random.pick(UNKNOWN_NEIGHBOURS);
  return random.below(4096);
}

interface Access {
  readonly insn: DecodedInstruction;
  readonly registers: Int32Array;
  /** The unit's inputs for it, as the pipeline gives them. */
  readonly op: number;
  readonly wdata: number;
}

/** A random Zicsr instruction on `csr`, decoded from its word, with the register values it sees. */
function randomAccess(random: Random, csr: number): Access {
  const def = random.pick(ZICSR);
  const operand = (): number => random.uint32() | 0;
  const rs1 = random.chance(0.25) ? 0 : 1 + random.below(31);
  const word = encodeInstruction(def, { rd: random.below(32), rs1, imm: csr, imm2: random.chance(0.25) ? 0 : random.below(32) });
  const insn = decode(CV32E40P_TABLE, word, 0x1000)!;
  expect(insn.def).toBe(def);
  const registers = new Int32Array(32);
  for (let r = 1; r < 32; r++) registers[r] = operand();
  const control = csrControl(def)!;
  // The pipeline's rule: a set or clear whose rs1 field (zimm for the immediate forms) is 0 only reads.
  const sourceField = (word >>> 15) & 31;
  const op = control !== CSR_OP.write && sourceField === 0 ? CSR_OP.read : control;
  const wdata = def.format.reads.includes('rs1') ? registers[insn.rs1]! : insn.imm2;
  return { insn, registers, op, wdata };
}

/** Runs the row on the ISS's CSR file: true when it raised an illegal-instruction fault. */
function issExecute(file: CsrFile, access: Access): boolean {
  try {
    access.insn.execute(new CsrFileHart(access.insn.pc, access.registers, file), access.insn);
    return false;
  } catch (e) {
    if (e instanceof Fault && e.kind === 'illegal-instruction') return true;
    throw e;
  }
}

/** The ISS's read of `csr`, or undefined when reading it is illegal. */
function issRead(file: CsrFile, csr: number): number | undefined {
  try {
    return file.read(csr) >>> 0;
  } catch (e) {
    if (e instanceof Fault) return undefined;
    throw e;
  }
}

const LOOP_INPUTS = [['start', 'hwlp_start'], ['end', 'hwlp_end'], ['count', 'hwlp_count']] as const;

function pokeLoops(sim: RtlSimulator, loops: HwLoopRegs): void {
  for (const [key, port] of LOOP_INPUTS) for (let l = 0; l < 2; l++) sim.poke(`${port}${l}`, loops[key][l]!);
}

function runAgainstIss(seed: number, cycles: number) {
  const sim = new RtlSimulator(elaborate(CoreCsr, {}));
  const random = new Random(seed);
  const hartId = random.uint32();
  const stats = new CoreStats();
  const loops: HwLoopRegs = { start: new Uint32Array(2), end: new Uint32Array(2), count: new Uint32Array(2) };
  const events = new PerformanceEvents();
  const file = new CsrFile(hartId, stats, loops, events);
  const seen = { accesses: 0, illegal: 0, writes: 0, csrs: new Set<number>() };

  sim.reset();
  sim.poke('hart_id', hartId);
  for (let cycle = 0; cycle < cycles; cycle++) {
    stats.cycles = cycle;
    if (random.chance(0.05)) for (const [key] of LOOP_INPUTS) random.fill(loops[key]);
    pokeLoops(sim, loops);
    const csr = randomCsr(random);
    const access = randomAccess(random, csr);
    const valid = random.chance(0.6);
    // In the cycle of a CSR access, the events registered are the CSR instruction's own leaving
    // decode: it retires. Otherwise any.
    const retire = valid || random.chance(0.6);
    const active = valid ? 0 : DRIVEN_EVENTS.filter(() => random.chance(0.2)).reduce((bits, event) => bits | (1 << event), 0);
    sim.poke('retire', Number(retire));
    sim.poke('hpm_events', active >>> HPM_EVENT_INPUT_BASE);
    sim.poke('csr_access', Number(valid));
    sim.poke('csr_op', access.op);
    sim.poke('csr_addr', csr);
    sim.poke('csr_wdata', access.wdata >>> 0);

    // Read value and legality are combinational: checked whether or not the access happens.
    const expectedRead = issRead(file, csr);
    const where = `cycle ${cycle}, ${access.insn.def.mnemonic} on ${csr.toString(16)}`;
    if (expectedRead !== undefined) expect(sim.peek('csr_rdata'), where).toBe(expectedRead);
    if (valid) {
      // The decode-stage verdicts, taken before the access: the ISS's (an interrupt may not replace
      // a rejected access in the loop state) and the core's on the same access in decode.
      const rejected = file.rejects(csr, writesCsr(access.insn.expanded));
      sim.poke('id_csr_op', access.op);
      sim.poke('id_csr_addr', csr);
      const illegal = issExecute(file, access);
      expect(sim.peek('csr_illegal'), where).toBe(Number(illegal));
      expect(rejected, where).toBe(illegal);
      expect(sim.peek('id_csr_illegal'), where).toBe(Number(illegal));
      seen.accesses++;
      seen.csrs.add(csr);
      if (illegal) seen.illegal++;
      else if (access.op !== CSR_OP.read) seen.writes++;
    }
    sim.step();
    if (retire) stats.instret++;
    if (((active | (Number(retire) << HPM_EVENT.instret)) & events.perInstruction) !== 0) events.count++;
  }
  return seen;
}

describe('CoreCsr against the ISS CSR file', () => {
  it('csrControl gives an op for the Zicsr rows only', () => {
    expect(ZICSR.map(csrControl)).toEqual([CSR_OP.write, CSR_OP.set, CSR_OP.clear, CSR_OP.write, CSR_OP.set, CSR_OP.clear]);
    for (const def of CV32E40P_TABLE.instructions) if (def.extension !== 'Zicsr') expect(csrControl(def), def.mnemonic).toBeUndefined();
  });

  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: every Zicsr form on known and unknown CSRs`, () => {
      const seen = runAgainstIss(seed, 4000);
      for (const csr of KNOWN_CSRS) expect(seen.csrs.has(csr), `CSR ${csr.toString(16)} accessed`).toBe(true);
      expect(seen.illegal).toBeGreaterThan(seen.accesses / 10);
      expect(seen.writes).toBeGreaterThan(seen.accesses / 5);
    });
  }
});

/** Drives one CSR access for one cycle and returns its old value. */
function access(sim: RtlSimulator, op: number, csr: number, wdata = 0): number {
  sim.poke('csr_access', 1);
  sim.poke('csr_op', op);
  sim.poke('csr_addr', csr);
  sim.poke('csr_wdata', wdata >>> 0);
  expect(sim.peek('csr_illegal')).toBe(0);
  const old = sim.peek('csr_rdata');
  sim.step();
  sim.poke('csr_access', 0);
  return old;
}

const read = (sim: RtlSimulator, csr: number): number => {
  sim.poke('csr_addr', csr);
  return sim.peek('csr_rdata');
};

function freshUnit(): RtlSimulator {
  const sim = new RtlSimulator(elaborate(CoreCsr, {}));
  sim.reset();
  for (const port of ['csr_access', 'retire', 'hpm_events', 'trap', 'mret']) sim.poke(port, 0);
  return sim;
}

describe('CoreCsr counters', () => {
  it('mcycle counts every cycle from 0 after reset, minstret the retirements, each until inhibited', () => {
    const sim = freshUnit();
    sim.step(10);
    expect(read(sim, CSR.mcycle)).toBe(10);
    sim.poke('retire', 1);
    sim.step(3);
    expect([read(sim, CSR.cycle), read(sim, CSR.minstret), read(sim, CSR.instret)]).toEqual([13, 3, 3]);
    // mcountinhibit acts from the cycle after its write: mcycle counts the write's cycle, then stops
    // (bits 0 and 3 kept: mcycle and mhpmcounter3); minstret goes on.
    access(sim, CSR_OP.write, CSR.mcountinhibit, 0xffffffff & ~4);
    sim.step(5);
    expect([read(sim, CSR.mcountinhibit), read(sim, CSR.mcycle), read(sim, CSR.minstret)]).toEqual([9, 14, 9]);
    // And the other way round: minstret counts the write's own retirement, mcycle not its cycle.
    access(sim, CSR_OP.write, CSR.mcountinhibit, 4);
    sim.step(2);
    expect([read(sim, CSR.mcycle), read(sim, CSR.minstret)]).toEqual([16, 10]);
  });

  it('a write of either half replaces the increment of its cycle and carries into the high half later', () => {
    const sim = freshUnit();
    access(sim, CSR_OP.write, CSR.mcycle, 0xfffffffe);
    expect([read(sim, CSR.mcycle), read(sim, CSR.mcycleh)]).toEqual([0xfffffffe, 0]);
    sim.step(2);
    expect([read(sim, CSR.mcycle), read(sim, CSR.cycleh)]).toEqual([0, 1]);
    access(sim, CSR_OP.write, CSR.mcycleh, 0xffffffff);
    expect([read(sim, CSR.mcycle), read(sim, CSR.mcycleh)]).toEqual([0, 0xffffffff]);
    sim.step();
    expect([read(sim, CSR.mcycle), read(sim, CSR.mcycleh)]).toEqual([1, 0xffffffff]);
  });

  it('mhpmcounter3 counts the cycles with a selected event active, from the cycle after mhpmevent3 is written', () => {
    const sim = freshUnit();
    const events = (...bits: number[]): number => bits.reduce((all, b) => all | (1 << (b - HPM_EVENT_INPUT_BASE)), 0);
    sim.poke('hpm_events', events(HPM_EVENT.load, HPM_EVENT.store));
    sim.step(3);
    expect(read(sim, CSR.mhpmcounter3)).toBe(0); // nothing selected
    access(sim, CSR_OP.write, CSR.mhpmevent3, 0xffff0000 | (1 << HPM_EVENT.store) | (1 << HPM_EVENT.branch));
    expect(read(sim, CSR.mhpmevent3)).toBe((1 << HPM_EVENT.store) | (1 << HPM_EVENT.branch));
    sim.step(4); // from the cycle after the write: 4 stores
    // Two events in one cycle count once.
    sim.poke('hpm_events', events(HPM_EVENT.branch, HPM_EVENT.store));
    sim.step(2);
    sim.poke('hpm_events', events(HPM_EVENT.load));
    sim.step(3);
    expect([read(sim, CSR.mhpmcounter3), read(sim, CSR.hpmcounter3)]).toEqual([6, 6]);
    access(sim, CSR_OP.write, CSR.mcountinhibit, 1 << 3);
    sim.poke('hpm_events', events(HPM_EVENT.store));
    sim.step(3);
    expect(read(sim, CSR.mhpmcounter3)).toBe(6);
    // Still inhibited in the cycle of the releasing write.
    access(sim, CSR_OP.write, CSR.mcountinhibit, 0);
    sim.step(3);
    expect(read(sim, CSR.mhpmcounter3)).toBe(9);
    // The retirement (bit 1, from `retire`) and the cycle (bit 0); the old selection holds in the
    // cycle of each write.
    access(sim, CSR_OP.write, CSR.mhpmevent3, 1 << HPM_EVENT.instret);
    sim.poke('retire', 1);
    sim.step(2);
    expect(read(sim, CSR.mhpmcounter3)).toBe(10 + 2);
    access(sim, CSR_OP.write, CSR.mhpmevent3, 1 << HPM_EVENT.cycle);
    sim.poke('retire', 0);
    sim.step(5);
    expect(read(sim, CSR.mhpmcounter3)).toBe(13 + 5);
  });
});

describe('CoreCsr trap entry and mret (privileged spec, machine mode)', () => {
  it('a trap saves MIE in MPIE, clears MIE, and writes mepc, mcause and mtval; mret restores MIE', () => {
    const random = new Random(7);
    const sim = freshUnit();
    let mie = 0;
    let mpie = 0;
    let mepc = 0;
    let mcause = 0;
    let mtval = 0;
    for (let step = 0; step < 400; step++) {
      const what = random.below(4);
      if (what === 0) {
        const value = random.uint32();
        access(sim, CSR_OP.write, CSR.mstatus, value);
        mie = (value >>> 3) & 1;
        mpie = (value >>> 7) & 1;
      } else if (what === 1) {
        const [pc, cause, tval] = [random.uint32(), random.below(32), random.uint32()];
        sim.poke('trap', 1);
        sim.poke('trap_pc', pc);
        sim.poke('trap_cause', cause);
        sim.poke('trap_tval', tval);
        sim.step();
        sim.poke('trap', 0);
        [mpie, mie, mepc, mcause, mtval] = [mie, 0, (pc & ~1) >>> 0, cause, tval];
      } else if (what === 2) {
        sim.poke('mret', 1);
        sim.step();
        sim.poke('mret', 0);
        [mie, mpie] = [mpie, 1];
      } else {
        sim.step();
      }
      expect(read(sim, CSR.mstatus)).toBe(0x1800 | (mpie << 7) | (mie << 3));
      expect([read(sim, CSR.mepc), sim.peek('mepc'), read(sim, CSR.mcause), read(sim, CSR.mtval)]).toEqual([mepc, mepc, mcause, mtval]);
    }
  });

  it('mtvec keeps a 256-byte aligned base and the mode bit, and gives the base as the exception target', () => {
    const sim = freshUnit();
    expect(read(sim, CSR.mtvec)).toBe(MTVEC_RESET);
    access(sim, CSR_OP.write, CSR.mtvec, 0x1234_5677);
    expect([read(sim, CSR.mtvec), sim.peek('mtvec')]).toEqual([0x1234_5601, 0x1234_5600]);
  });
});
