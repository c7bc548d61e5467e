/**
 * One core's view of the cluster's memory system: L1 accesses go through TCDM bank arbitration,
 * L2 accesses pay the interconnect latency, and the peripheral window reaches the barrier, DMA
 * and timer. L3 is the DMA's alone: a load, store or fetch there is an access fault. Waits are
 * charged to the hart's current instruction and to the core's statistics, a bank wait split by
 * who held the bank (another core, or the DMA).
 * An access happens in the cycle its instruction issued, which is the hart's mcycle while the
 * instruction runs. A peripheral access pauses the hart so that the cluster can act on it. The
 * platform's CLINT window reaches the cluster's one CLINT (one msip and mtimecmp per core), in the
 * cycle the access is granted, and pauses the hart too: a store may raise another core's line.
 */
import { hex } from '../../isa/bits.js';
import type { AccessSize, Addr, Cycles, Word } from '../../isa/types.js';
import { Fault, TRAP_CAUSE, type TrapCause } from '../../isa/fault.js';
import type { Hart } from '../core/hart.js';
import type { MappedMemory } from '../core/memory.js';
import { DataPort } from '../core/data-port.js';
import type { AccessArbiter, BankGrants, DirectPath } from '../core/block.js';
import type { ClusterConfig } from './config.js';
import type { Tcdm } from './tcdm.js';
import type { Clint } from '../../isa/platform/clint.js';
import { CLINT_BASE, inClint, PERIPHERALS_SIZE } from '../../isa/platform/memory-map.js';

/** What a port needs from the cluster: the peripheral registers, accessed in a given cycle. */
export interface PortHost {
  peripheralRead(core: number, offset: number, cycle: Cycles): Word;
  peripheralWrite(core: number, offset: number, value: Word, cycle: Cycles): void;
  readonly clint: Clint;
  clintWritten(): void;
}

/** Per-core waits the memory system caused, by cause. */
export class PortStats {
  /** Cycles an L1 access waited for a bank another core took. */
  tcdmContention = 0;
  /** Cycles an L1 access waited for a bank the DMA took. */
  dmaContention = 0;
  l2Wait = 0;
  barrierWait = 0;
  dmaWait = 0;
}

export class CorePort extends DataPort<MappedMemory> implements AccessArbiter {
  hart!: Hart;
  readonly stats = new PortStats();
  private readonly l1Base: number;
  private readonly l1End: number;
  private readonly peripheralsEnd: number;
  private readonly l3Base: number;
  private readonly l3End: number;
  /** The TCDM's common case for generated code (BankGrants), when its banks are a power of two. */
  readonly banks: BankGrants | undefined;

  constructor(
    readonly core: number,
    memory: MappedMemory,
    private readonly tcdm: Tcdm,
    private readonly host: PortHost,
    private readonly config: ClusterConfig,
  ) {
    super(memory);
    this.l1Base = config.l1Base;
    this.l1End = config.l1Base + config.l1Size;
    this.peripheralsEnd = config.peripheralsBase + PERIPHERALS_SIZE;
    this.l3Base = config.l3Base;
    this.l3End = config.l3Base + config.l3Size;
    this.banks = tcdm.bankMask >= 0 ? tcdm : undefined;
  }

  /** The cluster's memory holds L1 and L2 only: the peripherals, the CLINT and L3 are outside it. */
  override get direct(): DirectPath {
    return { memory: this.memory, arbiter: this };
  }

  override fetchFault(addr: Addr): Fault {
    if (this.inL3(addr)) return this.l3Fault('instruction fetch', addr, TRAP_CAUSE.instructionAccessFault);
    return super.fetchFault(addr);
  }

  read(addr: Addr, size: AccessSize, signed: boolean): Word {
    if (this.isPeripheral(addr)) {
      const offset = this.peripheralOffset(addr, size);
      this.hart.pause();
      return this.host.peripheralRead(this.core, offset, this.hart.stats.cycles);
    }
    // The CLINT's accesses in a method of their own, its window's bounds in fields: the hot path
    // stays small and fast (measured on the cluster's speed benchmark).
    if (inClint(addr)) return this.clintRead(addr, size, signed);
    this.charge(addr, size, false);
    return this.memory.read(addr, size, signed);
  }

  write(addr: Addr, size: AccessSize, value: Word): void {
    if (inClint(addr)) return this.clintWrite(addr, size, value);
    if (this.isPeripheral(addr)) {
      const offset = this.peripheralOffset(addr, size);
      this.hart.pause();
      this.host.peripheralWrite(this.core, offset, value, this.hart.stats.cycles);
      return;
    }
    this.charge(addr, size, true);
    this.memory.write(addr, size, value);
  }

  private clintRead(addr: Addr, size: AccessSize, signed: boolean): Word {
    this.hart.pause();
    return this.host.clint.read(addr - CLINT_BASE, size, this.hart.dataAccessCycle, signed);
  }

  private clintWrite(addr: Addr, size: AccessSize, value: Word): void {
    this.hart.pause();
    this.host.clint.write(addr - CLINT_BASE, size, value, this.hart.dataAccessCycle);
    this.host.clintWritten();
  }

  /**
   * Wait for the memory system. An access crossing a word boundary is two bus transactions, the
   * second asked for in the cycle after the first was granted: in L1 each goes through its own
   * bank's arbitration, in L2 each pays the latency.
   */
  private charge(addr: Addr, size: AccessSize, write: boolean): void {
    if (this.inL3(addr)) throw this.l3Fault(write ? 'store' : 'load', addr, write ? TRAP_CAUSE.storeAccessFault : TRAP_CAUSE.loadAccessFault);
    const issue = this.hart.stats.cycles;
    let wait = this.grant(addr, issue);
    if ((addr & 3) + size > 4) {
      const next = addr + 4 - (addr & 3);
      const second = this.inL1(addr) ? this.bankWait(this.tcdm.accessLater(next, issue + wait + 1)) : this.l2Wait();
      wait += second;
      this.hart.secondWait += second;
    }
    this.hart.dataWait += wait;
  }

  /** The wait of a transaction issued in `cycle` at `addr` in L1 or L2 (AccessArbiter; charge's first transaction). */
  grant(addr: Addr, cycle: Cycles): Cycles {
    return this.inL1(addr) ? this.bankWait(this.tcdm.access(addr, cycle)) : this.l2Wait();
  }

  /** A TCDM transaction waited `wait` cycles: counted by who held the bank (the DMA, or another core). */
  private bankWait(wait: Cycles): Cycles {
    if (wait !== 0) this.countBankWait(wait);
    return wait;
  }

  /** bankWait's counting, out of line: the grant's common case stays small enough to inline (Tcdm.access). */
  private countBankWait(wait: Cycles): void {
    const dmaWait = this.tcdm.lastDmaWait;
    this.stats.tcdmContention += wait - dmaWait;
    this.stats.dmaContention += dmaWait;
  }

  private l2Wait(): Cycles {
    this.stats.l2Wait += this.config.l2Latency;
    return this.config.l2Latency;
  }

  private inL1(addr: Addr): boolean {
    return addr >= this.l1Base && addr < this.l1End;
  }

  private inL3(addr: Addr): boolean {
    return addr >= this.l3Base && addr < this.l3End;
  }

  private l3Fault(what: string, addr: Addr, cause: TrapCause): Fault {
    return new Fault('memory-access', `${what} at ${hex(addr)} is in L3, which only the DMA reaches: copy the data to L1 or L2 first`, cause);
  }

  private isPeripheral(addr: Addr): boolean {
    return addr >= this.config.peripheralsBase && addr < this.peripheralsEnd;
  }

  private peripheralOffset(addr: Addr, size: AccessSize): number {
    if (size !== 4 || addr % 4 !== 0) throw new Fault('misaligned-access', `peripheral registers take aligned 32-bit accesses (${size} byte(s) at ${hex(addr)})`);
    return addr - this.config.peripheralsBase;
  }
}
