// Running an ELF program on the project's own core (hw/core/) in the HDL's simulator, with the
// conventions of the ISS and of the CV32E40P harness (gen/cv32e40p/run.ts): the program's segments
// in a memory behind both OBI ports (grant in the request's cycle, rvalid and data in the next; the
// data port's grants delayed like the ISS's, isa/platform/grant-delay.ts), sp preset as the ISS
// presets it, and the run ending at a non-zero store to `tohost` (1: exit 0, v: exit v >> 1), at
// `ecall` with a7 = 93 (exit a0), or at the cycle limit. Traps follow the ISS's policy (`traps`):
// stopped at (ebreak, an illegal instruction), or taken into the program's handler, the trapping
// instruction and any younger one that left decode then not retiring. An ecall write (a7 = 64,
// fd 1 or 2) is serviced as gen/rtl-harness/environment-call.ts describes, when the program has no
// handler of its own. The platform's CLINT (isa/platform/clint.ts) answers data accesses in its
// window and drives the interrupt lines; the run ends with stop 'wfi' when the core sleeps and no
// line mie enables can rise any more. Both ports answer only the ISS's memory map for the program
// (gen/rtl-harness/bus-map.ts): elsewhere an error response, on which the core raises an access
// fault, and no write. The result has the CV32E40P harness's shape, so the ISS comparison
// (divergence.ts) serves both; gen/core/verilator.ts runs the same testbench on the core's Verilog.
import { hex } from '../../isa/bits.js';
import { SUM_COUNT, SUM_FIRST_REGISTER } from '../../isa/xnmsparse/mac.js';
import { readElf } from '../../isa/elf/reader.js';
import { type GrantDelay, grantDelays } from '../../isa/platform/grant-delay.js';
import { CLINT_BASE, inClint, initialStackPointer, singleCoreMemoryMap } from '../../isa/platform/memory-map.js';
import { Clint } from '../../isa/platform/clint.js';
import { IRQ_MASK } from '../../isa/csr-values.js';
import type { AccessSize } from '../../isa/types.js';
import { Core } from '../../hw/core/core.js';
import { elaborate } from '../../hw/hdl/index.js';
import { RtlSimulator } from '../../hw/hdl/rtl-sim/index.js';
import { imageSegments } from '../rtl-harness/driver-protocol.js';
import { busMap, storeWrites, windowIndex } from '../rtl-harness/bus-map.js';
import { ECALL_HANDLER_END, environmentCall } from '../rtl-harness/environment-call.js';
import { isAccessFault, type RtlInput, type RtlRegisterWrite, type RtlRetirement, type RtlRunResult, type RtlStop } from '../rtl-harness/run-result.js';
import { CORE_STARTUP_CYCLES, DRAIN_CYCLES, ECALL, MAX_IN_FLIGHT, MCYCLE_PRESET } from './conventions.js';
import { SparseMemory } from './sparse-memory.js';
import { CSR_OP } from '../../hw/core/csr-ops.js';
import { TRAP_CAUSE, type TrapPolicy } from '../../isa/fault.js';
import { CSR } from '../../isa/csr-names.js';
import { redirectAfter, REDIRECT_SHIFT, STALL_SIGNALS, type StallRow, stallRows } from './stall-stats.js';

export { CORE_STARTUP_CYCLES } from './conventions.js';

export interface CoreRunOptions {
  /** The core with Xnmsparse revision 2. */
  readonly extension: boolean;
  /** Cycle limit, 0 for none. */
  readonly maxCycles: number;
  readonly grantDelay?: GrantDelay;
  /** Record every instruction leaving decode and every register write. */
  readonly trace?: boolean;
  /** Bytes placed in memory before the run, besides the program. */
  readonly inputs?: readonly RtlInput[];
  /**
   * Traps (docs/iss.md#traps): `stop` ends the run at the first, `take` lets the core jump to
   * mtvec, `auto` (the default) takes them once the program has written mtvec.
   */
  readonly traps?: TrapPolicy;
}

/** How a run stopped by a trap ends, by its cause. */
function trapStop(cause: number, pc: number, word: number): RtlStop {
  if (cause === TRAP_CAUSE.breakpoint) return { kind: 'ebreak', pc };
  if (isAccessFault(cause)) return { kind: 'access-fault', pc, cause };
  return { kind: 'illegal-instruction', pc, word };
}

export interface CoreRunResult extends RtlRunResult {
  /** The cycles from the first instruction on that no instruction left decode, by cause (gen/core/stall-stats.ts). */
  readonly stalls: Readonly<Record<StallRow, number>>;
}

/** The register file inside the core, as the simulator names it. */
const REGISTER_FILE = 'u_rf.regs';

const simulators = new Map<boolean, RtlSimulator>();

/**
 * One compiled simulator per configuration, every register and memory word set to zero before each
 * run, so that a run starts as a fresh simulator (and the Verilator model) does, whatever ran before:
 * registers without a reset value keep their contents across the reset.
 */
function simulatorFor(extension: boolean): RtlSimulator {
  let sim = simulators.get(extension);
  if (!sim) {
    sim = new RtlSimulator(elaborate(Core, { extension: extension ? 1 : 0 }));
    simulators.set(extension, sim);
  }
  const { regs, memories } = sim.design.flat;
  for (const { reg } of regs) sim.deposit(reg.path, 0);
  for (const memory of memories) for (let i = 0; i < memory.depth; i++) sim.pokeMemory(memory.path, i, 0);
  return sim;
}

/**
 * The signals the testbench drives or reads every cycle, their names looked up once (a lookup per
 * access was a tenth of the run's time).
 */
function probes(sim: RtlSimulator) {
  const read = (name: string): (() => number) => sim.reader(name);
  const write = (name: string): ((value: number) => void) => sim.writer(name);
  return {
    instrRvalid: write('instr_rvalid'),
    instrErr: write('instr_err'),
    instrRdata: write('instr_rdata'),
    instrGnt: write('instr_gnt'),
    instrReq: read('instr_req'),
    instrAddr: read('instr_addr'),
    dataRvalid: write('data_rvalid'),
    dataErr: write('data_err'),
    dataRdata: write('data_rdata'),
    dataGnt: write('data_gnt'),
    dataReq: read('data_req'),
    dataAddr: read('data_addr'),
    dataWe: read('data_we'),
    dataWdata: read('data_wdata'),
    dataBe: read('data_be'),
    // The data request is the first half of a split access (hw/core/lsu.ts).
    splitFirst: read('u_lsu.ex_split_first'),
    leave: read('trace_leave'),
    pc: read('trace_pc'),
    instr: read('trace_instr'),
    trap: read('trace_trap'),
    trapPc: read('trace_trap_pc'),
    trapCause: read('trace_trap_cause'),
    interrupt: read('trace_irq'),
    sleeping: read('trace_sleeping'),
    irqLines: write('irq_i'),
    csrAccess: read('u_csr.csr_access'),
    csrAddr: read('u_csr.csr_addr'),
    csrOp: read('u_csr.csr_op'),
    writePorts: (['ex', 'wb'] as const).map((port) => ({ we: read(`trace_${port}_we`), waddr: read(`trace_${port}_waddr`), wdata: read(`trace_${port}_wdata`) })),
    sumsWritten: read('trace_sum_we'),
    stallSignals: STALL_SIGNALS.map(read),
  };
}

/** Sets a 64-bit counter held as two 32-bit registers. */
function deposit64(sim: RtlSimulator, low: string, high: string, value: bigint): void {
  sim.deposit(low, Number(BigInt.asUintN(32, value)));
  sim.deposit(high, Number(BigInt.asUintN(32, value >> 32n)));
}

/** A 64-bit counter held as two 32-bit registers. */
function peek64(sim: RtlSimulator, low: string, high: string): bigint {
  return (BigInt(sim.peek(high)) << 32n) + BigInt(sim.peek(low));
}

/** A data access to the CLINT, as its byte enables give it: the first byte, the bytes, the value there. */
function clintAccess(addr: number, be: number, wdata: number): { offset: number; size: AccessSize; value: number } {
  const first = 31 - Math.clz32(be & -be);
  const size = (32 - Math.clz32(be >>> first)) as AccessSize;
  return { offset: (addr & ~3) - CLINT_BASE + first, size, value: wdata >>> (8 * first) };
}

const HPM_LOW = 'u_csr.mhpmcounter3_q';
const HPM_HIGH = 'u_csr.mhpmcounter3h_q';

export function runOnCore(elf: Uint8Array, options: CoreRunOptions): CoreRunResult {
  const image = readElf(elf);
  const map = busMap(image.entry);
  const memory = new SparseMemory();
  for (const segment of imageSegments(image, options.inputs)) memory.write(segment.address, segment.bytes);
  const tohost = image.symbols.get('tohost');
  const sim = simulatorFor(options.extension);
  sim.poke('boot_addr', image.entry >>> 0);
  sim.poke('hart_id', 0);
  for (const port of ['instr_gnt', 'instr_rvalid', 'instr_err', 'data_gnt', 'data_rvalid', 'data_err']) sim.poke(port, 0);
  sim.reset();
  sim.pokeMemory(REGISTER_FILE, 2, initialStackPointer(singleCoreMemoryMap(image.entry), image.entry));
  deposit64(sim, 'u_csr.mcycle_q', 'u_csr.mcycleh_q', BigInt(MCYCLE_PRESET));

  const port = probes(sim);
  const clint = new Clint(1);
  // The ISS's cycle during this testbench cycle, which the CLINT counts (docs/iss.md#interrupts).
  const issCycle = (now: number): number => now - CORE_STARTUP_CYCLES;
  const nextDelay = grantDelays(options.grantDelay ?? { kind: 'fixed', cycles: 0 });
  const retired: RtlRetirement[] = [];
  const registerWrites: RtlRegisterWrite[] = [];
  const stallCounts = new Map<number, number>();
  let redirect = 0;
  let instrResponse: number | undefined;
  let dataResponse: number | undefined;
  let instrError = false;
  let dataError = false;
  let dataWaited = -1;
  let dataDelay = 0;
  let stop: RtlStop | undefined;
  let endCycle = 0;
  let instret = 0;
  let lastPc = 0;
  // The cycle the last instruction left decode: a wfi's, when the core then sleeps for good.
  let lastLeave = 0;
  let output = '';
  // From an ecall to the first instruction after the write handler it traps into: the handler's
  // cycles and instructions are left out (now = cycle - skew), mcycle and minstret corrected.
  let ecallAt = -1;
  // mhpmcounter3 once the events of the instructions before the ecall are counted (the cycle after
  // it left decode): what it reads after the handler, unless it counts cycles.
  let hpmAtEcall = 0n;
  let inHandler = false;
  let handlerStarted = false;
  let skew = 0;
  let handlerInstalled = false;
  const policy = options.traps ?? 'auto';
  // Before the program writes mtvec its base is 0, where the testbench's ecall handler lives: outside
  // the program's memory, so "take" stops there as the ISS does without a handler to go to.
  const takesTraps = (): boolean => policy !== 'stop' && handlerInstalled;
  const readRegister = (r: number): number => Number(sim.peekMemory(REGISTER_FILE, r)) | 0;
  // Instructions that left decode recently: a trap in EX or WB may still cancel them.
  const recent: { cycle: number; pc: number; word: number }[] = [];
  const commit = (leave: { cycle: number; pc: number }): void => {
    instret++;
    if (options.trace) retired.push({ cycle: leave.cycle, pc: leave.pc });
  };

  for (let cycle = 1; stop === undefined; cycle++) {
    const now = cycle - skew;
    if (options.maxCycles !== 0 && now > options.maxCycles) {
      stop = { kind: 'cycle-limit' };
      endCycle = options.maxCycles;
      break;
    }
    // Responses to the previous cycle's granted requests.
    port.instrRvalid(Number(instrResponse !== undefined));
    port.instrRdata(instrResponse ?? 0);
    port.instrErr(Number(instrError));
    port.dataRvalid(Number(dataResponse !== undefined));
    port.dataRdata(dataResponse ?? 0);
    port.dataErr(Number(dataError));
    instrResponse = undefined;
    dataResponse = undefined;
    instrError = dataError = false;
    port.irqLines(clint.lines(0, issCycle(now)));

    let dataGrant = 0;
    if (port.dataReq()) {
      if (dataWaited < 0) {
        dataDelay = nextDelay();
        dataWaited = 0;
      }
      dataGrant = Number(dataWaited === dataDelay);
      dataWaited++;
    }
    port.dataGnt(dataGrant);
    if (dataGrant) {
      dataWaited = -1;
      const address = port.dataAddr() & ~3;
      dataError = windowIndex(map.data, address) < 0;
      if (dataError) {
        dataResponse = 0;
      } else if (inClint(address)) {
        const access = clintAccess(port.dataAddr(), port.dataWe() ? port.dataBe() : 0xf, port.dataWdata());
        if (port.dataWe()) clint.write(access.offset, access.size, access.value, issCycle(now));
        dataResponse = port.dataWe() ? 0 : clint.read(address - CLINT_BASE, 4, issCycle(now));
      } else if (port.dataWe()) {
        const value = port.dataWdata();
        const writes = storeWrites(map.data, address, port.splitFirst() !== 0);
        if (writes) memory.writeWord(address, value, port.dataBe());
        if (writes && tohost !== undefined && address === (tohost & ~3) && value !== 0) {
          stop = { kind: 'exit', code: value === 1 ? 0 : value >>> 1 };
          endCycle = now - 1;
        }
        dataResponse = 0;
      } else {
        dataResponse = memory.readWord(address);
      }
    }
    // The fetch request and address depend on the data grant within the cycle (a stall in decode
    // changes what fetch asks for next, hardware-loop back edges included), and on no grant of
    // their own: they are taken once the data grant is applied.
    const instrReq = port.instrReq();
    port.instrGnt(instrReq);
    if (instrReq) {
      const address = port.instrAddr() & ~3;
      instrError = windowIndex(map.fetch, address) < 0;
      instrResponse = instrError ? 0 : memory.readWord(address);
    }

    const leaves = port.leave() !== 0;
    if (leaves && inHandler) {
      if (port.pc() < ECALL_HANDLER_END) {
        handlerStarted = true;
      } else {
        // Back from the handler: as on the ISS, this instruction comes one cycle after the ecall,
        // and the counters read as if the handler had not run.
        inHandler = handlerStarted = false;
        const delta = now - (ecallAt + 1);
        ecallAt = -1;
        skew += delta;
        deposit64(sim, 'u_csr.mcycle_q', 'u_csr.mcycleh_q', peek64(sim, 'u_csr.mcycle_q', 'u_csr.mcycleh_q') - BigInt(delta));
        deposit64(sim, 'u_csr.minstret_q', 'u_csr.minstreth_q', BigInt(instret + recent.length));
        // The handler's cycles left out like mcycle's when the cycle event is selected; else none
        // of its events (the ecall itself is none).
        const countsCycles = (sim.peek('u_csr.mhpmevent3_q') & 1) !== 0;
        deposit64(sim, HPM_LOW, HPM_HIGH, countsCycles ? peek64(sim, HPM_LOW, HPM_HIGH) - BigInt(delta) : hpmAtEcall);
      }
    }
    const at = cycle - skew;
    if (!handlerStarted) {
      // An instruction leaving decode in the cycle the tohost store is granted comes after the
      // store, which ends the run: it does not count.
      if (port.csrAccess() && port.csrAddr() === CSR.mtvec && port.csrOp() !== CSR_OP.read) handlerInstalled = true;
      if (leaves && stop === undefined) {
        const pc = port.pc();
        const word = port.instr();
        recent.push({ cycle: at, pc, word });
        lastPc = pc;
        lastLeave = at;
        if (word === ECALL) ecallAt = at;
      }
      if (port.trap() && !port.interrupt()) {
        // The trapping instruction and anything younger that left decode do not retire; an ecall
        // is settled when the pipeline has drained (exit and write are the environment's).
        const pc = port.trapPc();
        const cause = port.trapCause();
        const index = recent.map((l) => l.pc).lastIndexOf(pc);
        const trapping = recent[index];
        if (cause !== TRAP_CAUSE.ecallFromMachineMode) {
          recent.splice(index < 0 ? recent.length : index);
          if (!takesTraps()) {
            stop = trapStop(cause, pc, trapping?.word ?? 0);
            // An ebreak that stops the run counts as run, as on the ISS (its environment's stop).
            if (stop.kind === 'ebreak' && trapping) recent.push(trapping);
            // A fault ends the run with the cycles before it, as the ISS counts one; ebreak with its own.
            endCycle = (trapping?.cycle ?? at) - Number(stop.kind !== 'ebreak');
          }
        }
      }
      if (options.trace) {
        for (const { we, waddr, wdata } of port.writePorts) {
          if (we() && waddr() !== 0) registerWrites.push({ cycle: at, reg: waddr(), value: wdata() | 0 });
        }
        if (port.sumsWritten()) {
          const sums = sim.peekBig('trace_sum_wdata');
          for (let p = 0; p < SUM_COUNT; p++) registerWrites.push({ cycle: at, reg: SUM_FIRST_REGISTER + p, value: Number(BigInt.asIntN(32, sums >> BigInt(32 * p))) });
        }
      }
    }
    if (port.sleeping() && stop === undefined && clint.firstLineFrom(0, issCycle(now), sim.peek('u_csr.mie_q') & IRQ_MASK) === undefined) {
      // Asleep in wfi with nothing left to wake the core: the run ends with the wfi, as on the ISS.
      stop = { kind: 'wfi' };
      endCycle = lastLeave;
      break;
    }
    let bits = 0;
    for (let i = 0; i < port.stallSignals.length; i++) bits |= Number(port.stallSignals[i]!() !== 0) << i;
    // From the first instruction on, but not while an ecall is settled or its handler runs.
    if (instret + recent.length > 0 && !inHandler && ecallAt < 0) {
      const key = (bits | (redirect << REDIRECT_SHIFT)) >>> 0;
      stallCounts.set(key, (stallCounts.get(key) ?? 0) + 1);
    }
    redirect = redirectAfter(bits, redirect);
    sim.step();
    if (ecallAt === at && !inHandler) hpmAtEcall = peek64(sim, HPM_LOW, HPM_HIGH);
    if (ecallAt >= 0 && !inHandler && at === ecallAt + DRAIN_CYCLES) {
      const a0 = readRegister(10);
      const call = environmentCall({ a0, a1: readRegister(11), a2: readRegister(12), a7: readRegister(17) }, (address, length) => memory.read(address, length));
      if (call.kind === 'write' && !handlerInstalled) {
        // The core has trapped to the testbench's handler at mtvec = 0 (the reset base).
        output += new TextDecoder().decode(call.bytes);
        sim.pokeMemory(REGISTER_FILE, 10, call.a0 >>> 0);
        inHandler = true;
      } else if (call.kind === 'exit') {
        stop = call;
        endCycle = ecallAt;
      } else if (takesTraps() && call.kind !== 'write') {
        // Not an environment call: the core took its trap to the program's handler.
        recent.splice(recent.map((l) => l.word).lastIndexOf(ECALL));
      } else {
        stop = { kind: 'unsupported-ecall', pc: lastPc, a7: readRegister(17) };
        endCycle = ecallAt;
      }
      if (!inHandler) ecallAt = -1;
    }
    // Retirements older than a trap can reach are final.
    while (recent.length > MAX_IN_FLIGHT) commit(recent.shift()!);
  }
  for (const leave of recent) commit(leave);
  const regs = Array.from({ length: 32 }, (_, r) => (r === 0 ? 0 : readRegister(r)));
  return { stop, cycles: endCycle, instret, regs, output, retired, registerWrites, stalls: stallRows(stallCounts) };
}

/** A stop as one line, for messages. */
export function coreStopText(stop: RtlStop): string {
  return 'pc' in stop ? `${stop.kind} at ${hex(stop.pc)}` : stop.kind;
}
