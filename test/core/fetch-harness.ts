// Drives CoreFetch as the core would: an OBI instruction memory (single-cycle, or with random grant
// and response delays, optionally answering some words with a bus error), and a decode stage that
// stalls at random, takes jumps from decode (pc_set the cycle after it took the jump) and branches
// from execute (two cycles after), writes the hardware-loop registers when a setup instruction
// leaves decode and decrements them by `if_hwlp_dec` when the last instruction of a body does.
//
// The reference is the ISS: the right-path program order comes from the ISS's own hardware-loop
// rule (HardwareLoops.next, sim/core/hwloop.ts) applied in program order, and the cycle in which
// each right-path instruction is first offered from the ISS's timing (CV32E40P_TIMING): the next
// instruction one cycle after the previous was taken, a jump's target `jump` cycles after the jump
// was taken, a branch's `takenBranch`, each plus `unalignedTargetPenalty` for a 32-bit target at an
// address = 2 mod 4, and a hardware-loop back edge for free.
import { expect } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { CoreFetch } from '../../hw/core/fetch.js';
import { decode, instructionLength } from '../../isa/decoder.js';
import { hex } from '../../isa/bits.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { HardwareLoops } from '../../sim/core/hwloop.js';
import { CV32E40P_TIMING } from '../../sim/core/timing.js';
import { Random } from '../../util/random.js';

/** Fails the test with `message` unless `same`; cheaper than expect() in a loop run every cycle. */
function check(same: boolean, message: () => string): void {
  if (!same) expect.fail(message());
}

/** What an instruction does to control flow in the test: fall through, or jump (decided in decode) or branch (in execute) to `target`. */
export type Flow = { readonly kind: 'next' } | { readonly kind: 'jump' | 'branch'; readonly target: number };

export interface LoopSetup {
  readonly loop: 0 | 1;
  readonly start?: number;
  readonly end?: number;
  readonly count?: number;
}

export interface Instruction {
  readonly pc: number;
  /** The low halfword, and the high one for a 32-bit instruction. */
  readonly bits: number;
  readonly length: 2 | 4;
  readonly flow: Flow;
  /** A hardware-loop instruction: the registers it sets when it leaves decode. */
  readonly setup?: LoopSetup;
}

/** A program: instructions at their addresses; the rest of memory holds deterministic filler. */
export class Program {
  readonly at = new Map<number, Instruction>();

  constructor(readonly entry: number) {}

  add(insn: Instruction): void {
    if (this.at.has(insn.pc)) throw new Error(`two instructions at ${hex(insn.pc)}`);
    this.at.set(insn.pc, insn);
  }

  halfword(addr: number): number {
    const insn = this.at.get(addr) ?? this.at.get(addr - 2);
    if (insn && insn.pc === addr) return insn.bits & 0xffff;
    if (insn && insn.length === 4) return insn.bits >>> 16;
    return Math.imul(addr ^ 0x5bd1e995, 0x27d4eb2d) >>> 16;
  }

  word(addr: number): number {
    return (this.halfword(addr) | (this.halfword(addr + 2) << 16)) >>> 0;
  }

  instruction(pc: number): Instruction {
    const insn = this.at.get(pc);
    if (!insn) throw new Error(`the right path reached ${hex(pc)}, where the program has no instruction`);
    return insn;
  }
}

/** Random instruction bits of a length: a compressed one is any halfword with bits 1:0 != 11. */
export function randomBits(random: Random, length: 2 | 4): number {
  if (length === 4) return (random.uint32() | 0b11) >>> 0;
  return random.below(0x10000 / 4) * 4 + random.below(3);
}

export interface MemoryOptions {
  /** Largest number of cycles a grant is delayed (0: granted in the request's cycle). */
  readonly grantDelay: number;
  /** Largest number of extra cycles between grant and response (0: the next cycle). */
  readonly responseDelay: number;
  /** Word addresses answered with instr_err. */
  readonly errorWords?: ReadonlySet<number>;
}

export const SINGLE_CYCLE: MemoryOptions = { grantDelay: 0, responseDelay: 0 };

/** An OBI slave answering in order; it checks the manager keeps an ungranted request stable. */
class InstructionMemory {
  private readonly queue: { addr: number; due: number }[] = [];
  private waiting: { addr: number; grantAt: number } | null = null;
  private lastDue = -1;

  constructor(
    private readonly program: Program,
    private readonly options: MemoryOptions,
    private readonly random: Random,
  ) {}

  response(cycle: number): { rvalid: number; rdata: number; err: number } {
    const head = this.queue[0];
    if (!head || head.due !== cycle) return { rvalid: 0, rdata: this.random.uint32(), err: 0 };
    this.queue.shift();
    return { rvalid: 1, rdata: this.program.word(head.addr), err: Number(this.options.errorWords?.has(head.addr) ?? false) };
  }

  grant(req: boolean, addr: number, cycle: number): boolean {
    if (this.waiting) {
      check(req && addr === this.waiting.addr, () => `cycle ${cycle}: an ungranted request for ${hex(this.waiting!.addr)} was changed or withdrawn`);
    }
    if (!req) return false;
    check(addr % 4 === 0, () => `cycle ${cycle}: instr_addr ${hex(addr)} is not word-aligned`);
    this.waiting ??= { addr, grantAt: cycle + this.random.below(this.options.grantDelay + 1) };
    if (cycle < this.waiting.grantAt) return false;
    const due = Math.max(cycle + 1 + this.random.below(this.options.responseDelay + 1), this.lastDue + 1);
    this.queue.push({ addr, due });
    this.lastDue = due;
    this.waiting = null;
    return true;
  }
}

interface InDecode {
  readonly insn: Instruction;
  readonly rightPath: boolean;
  readonly dec: number;
}

export interface RunOptions {
  readonly memory: MemoryOptions;
  /** Probability that decode is ready in a cycle. */
  readonly readyChance: number;
  /** Right-path instructions to run. */
  readonly instructions: number;
  readonly seed: number;
  /** Cycles after leaving decode before a setup instruction's register writes show (0: at once, as from decode). */
  readonly setupWriteDelay?: number;
}

export interface Offer {
  readonly pc: number;
  /** First cycle in which it was offered (cycle 0 is the first after reset). */
  readonly cycle: number;
  readonly expectedCycle: number;
  readonly dec: number;
}

export interface RunResult {
  /** Right-path instructions, in program order. */
  readonly offers: readonly Offer[];
  readonly cycles: number;
  readonly backEdges: number;
  readonly wrongPathTakes: number;
  /** Cycles an ungranted request of an abandoned stream stayed on the bus, and responses dropped (coverage). */
  readonly staleHeldCycles: number;
  readonly droppedResponses: number;
}

/** The 32-bit equivalent the fetch stage must offer at `pc`, and whether it is an illegal compressed one. */
function expectedInstruction(program: Program, pc: number): { instr: number; compressed: boolean; illegal: boolean; length: 2 | 4 } {
  const word = program.word(pc);
  const length = instructionLength(word);
  if (length === 4) return { instr: word, compressed: false, illegal: false, length };
  const decoded = decode(CV32E40P_TABLE, word, pc);
  return { instr: decoded ? decoded.expanded : word & 0xffff, compressed: true, illegal: decoded === undefined, length };
}

const unalignedWide = (program: Program, pc: number): boolean => pc % 4 === 2 && instructionLength(program.halfword(pc)) === 4;

export function runFetch(program: Program, options: RunOptions): RunResult {
  const timing = CV32E40P_TIMING;
  const sim = new RtlSimulator(elaborate(CoreFetch, {}));
  const random = new Random(options.seed);
  const memory = new InstructionMemory(program, options.memory, new Random(options.seed ^ 0x1f2e3d4c));
  const errorWords = options.memory.errorWords ?? new Set<number>();
  const exact = options.memory.grantDelay === 0 && options.memory.responseDelay === 0;

  // The ISS's view, in program order, and the registers the hardware sees (written at decode exit).
  const iss = new HardwareLoops();
  const regs = { start: new Uint32Array(2), end: new Uint32Array(2), count: new Uint32Array(2) };
  const offers: Offer[] = [];
  let expectedPc = program.entry;
  let expectedCycle = 1 + (unalignedWide(program, program.entry) ? timing.unalignedTargetPenalty : 0);
  let firstSeen: number | undefined;
  // A right-path jump or branch taken and not yet redirected: offers until then are the wrong path.
  let pendingRedirect: { cycle: number; target: number } | null = null;
  let inDecode: InDecode | null = null;
  let backEdges = 0;
  let wrongPathTakes = 0;
  let staleHeldCycles = 0;
  let droppedResponses = 0;

  const setupWrites: { cycle: number; setup: LoopSetup }[] = [];
  const leaveDecode = (cycle: number): void => {
    if (inDecode?.rightPath) {
      const setup = inDecode.insn.setup;
      if (setup) setupWrites.push({ cycle: cycle + (options.setupWriteDelay ?? 0), setup });
      for (let l = 0; l < 2; l++) if ((inDecode.dec >> l) & 1) regs.count[l] = regs.count[l]! - 1;
    }
    inDecode = null;
  };
  const writeSetups = (cycle: number): void => {
    while (setupWrites.length > 0 && setupWrites[0]!.cycle === cycle) {
      const { setup } = setupWrites.shift()!;
      if (setup.start !== undefined) regs.start[setup.loop] = setup.start;
      if (setup.end !== undefined) regs.end[setup.loop] = setup.end;
      if (setup.count !== undefined) regs.count[setup.loop] = setup.count;
    }
  };

  sim.poke('boot_addr', program.entry);
  sim.reset();
  let cycle = 0;
  const limit = options.instructions * 40 + 100;
  for (; offers.length < options.instructions; cycle++) {
    if (cycle > limit) throw new Error(`no progress: ${offers.length} of ${options.instructions} instructions in ${cycle} cycles, waiting for ${hex(expectedPc)}`);
    const response = memory.response(cycle);
    sim.poke('instr_rvalid', response.rvalid);
    sim.poke('instr_rdata', response.rdata);
    sim.poke('instr_err', response.err);
    const pcSet = pendingRedirect !== null && pendingRedirect.cycle === cycle;
    sim.poke('pc_set', Number(pcSet));
    sim.poke('pc_target', pcSet ? pendingRedirect!.target : random.uint32());
    for (let l = 0; l < 2; l++) {
      sim.poke(`hwlp_start${l}`, regs.start[l]!);
      sim.poke(`hwlp_end${l}`, regs.end[l]!);
      sim.poke(`hwlp_count${l}`, regs.count[l]!);
    }
    const ready = random.chance(options.readyChance);
    sim.poke('id_ready', Number(ready));
    // The model's timing assumes a split target's first half is kept as soon as it arrives: decode
    // always able to take (the core's own tests cover a jump held in decode meanwhile).
    sim.poke('decode_ready', 1);
    sim.poke('instr_gnt', Number(memory.grant(sim.peek('instr_req') === 1, sim.peek('instr_addr'), cycle)));

    const valid = sim.peek('if_valid') === 1;
    const pc = sim.peek('if_pc');
    const where = `cycle ${cycle}, pc ${hex(pc)}`;
    if (valid) {
      const want = expectedInstruction(program, pc);
      const got = { instr: sim.peek('if_instr'), compressed: sim.peek('if_compressed') === 1, illegal: sim.peek('if_illegal_c') === 1 };
      if (got.instr !== want.instr || got.compressed !== want.compressed || got.illegal !== want.illegal) {
        expect(got, where).toEqual({ instr: want.instr, compressed: want.compressed, illegal: want.illegal });
      }
      const err = errorWords.has(pc & ~3) || (want.length === 4 && errorWords.has((pc + 2) & ~3));
      check(sim.peek('if_fetch_err') === Number(err), () => `${where}: if_fetch_err should be ${Number(err)}`);
    }
    const onRightPath = pendingRedirect === null;
    if (valid && onRightPath && !pcSet) {
      check(pc === expectedPc, () => `cycle ${cycle}: ${hex(pc)} offered instead of the right path's next instruction ${hex(expectedPc)}`);
      firstSeen ??= cycle;
    }
    const take = valid && ready && !pcSet;
    staleHeldCycles += sim.peek('u_prefetch.stale_presented');
    droppedResponses += Number(response.rvalid === 1 && (pcSet || sim.peek('u_prefetch.dropping') === 1));

    if (pcSet) {
      // A jump leaves decode to execute; a branch already has, and decode holds the wrong path.
      leaveDecode(cycle);
      pendingRedirect = null;
    } else if (take && onRightPath) {
      const insn = program.instruction(pc);
      const dec = sim.peek('if_hwlp_dec');
      const before = [iss.count[0]!, iss.count[1]!];
      let next: number;
      if (insn.setup) {
        const s = insn.setup;
        if (s.start !== undefined) iss.start[s.loop] = s.start;
        if (s.end !== undefined) iss.end[s.loop] = s.end;
        if (s.count !== undefined) iss.count[s.loop] = s.count;
      }
      if (insn.flow.kind === 'next') {
        const sequential = pc + insn.length;
        next = iss.next(sequential);
        if (next !== sequential) backEdges++;
      } else {
        next = insn.flow.target;
      }
      // Which counters HardwareLoops.next decremented (a setup's own writes aside).
      const decremented = [0, 1].reduce((bits, l) => bits | (insn.setup?.loop !== l && iss.count[l] !== before[l] ? 1 << l : 0), 0);
      check(dec === decremented, () => `${where}: if_hwlp_dec ${dec}, HardwareLoops.next decremented ${decremented}`);
      offers.push({ pc, cycle: firstSeen!, expectedCycle, dec });
      firstSeen = undefined;
      leaveDecode(cycle);
      inDecode = { insn, rightPath: true, dec };
      expectedPc = next;
      if (insn.flow.kind === 'next') {
        expectedCycle = cycle + 1;
      } else {
        const cost = insn.flow.kind === 'jump' ? timing.jump : timing.takenBranch;
        // Decode redirects in the jump's second cycle in decode, execute in the branch's second after it.
        pendingRedirect = { cycle: cycle + cost - 1, target: next };
        expectedCycle = cycle + cost + (unalignedWide(program, next) ? timing.unalignedTargetPenalty : 0);
      }
    } else if (take) {
      wrongPathTakes++;
      leaveDecode(cycle);
      inDecode = { insn: program.at.get(pc) ?? { pc, bits: 0, length: 2, flow: { kind: 'next' } }, rightPath: false, dec: 0 };
    }
    writeSetups(cycle);
    sim.step();
  }
  if (exact) {
    const late = offers.filter((o) => o.cycle !== o.expectedCycle).slice(0, 5);
    expect(late.map((o) => `${hex(o.pc)} offered in cycle ${o.cycle}, expected ${o.expectedCycle}`)).toEqual([]);
  }
  return { offers, cycles: cycle, backEdges, wrongPathTakes, staleHeldCycles, droppedResponses };
}
