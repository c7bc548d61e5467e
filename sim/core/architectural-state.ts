/**
 * A hart as its instructions see it: the architectural state (registers, pc and next pc, CSRs,
 * hardware loops, halt) and the operations the table's semantics perform on it (HartContext: data
 * accesses, CSR access, jumps, loop checks, environment calls). Each operation also leaves what
 * the timing model asks about the instruction afterwards (TimingProbe: redirected, split access,
 * memory wait) and the data access for the retire hook; the environment gets the same object as
 * its EnvironmentPort.
 *
 * The Hart (hart.ts), which runs instructions, extends this class rather than holding it: the
 * semantics, the timing model and the compiled blocks all receive the hart itself, so every call
 * site sees one hidden class and V8 can inline the operations into them.
 */
import { hex } from '../../isa/bits.js';
import { instructionLength } from '../../isa/decoder.js';
import type { DecodedInstruction } from '../../isa/definition.js';
import { Fault, TRAP_CAUSE, type TrapPolicy } from '../../isa/fault.js';
import type { AccessSize, Addr, CsrAddr, Cycles, HartContext, Word } from '../../isa/types.js';
import type { Bus } from './bus.js';
import { CsrFile } from './csr-file.js';
import { SyscallEnvironment, type Environment, type EnvironmentPort, type HaltReason } from './environment.js';
import { HardwareLoops } from './hwloop.js';
import { PerformanceEvents } from './performance-events.js';
import type { RetireHook, TrapHook } from './retire.js';
import { CoreStats, type TimingProbe } from './timing.js';

export interface ArchitecturalOptions {
  readonly resetPc: Addr;
  readonly hartId?: number;
  /**
   * 'split': misaligned data accesses are performed as two bus transactions (the CV32E40P
   * behaviour, costing a cycle more). 'fault': any misaligned data access stops the simulation.
   */
  readonly misaligned?: 'split' | 'fault';
  readonly environment?: Environment;
  /** What an exception does (TrapPolicy); 'auto' unless given. */
  readonly traps?: TrapPolicy;
}

export abstract class ArchitecturalState implements HartContext, TimingProbe, EnvironmentPort {
  readonly regs = new Int32Array(32);
  pc: Addr;
  npc: Addr;
  readonly hartId: number;
  readonly hwloop = new HardwareLoops();
  readonly stats = new CoreStats();
  /** The events mhpmcounter3 counts, while mhpmevent3 selects any but the cycle. */
  readonly events = new PerformanceEvents();
  readonly csrs: CsrFile;
  halted: HaltReason | undefined;
  /** The cycle in which the instruction that halted the hart issued. */
  haltCycle: Cycles = 0;
  onRetire: RetireHook | undefined;
  /** Told of every trap taken (the trace prints them). */
  onTrap: TrapHook | undefined;

  /** Set by jump(): the instruction transferred control. */
  redirected = false;
  /**
   * The instruction's data access needed two bus transactions. Like dataWait, it is reset by each
   * load and store, and read by the timing model only for loads and stores.
   */
  splitAccess = false;
  /** Cycles the memory system delayed this instruction's data access (bank conflict, L2 latency). */
  dataWait = 0;
  /** Of dataWait, those of a split access's second transaction. */
  secondWait = 0;
  private accessCount = 0;
  private accessAddr = 0;
  private accessSize: AccessSize = 4;
  private accessValue = 0;
  private accessWrite = false;

  private readonly environment: Environment;
  private readonly faultOnMisaligned: boolean;
  private readonly trapPolicy: TrapPolicy;

  constructor(
    readonly memory: Bus,
    options: ArchitecturalOptions,
  ) {
    this.pc = options.resetPc >>> 0;
    this.npc = this.pc;
    this.hartId = options.hartId ?? 0;
    this.environment = options.environment ?? new SyscallEnvironment();
    this.faultOnMisaligned = options.misaligned === 'fault';
    this.trapPolicy = options.traps ?? 'auto';
    this.csrs = new CsrFile(this.hartId, this.stats, this.hwloop, this.events);
  }

  /** The decoded instruction at `addr` (the loop checks read the loop body through it). */
  protected abstract fetch(addr: Addr): DecodedInstruction;

  // --- HartContext: what instruction semantics use ------------------------------------------

  load(addr: Addr, size: AccessSize, signed: boolean): Word {
    this.splitAccess = false;
    this.dataWait = 0;
    this.secondWait = 0;
    if ((addr & (size - 1)) !== 0) this.misaligned(addr, size, 'load');
    const value = this.memory.read(addr, size, signed);
    if (this.onRetire) this.record(addr, size, value, false);
    return value;
  }

  store(addr: Addr, size: AccessSize, value: Word): void {
    this.splitAccess = false;
    this.dataWait = 0;
    this.secondWait = 0;
    if ((addr & (size - 1)) !== 0) this.misaligned(addr, size, 'store');
    this.memory.write(addr, size, value);
    if (this.onRetire) this.record(addr, size, value, true);
  }

  private misaligned(addr: Addr, size: AccessSize, what: string): void {
    if (this.faultOnMisaligned) throw new Fault('misaligned-access', `misaligned ${size}-byte ${what} at ${hex(addr)}`);
    // A word not on a word boundary, or a halfword crossing one, takes two bus transactions.
    if (size === 4 || (addr & 3) === 3) this.splitAccess = true;
  }

  csrRead(csr: CsrAddr): Word {
    return this.csrs.read(csr);
  }

  csrWrite(csr: CsrAddr, value: Word): void {
    this.csrs.write(csr, value);
  }

  hwloopChanged(loop: number): void {
    this.hwloop.validate(loop, this.pc, (addr) => this.fetch(addr));
  }

  ecall(): void {
    this.environment.ecall(this);
  }

  /** ebreak is a breakpoint trap when the hart takes traps, else the environment's (it halts). */
  ebreak(): void {
    if (this.takesTraps) throw new Fault('environment', 'ebreak', TRAP_CAUSE.breakpoint);
    this.environment.ebreak(this);
  }

  /** Whether an exception now goes to the program's handler (see ArchitecturalOptions.traps). */
  get takesTraps(): boolean {
    return this.trapPolicy === 'take' || (this.trapPolicy === 'auto' && this.csrs.mtvecWritten);
  }

  wfi(): void {
    this.environment.wfi(this);
  }

  jump(target: Addr): void {
    this.npc = target;
    this.redirected = true;
  }

  mret(): void {
    this.csrs.returnFromTrap();
    this.jump(this.csrs.mepc >>> 0);
  }

  fence(): void {
    // Stores already invalidate the pre-decode cache, so there is nothing to flush.
  }

  // --- TimingProbe ----------------------------------------------------------------------------

  /** Timing look-ahead: a 32-bit instruction at an address that is 2 mod 4 costs a fetch cycle more. */
  isUnalignedWideTarget(addr: Addr): boolean {
    if ((addr & 2) === 0) return false;
    const half = this.memory.peek16(addr);
    return half !== undefined && instructionLength(half) === 4;
  }

  // --- EnvironmentPort ------------------------------------------------------------------------

  readBytes(addr: Addr, length: number): Uint8Array {
    return this.memory.readBytes(addr, length);
  }

  halt(reason: HaltReason): void {
    this.halted = reason;
    this.haltCycle = this.stats.cycles;
  }

  // --- the retire hook ------------------------------------------------------------------------

  /** Remember the data access for the retire hook (only called when one is installed). */
  private record(addr: Addr, size: AccessSize, value: Word, write: boolean): void {
    this.accessCount = 1;
    this.accessAddr = addr;
    this.accessSize = size;
    this.accessValue = value;
    this.accessWrite = write;
  }

  /** Report the instruction that just retired, in `cycles` cycles, to the retire hook. */
  protected retire(insn: DecodedInstruction, cycles: Cycles): void {
    const accessed = this.accessCount !== 0;
    this.accessCount = 0;
    const regWrites = insn.destinations.map((reg) => ({ reg, value: this.regs[reg]! }));
    const incrementedBase = insn.def.incrementedBase;
    if (incrementedBase && accessed && insn.rd === insn.rs1 && insn.rd !== 0) {
      regWrites.unshift({ reg: insn.rd, value: incrementedBase(insn, this.regs, this.accessAddr) });
    }
    this.onRetire?.({
      core: this.hartId,
      pc: insn.pc,
      word: insn.word,
      insn,
      cycle: this.stats.cycles,
      cycles,
      regWrites,
      dataAccesses: !accessed ? [] : [{
        addr: this.accessAddr, size: this.accessSize, value: this.accessValue, write: this.accessWrite,
      }],
    });
  }
}
