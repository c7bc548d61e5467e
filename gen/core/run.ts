// Running an ELF program on the project's own core (hw/core/) in the HDL's simulator, with the
// conventions of the ISS and of the CV32E40P harness (gen/cv32e40p/run.ts): the program's segments
// in a memory behind both OBI ports (grant in the request's cycle, rvalid and data in the next; the
// data port's grants delayed like the ISS's, isa/platform/grant-delay.ts), sp preset as the ISS
// presets it, and the run ending at a non-zero store to `tohost` (1: exit 0, v: exit v >> 1), at
// `ecall` with a7 = 93 (exit a0), at ebreak, at an illegal instruction, or at the cycle limit.
// The result has the CV32E40P harness's shape, so the ISS comparison (divergence.ts) serves both.
import { hex } from '../../isa/bits.js';
import { readElf } from '../../isa/elf/reader.js';
import { type GrantDelay, grantDelays } from '../../isa/platform/grant-delay.js';
import { initialStackPointer, singleCoreMemoryMap } from '../../isa/platform/memory-map.js';
import { Core } from '../../hw/core/core.js';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import type { RtlRegisterWrite, RtlRetirement, RtlRunResult, RtlStop } from '../cv32e40p/run.js';
import { SparseMemory } from './sparse-memory.js';
import { CSR_OP } from '../../hw/core/csr-ops.js';

export interface CoreRunOptions {
  /** The core with Xnmsparse revision 2. */
  readonly extension: boolean;
  /** Cycle limit, 0 for none. */
  readonly maxCycles: number;
  readonly grantDelay?: GrantDelay;
  /** Record every instruction leaving decode and every register write. */
  readonly trace?: boolean;
  /** Bytes placed in memory before the run, besides the program. */
  readonly inputs?: readonly { readonly address: number; readonly bytes: Uint8Array }[];
  /**
   * Traps (docs/iss.md#traps): `stop` ends the run at the first, `take` lets the core jump to
   * mtvec, `auto` (the default) takes them once the program has written mtvec.
   */
  readonly traps?: 'stop' | 'take' | 'auto';
}

/** How a run stopped by a trap ends, by its cause. */
function trapStop(cause: number, pc: number, word: number): RtlStop {
  if (cause === 3) return { kind: 'ebreak', pc };
  return { kind: 'illegal-instruction', pc, word };
}

/** The register file inside the core, as the simulator names it. */
const REGISTER_FILE = 'u_rf.regs';
const ECALL = 0x00000073;
const ECALL_CAUSE = 11;
const MTVEC = 0x305;
/** More instructions than can be between decode and a trap found in WB. */
const MAX_IN_FLIGHT = 4;
/** Cycles after an ecall leaves decode until every older instruction has written back (EX, WB). */
const DRAIN_CYCLES = 3;

/**
 * Cycles the core spends before its first instruction leaves decode that the ISS does not model:
 * the ISS's first instruction ends in its cycle 1, the core's leaves decode in cycle 3 after reset
 * (fetch request and grant, instruction data into the decode register). Every cycle count of the
 * core is the ISS's plus this constant.
 */
export const CORE_STARTUP_CYCLES = 2;
/**
 * mcycle as the harness presets it after reset so that a program reads the ISS's values: the core
 * reads its CSRs in EX, one cycle after decode, and counts every cycle from reset.
 */
const MCYCLE_PRESET = -(CORE_STARTUP_CYCLES + 1);

const simulators = new Map<boolean, RtlSimulator>();

/** One compiled simulator per configuration, reset before each run. */
function simulatorFor(extension: boolean): RtlSimulator {
  let sim = simulators.get(extension);
  if (!sim) {
    sim = new RtlSimulator(elaborate(Core, { extension: extension ? 1 : 0 }));
    simulators.set(extension, sim);
  }
  for (let r = 0; r < 32; r++) sim.pokeMemory(REGISTER_FILE, r, 0);
  return sim;
}

export function runOnCore(elf: Uint8Array, options: CoreRunOptions): RtlRunResult {
  const image = readElf(elf);
  const memory = new SparseMemory();
  for (const segment of image.segments) memory.write(segment.address, segment.data);
  for (const input of options.inputs ?? []) memory.write(input.address, input.bytes);
  const tohost = image.symbols.get('tohost');
  const sim = simulatorFor(options.extension);
  sim.poke('boot_addr', image.entry >>> 0);
  sim.poke('hart_id', 0);
  for (const port of ['instr_gnt', 'instr_rvalid', 'instr_err', 'data_gnt', 'data_rvalid', 'data_err']) sim.poke(port, 0);
  sim.reset();
  sim.pokeMemory(REGISTER_FILE, 2, initialStackPointer(singleCoreMemoryMap(image.entry), image.entry));
  sim.deposit('u_csr.mcycle_q', MCYCLE_PRESET >>> 0);
  sim.deposit('u_csr.mcycleh_q', MCYCLE_PRESET < 0 ? 0xffffffff : 0);

  const nextDelay = grantDelays(options.grantDelay ?? { kind: 'fixed', cycles: 0 });
  const retired: RtlRetirement[] = [];
  const registerWrites: RtlRegisterWrite[] = [];
  let instrResponse: number | undefined;
  let dataResponse: number | undefined;
  let dataWaited = -1;
  let dataDelay = 0;
  let stop: RtlStop | undefined;
  let endCycle = 0;
  let ecallAt = -1;
  let instret = 0;
  let handlerInstalled = false;
  const policy = options.traps ?? 'auto';
  const takesTraps = (): boolean => policy === 'take' || (policy === 'auto' && handlerInstalled);
  const readRegister = (r: number): number => Number(sim.peekMemory(REGISTER_FILE, r)) | 0;
  // Instructions that left decode recently: a trap in EX or WB may still cancel them.
  const leaves: { cycle: number; pc: number; word: number }[] = [];
  const commit = (leave: { cycle: number; pc: number }): void => {
    instret++;
    if (options.trace) retired.push({ cycle: leave.cycle, pc: leave.pc });
  };

  for (let cycle = 1; stop === undefined; cycle++) {
    if (options.maxCycles !== 0 && cycle > options.maxCycles) {
      stop = { kind: 'cycle-limit' };
      endCycle = options.maxCycles;
      break;
    }
    // Responses to the previous cycle's granted requests.
    sim.poke('instr_rvalid', Number(instrResponse !== undefined));
    sim.poke('instr_rdata', instrResponse ?? 0);
    sim.poke('data_rvalid', Number(dataResponse !== undefined));
    sim.poke('data_rdata', dataResponse ?? 0);
    instrResponse = undefined;
    dataResponse = undefined;

    const instrReq = sim.peek('instr_req');
    sim.poke('instr_gnt', instrReq);
    if (instrReq) instrResponse = memory.readWord(sim.peek('instr_addr') & ~3);

    let dataGrant = 0;
    if (sim.peek('data_req')) {
      if (dataWaited < 0) {
        dataDelay = nextDelay();
        dataWaited = 0;
      }
      dataGrant = Number(dataWaited === dataDelay);
      dataWaited++;
    }
    sim.poke('data_gnt', dataGrant);
    if (dataGrant) {
      dataWaited = -1;
      const address = sim.peek('data_addr') & ~3;
      if (sim.peek('data_we')) {
        const value = sim.peek('data_wdata');
        memory.writeWord(address, value, sim.peek('data_be'));
        if (tohost !== undefined && address === (tohost & ~3) && value !== 0) {
          stop = { kind: 'exit', code: value === 1 ? 0 : value >>> 1 };
          endCycle = cycle - 1;
        }
        dataResponse = 0;
      } else {
        dataResponse = memory.readWord(address);
      }
    }

    if (sim.peek('u_csr.csr_access') && sim.peek('u_csr.csr_addr') === MTVEC && sim.peek('u_csr.csr_op') !== CSR_OP.read) handlerInstalled = true;
    // An instruction leaving decode in the cycle the tohost store is granted comes after the store.
    if (stop === undefined && sim.peek('trace_leave')) {
      const pc = sim.peek('trace_pc');
      const word = sim.peek('trace_instr');
      leaves.push({ cycle, pc, word });
      if (word === ECALL) ecallAt = cycle;
    }
    if (sim.peek('trace_trap')) {
      // The trapping instruction and anything younger that left decode do not retire.
      const pc = sim.peek('trace_trap_pc');
      const cause = sim.peek('trace_trap_cause');
      const at = leaves.map((l) => l.pc).lastIndexOf(pc);
      const trapping = leaves[at];
      // An ecall is settled when the pipeline has drained: exit and write are the environment's.
      if (cause !== ECALL_CAUSE) {
        leaves.splice(at < 0 ? leaves.length : at);
        if (!takesTraps()) {
          stop = trapStop(cause, pc, trapping?.word ?? 0);
          endCycle = trapping?.cycle ?? cycle;
        }
      }
    }
    if (options.trace) {
      for (const port of ['ex', 'wb'] as const) {
        if (sim.peek(`trace_${port}_we`) && sim.peek(`trace_${port}_waddr`) !== 0) {
          registerWrites.push({ cycle, reg: sim.peek(`trace_${port}_waddr`), value: sim.peek(`trace_${port}_wdata`) | 0 });
        }
      }
    }
    sim.step();
    if (ecallAt > 0 && cycle === ecallAt + DRAIN_CYCLES) {
      const a7 = readRegister(17);
      const pc = leaves.length > 0 ? leaves[leaves.length - 1]!.pc : 0;
      if (a7 === 93) stop = { kind: 'exit', code: readRegister(10) };
      else if (!takesTraps()) stop = { kind: 'unsupported-ecall', pc, a7 };
      else leaves.splice(leaves.map((l) => l.word).lastIndexOf(ECALL));
      if (stop) endCycle = ecallAt;
      ecallAt = -1;
    }
    // Retirements older than a trap can reach are final.
    while (leaves.length > MAX_IN_FLIGHT) commit(leaves.shift()!);
  }
  for (const leave of leaves) commit(leave);
  const regs = Array.from({ length: 32 }, (_, r) => (r === 0 ? 0 : readRegister(r)));
  return { stop: stop!, cycles: endCycle, instret, regs, output: '', retired, registerWrites };
}

/** A stop as one line, for messages. */
export function coreStopText(stop: RtlStop): string {
  return 'pc' in stop ? `${stop.kind} at ${hex(stop.pc)}` : stop.kind;
}
