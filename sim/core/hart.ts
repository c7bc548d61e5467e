/**
 * One CV32E40P hart: architectural state, the fetch/pre-decode path, the execute loop and the glue
 * to the timing model. Semantics come from the instruction table; cycle costs from TimingModel.
 */
import { hex } from '../../isa/bits';
import { decode, instructionLength } from '../../isa/decoder';
import type { DecodedInstruction } from '../../isa/definition';
import { disassemble, formatInstruction, instructionHex } from '../../isa/disassembler';
import { CV32E40P_TABLE, type InstructionTable } from '../../isa/table';
import type { AccessSize, Addr, CsrAddr, Cycles, HartContext, Word } from '../../isa/types';
import { CsrFile } from './csr-file';
import { SyscallEnvironment, type Environment, type EnvironmentPort, type HaltReason } from './environment';
import { Fault } from '../../isa/fault';
import { locateFault } from './errors';
import { HardwareLoops } from './hwloop';
import { Block, isLocal, isStraightLine, MAX_BLOCK_LENGTH, type BlockHost } from './block';
import type { Bus } from './bus';
import type { RetireHook } from './retire';
import { CoreStats, CV32E40P_TIMING, TimingModel, type TimingConfig, type TimingProbe } from './timing';

export interface HartOptions {
  readonly resetPc: Addr;
  readonly hartId?: number;
  readonly table?: InstructionTable;
  readonly timing?: TimingConfig;
  /**
   * 'split': misaligned data accesses are performed as two bus transactions (the CV32E40P
   * behaviour, costing a cycle more). 'fault': any misaligned data access stops the simulation.
   */
  readonly misaligned?: 'split' | 'fault';
  readonly environment?: Environment;
  /**
   * Compile hot straight-line code into JavaScript functions (the default), or interpret every
   * instruction. Both give identical results; with a retire hook installed the hart interprets.
   */
  readonly blocks?: boolean;
}

/** Arrivals at an address before the block starting there is compiled: code run once is not worth it. */
const COMPILE_AFTER_VISITS = 4;

export type RunStop = HaltReason | { readonly kind: 'cycle-limit' };

export interface RunResult {
  readonly stop: RunStop;
  readonly cycles: Cycles;
  readonly instret: number;
}

export class Hart implements HartContext, TimingProbe, EnvironmentPort, BlockHost {
  readonly regs = new Int32Array(32);
  pc: Addr;
  npc: Addr;
  readonly hartId: number;
  readonly hwloop = new HardwareLoops();
  readonly stats = new CoreStats();
  readonly csrs: CsrFile;
  readonly table: InstructionTable;
  halted: HaltReason | undefined;
  onRetire: RetireHook | undefined;
  /** The cycle in which the instruction that halted the hart issued. */
  haltCycle: Cycles = 0;
  /** The run stops after the instruction that brings mcycle to this value; see pause(). */
  stopAt: Cycles = Number.POSITIVE_INFINITY;
  /** In runAhead: instructions other than local ones issue only before this cycle. */
  sharedLimit: Cycles = Number.POSITIVE_INFINITY;

  /** Set by jump(): the instruction transferred control. */
  redirected = false;
  /**
   * The instruction's data access needed two bus transactions. Like dataWait, it is reset by each
   * load and store, and read by the timing model only for loads and stores.
   */
  splitAccess = false;
  /** Cycles the memory system delayed this instruction's data access (bank conflict, L2 latency). */
  dataWait = 0;
  private accessCount = 0;
  private accessAddr = 0;
  private accessSize: AccessSize = 4;
  private accessValue = 0;
  private accessWrite = false;

  readonly timing: TimingModel;
  private readonly environment: Environment;
  private readonly faultOnMisaligned: boolean;
  private readonly blocksEnabled: boolean;
  /** The block being run, so that a fault inside it can settle its counters. */
  private runningBlock: Block | undefined;
  /** The region of the last fetch, whose pre-decode arrays are tried first (empty until a fetch). */
  private codeBase = 0;
  private codeSize = 0;
  private codeDecoded: (DecodedInstruction | undefined)[] = [];
  private codeBlocks: (Block | null | undefined)[] = [];
  private codeVisits: Uint8Array = new Uint8Array(0);
  private fetchedWord: number | undefined;

  constructor(
    readonly memory: Bus,
    options: HartOptions,
  ) {
    this.pc = options.resetPc >>> 0;
    this.npc = this.pc;
    this.hartId = options.hartId ?? 0;
    this.table = options.table ?? CV32E40P_TABLE;
    this.timing = new TimingModel(options.timing ?? CV32E40P_TIMING, this.stats);
    this.environment = options.environment ?? new SyscallEnvironment();
    this.faultOnMisaligned = options.misaligned === 'fault';
    this.blocksEnabled = options.blocks ?? true;
    this.csrs = new CsrFile(this.hartId, this.stats, this.hwloop);
  }

  // --- running ----------------------------------------------------------------------------

  /** Execute one instruction (the cluster's lock-step rounds, tests). */
  step(): void {
    try {
      this.stepOne();
    } catch (error) {
      throw this.locate(error);
    }
  }

  /** Run until the program halts or mcycle reaches `maxCycles`. */
  run(maxCycles: Cycles = Number.POSITIVE_INFINITY): RunResult {
    const stats = this.stats;
    this.stopAt = maxCycles;
    this.sharedLimit = Number.POSITIVE_INFINITY;
    try {
      while (this.halted === undefined && stats.cycles < this.stopAt) this.dispatch();
    } catch (error) {
      throw this.locate(error);
    }
    return { stop: this.halted ?? { kind: 'cycle-limit' }, cycles: stats.cycles, instret: stats.instret };
  }

  /**
   * The cluster's step: run the instruction at pc (the core's turn has come), then go on while
   * mcycle is below `stopAt` and nothing paused the hart, with any instruction while mcycle is
   * below `sharedLimit` (no other core can act before) and after that with local instructions only
   * (isLocal: what other cores do cannot change their outcome, nor they theirs).
   */
  runAhead(sharedLimit: Cycles, stopAt: Cycles): void {
    const stats = this.stats;
    this.stopAt = stopAt;
    this.sharedLimit = sharedLimit;
    try {
      // Compiled single-instruction form: cores in lock-step mostly get just this one.
      this.stepOne();
      while (this.halted === undefined && stats.cycles < this.stopAt) {
        if (stats.cycles < this.sharedLimit) this.dispatch();
        else if (this.nextIsLocal()) this.dispatch(true);
        else break;
      }
    } catch (error) {
      throw this.locate(error);
    }
  }

  private nextIsLocal(): boolean {
    const offset = this.pc - this.codeBase;
    const insn = offset >= 0 && offset < this.codeSize ? this.codeDecoded[offset >>> 1] : undefined;
    return insn !== undefined && (offset & 1) === 0 && isLocal(insn);
  }

  /** Stop the current run after the instruction in progress (a peripheral needs the host to act). */
  pause(): void {
    this.stopAt = 0;
    this.sharedLimit = 0;
  }

  /** One instruction, through its compiled form once the code is hot. */
  private stepOne(): void {
    const block = this.hotBlock();
    if (block) block.step(this);
    else this.execute();
  }

  /**
   * Run the compiled block starting at pc if there is one that fits the loop state, else one
   * instruction. With `localOnly` (a cluster core past its shared limit), a block whose local
   * instructions end after the first would stop there anyway: its first instruction alone is quicker.
   */
  private dispatch(localOnly = false): void {
    const block = this.hotBlock();
    if (!block) this.execute();
    else if ((localOnly && block.localRun < 2) || (this.hwloop.active && !block.fitsLoops(this.hwloop))) block.step(this);
    else {
      this.runningBlock = block;
      block.run(this);
      this.runningBlock = undefined;
    }
  }

  /** Whether the hart runs compiled code at all: not when disabled, nor with a retire hook (the blocks report nothing). */
  get compiles(): boolean {
    return this.blocksEnabled && this.onRetire === undefined;
  }

  /** The compiled block starting at pc, compiling it on the visit that makes the address hot. */
  hotBlock(): Block | undefined {
    const offset = this.pc - this.codeBase;
    if (!this.compiles || offset < 0 || offset >= this.codeSize || (offset & 1) !== 0) return undefined;
    const index = offset >>> 1;
    const block = this.codeBlocks[index];
    if (block !== undefined) return block ?? undefined;
    if (++this.codeVisits[index]! < COMPILE_AFTER_VISITS) return undefined;
    return (this.codeBlocks[index] = this.buildBlock(this.pc)) ?? undefined;
  }

  /**
   * The longest straight-line run from `start` within its region, ending after a store, at the end
   * of an active hardware loop or at MAX_BLOCK_LENGTH; null when the instruction at `start` cannot
   * begin one. Undecodable bytes end the block before them (they may be data).
   */
  private buildBlock(start: Addr): Block | null {
    const region = this.memory.find(start, 2);
    const insns: DecodedInstruction[] = [];
    for (let addr = start; region !== undefined && addr < region.end && insns.length < MAX_BLOCK_LENGTH; ) {
      let insn: DecodedInstruction;
      try {
        insn = this.fetch(addr);
      } catch (error) {
        if (error instanceof Fault) break;
        throw error;
      }
      if (!isStraightLine(insn)) break;
      insns.push(insn);
      addr += insn.length;
      if (insn.timing === 'store' || this.endsActiveLoop(addr)) break;
    }
    return insns.length === 0 || region === undefined ? null : new Block(insns, region.epoch);
  }

  private endsActiveLoop(addr: Addr): boolean {
    const loops = this.hwloop;
    return (loops.count[0] !== 0 && loops.end[0] === addr) || (loops.count[1] !== 0 && loops.end[1] === addr);
  }

  private execute(): void {
    const pc = this.pc;
    // The offset is even for every pc a program can reach; an odd one takes the slow path and faults.
    const offset = pc - this.codeBase;
    const insn = (offset >= 0 && offset < this.codeSize && (offset & 1) === 0 ? this.codeDecoded[offset >>> 1] : undefined) ?? this.decodeAt(pc);
    const sequential = pc + insn.length;
    this.npc = sequential;
    this.redirected = false;
    const timing = this.timing;
    timing.issue(insn, this.regs);
    insn.execute(this, insn);
    this.regs[0] = 0;
    const cycles = timing.complete(insn, this);
    let next = this.npc;
    if (this.hwloop.active) {
      if (!this.redirected) next = this.hwloop.next(sequential);
      else if (insn.timing !== 'system') this.hwloop.checkEntry(next);
    }
    const stats = this.stats;
    stats.cycles += cycles;
    stats.instret++;
    if (this.onRetire) this.retire(insn, cycles);
    this.pc = next >>> 0;
  }

  private retire(insn: DecodedInstruction, cycles: Cycles): void {
    const accessed = this.accessCount !== 0;
    this.accessCount = 0;
    this.onRetire?.({
      core: this.hartId,
      pc: insn.pc,
      word: insn.word,
      insn,
      cycle: this.stats.cycles,
      cycles,
      regWrites: insn.destinations.map((reg) => ({ reg, value: this.regs[reg]! })),
      dataAccesses: !accessed ? [] : [{
        addr: this.accessAddr, size: this.accessSize, value: this.accessValue, write: this.accessWrite,
      }],
    });
  }

  /**
   * After an error stopped a run: settle the counters of the block that was running, and wrap a
   * Fault with the pc, instruction, cycle and core it happened at.
   */
  locate(error: unknown): unknown {
    this.runningBlock?.abandon(this);
    this.runningBlock = undefined;
    if (!(error instanceof Fault)) return error;
    // pc still names the faulting instruction; it is in the pre-decode cache unless decoding failed.
    const insn = this.cached(this.pc);
    const word = insn?.word ?? this.fetchedWord;
    const disassembly = insn ? formatInstruction(insn) : word === undefined ? '<not fetched>' : disassemble(this.table, word, this.pc);
    return locateFault(error, { core: this.hartId, pc: this.pc, word, disassembly, cycle: this.stats.cycles });
  }

  // --- fetch and pre-decode -----------------------------------------------------------------

  /** The decoded instruction at `addr`, decoding and caching it on first use. */
  fetch(addr: Addr): DecodedInstruction {
    return this.cached(addr) ?? this.decodeAt(addr);
  }

  private cached(addr: Addr): DecodedInstruction | undefined {
    const region = this.memory.find(addr, 2);
    return addr % 2 === 0 ? region?.decoded?.[(addr - region.base) >>> 1] : undefined;
  }

  private decodeAt(addr: Addr): DecodedInstruction {
    this.fetchedWord = undefined;
    if (addr % 2 !== 0) throw new Fault('misaligned-access', `instruction fetch from odd address ${hex(addr)}`);
    const region = this.memory.find(addr, 2);
    if (!region) throw new Fault('memory-access', `instruction fetch at ${hex(addr)} is outside memory`);
    const offset = addr - region.base;
    const low = region.view.getUint16(offset, true);
    let word = low;
    if (instructionLength(low) === 4) {
      if (offset + 4 > region.size) throw new Fault('memory-access', `instruction at ${hex(addr)} runs past the end of ${region.name}`);
      word = region.view.getUint32(offset, true);
    }
    this.fetchedWord = word;
    const insn = decode(this.table, word, addr);
    if (!insn) throw new Fault('illegal-instruction', `illegal instruction ${instructionHex(word)}`);
    const halfwords = region.size >>> 1;
    region.decoded ??= new Array<DecodedInstruction | undefined>(halfwords).fill(undefined);
    region.blocks ??= new Array<Block | null | undefined>(halfwords).fill(undefined);
    region.visits ??= new Uint8Array(halfwords);
    region.decoded[offset >>> 1] = insn;
    this.codeBase = region.base;
    this.codeSize = region.size;
    this.codeDecoded = region.decoded;
    this.codeBlocks = region.blocks;
    this.codeVisits = region.visits;
    return insn;
  }

  /** Timing look-ahead: a 32-bit instruction at an address that is 2 mod 4 costs a fetch cycle more. */
  isUnalignedWideTarget(addr: Addr): boolean {
    if ((addr & 2) === 0) return false;
    const half = this.memory.peek16(addr);
    return half !== undefined && instructionLength(half) === 4;
  }

  // --- HartContext: what instruction semantics use ------------------------------------------

  load(addr: Addr, size: AccessSize, signed: boolean): Word {
    this.splitAccess = false;
    this.dataWait = 0;
    if ((addr & (size - 1)) !== 0) this.misaligned(addr, size, 'load');
    const value = this.memory.read(addr, size, signed);
    if (this.onRetire) this.record(addr, size, value, false);
    return value;
  }

  store(addr: Addr, size: AccessSize, value: Word): void {
    this.splitAccess = false;
    this.dataWait = 0;
    if ((addr & (size - 1)) !== 0) this.misaligned(addr, size, 'store');
    this.memory.write(addr, size, value);
    if (this.onRetire) this.record(addr, size, value, true);
  }

  /** Remember the data access for the retire hook (only called when one is installed). */
  private record(addr: Addr, size: AccessSize, value: Word, write: boolean): void {
    this.accessCount = 1;
    this.accessAddr = addr;
    this.accessSize = size;
    this.accessValue = value;
    this.accessWrite = write;
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

  ebreak(): void {
    this.environment.ebreak(this);
  }

  wfi(): void {
    this.environment.wfi(this);
  }

  jump(target: Addr): void {
    this.npc = target;
    this.redirected = true;
  }

  mret(): void {
    this.jump(this.csrs.mepc >>> 0);
  }

  fence(): void {
    // Stores already invalidate the pre-decode cache, so there is nothing to flush.
  }

  // --- EnvironmentPort ------------------------------------------------------------------------

  readBytes(addr: Addr, length: number): Uint8Array {
    return this.memory.readBytes(addr, length);
  }

  halt(reason: HaltReason): void {
    this.halted = reason;
    this.haltCycle = this.stats.cycles;
  }
}
