/**
 * The machine-mode CSRs of the CV32E40P that a bare-metal program touches. Unknown CSRs, writes to
 * read-only CSRs and csrw to the hardware-loop CSRs are illegal instructions, as on the core.
 */
import { hex } from '../../isa/bits.js';
import { CSR } from '../../isa/csr-names.js';
import type { CsrAddr, HwLoopRegs, Word } from '../../isa/types.js';
import { Fault } from '../../isa/fault.js';
import {
  CV32E40P_ARCH_ID, CV32E40P_IMPLEMENTATION_ID, HPM_EVENT, IRQ_MASK, isIdleCounterCsr, isIdleCounterMirror, isReadOnlyCsr, MCAUSE_MASK,
  MCOUNTINHIBIT_CYCLE_BIT, MCOUNTINHIBIT_HPM3_BIT, MCOUNTINHIBIT_INSTRET_BIT, MCOUNTINHIBIT_MASK, MHPMEVENT_MASK, MISA, MSTATUS_MIE_BIT, MSTATUS_MPIE_BIT, MSTATUS_RESET, MSTATUS_WRITABLE, MTVEC_BASE_MASK,
  MTVEC_MODE_MASK, MTVEC_RESET, OPENHW_VENDOR_ID, PRIVILEGE_MACHINE,
} from '../../isa/csr-values.js';

const MSTATUS_MIE = 1 << MSTATUS_MIE_BIT;
const MSTATUS_MPIE = 1 << MSTATUS_MPIE_BIT;
import type { CoreStats } from './timing.js';
import { PerformanceEvents } from './performance-events.js';

/**
 * A 64-bit counter derived from a free-running source, writable, and freezable by mcountinhibit.
 * Writes and inhibit changes take the source as the writing instruction leaves it (CsrFile's
 * write sources): the core writes in EX, where the write replaces that cycle's increment. The
 * offset is exact in 64 bits (a high half written with any value keeps the low half); only CSR
 * accesses compute with it.
 */
class Counter {
  private offset = 0n;
  private frozen: bigint | undefined;

  value(source: number): bigint {
    return BigInt.asUintN(64, this.frozen ?? BigInt(source) - this.offset);
  }

  set(source: number, value: bigint): void {
    if (this.frozen !== undefined) this.frozen = value;
    else this.offset = BigInt(source) - value;
  }

  inhibit(source: number, on: boolean): void {
    if (on && this.frozen === undefined) this.frozen = this.value(source);
    if (!on && this.frozen !== undefined) {
      this.offset = BigInt(source) - this.frozen;
      this.frozen = undefined;
    }
  }

  readLow(source: number): Word {
    return Number(BigInt.asIntN(32, this.value(source)));
  }

  readHigh(source: number): Word {
    return Number(BigInt.asIntN(32, this.value(source) >> 32n));
  }

  /**
   * Write one half: the other keeps its value as the writing instruction reads it (`read`), and
   * the counter goes on from the write (`written`: the source past the increment it replaces).
   */
  writeLow(read: number, written: number, low: Word): void {
    this.set(written, (this.value(read) >> 32n << 32n) | BigInt(low >>> 0));
  }

  writeHigh(read: number, written: number, high: Word): void {
    this.set(written, (BigInt(high >>> 0) << 32n) | BigInt.asUintN(32, this.value(read)));
  }
}

/** The CSRs `CsrFile.write` sets (its cases); any other write is an illegal instruction. */
const WRITABLE_CSRS: ReadonlySet<CsrAddr> = new Set([
  CSR.mstatus, CSR.mie, CSR.mtvec, CSR.mscratch, CSR.mepc, CSR.mcause, CSR.mtval, CSR.mcountinhibit, CSR.mcycle, CSR.mcycleh,
  CSR.minstret, CSR.minstreth, CSR.mhpmcounter3, CSR.mhpmcounter3h, CSR.mhpmevent3, CSR.misa,
]);

/** A write may name it: one of WRITABLE_CSRS, or an idle counter (mhpmcounter4..31, mhpmevent4..31), which ignores it. */
function isWritableCsr(csr: CsrAddr): boolean {
  return WRITABLE_CSRS.has(csr) || isIdleCounterCsr(csr);
}

export class CsrFile {
  private mstatus = MSTATUS_RESET;
  private mie = 0;
  private mtvec = MTVEC_RESET;
  /** The program wrote mtvec: it installed a trap handler (the `traps: 'auto'` policy asks). */
  mtvecWritten = false;
  private mscratch = 0;
  private mepcValue = 0;
  private mcause = 0;
  private mcountinhibit = 0;
  private readonly cycle = new Counter();
  private readonly instret = new Counter();
  /** mhpmcounter3, counting the cycles in which an event mhpmevent3 selects is active. */
  private readonly hpm = new Counter();
  private mhpmevent = 0;
  /**
   * The registered interrupt lines an instruction reading mip in EX sees (sim/core/interrupts.ts);
   * none without an interrupt source.
   */
  registeredLines: () => number = () => 0;
  /**
   * Cycles the core slept in wfi with its clock gated: the CV32E40P's counters run on that clock,
   * so mcycle (and mhpmcounter3 counting cycles) leave them out.
   */
  gatedCycles = 0;

  constructor(
    private readonly hartId: number,
    private readonly stats: CoreStats,
    private readonly hwloop: HwLoopRegs,
    /** The events the hart counts per instruction for mhpmcounter3 (the hart's own; a fresh one for a lone CSR file). */
    private readonly events: PerformanceEvents = new PerformanceEvents(),
  ) {}

  // Counter sources as a CSR instruction in EX reads them: the cycles and events of the older
  // instructions and its own decode stall (the RTL's counters increment a cycle after an event,
  // registered in the cycle after it fired). A write sees them one increment further on, the one
  // of its own cycle in EX (mcycle), its own retirement (minstret, an event mhpmevent3 selects),
  // which the write replaces.

  private cycleSource(): number {
    return this.stats.cycles + this.events.decodeStall - this.gatedCycles;
  }

  private hpmSource(): number {
    if (((this.mhpmevent >>> HPM_EVENT.cycle) & 1) !== 0) return this.cycleSource();
    const ownStall = this.events.decodeStallForLoad && ((this.mhpmevent >>> HPM_EVENT.loadStall) & 1) !== 0 ? 1 : 0;
    return this.events.count + ownStall;
  }

  private hpmWriteSource(): number {
    const ownCycle = (this.mhpmevent & ((1 << HPM_EVENT.cycle) | (1 << HPM_EVENT.instret))) !== 0 ? 1 : 0;
    return this.hpmSource() + ownCycle;
  }

  get mepc(): number {
    return this.mepcValue;
  }

  /** Where a trap goes: the base of mtvec (exceptions are not vectored). */
  get trapVector(): number {
    return this.mtvec & MTVEC_BASE_MASK;
  }

  /** Where interrupt `line` goes: the base of mtvec, plus 4 per line number in vectored mode. */
  interruptVector(line: number): number {
    return (this.trapVector + ((this.mtvec & MTVEC_MODE_MASK) !== 0 ? 4 * line : 0)) >>> 0;
  }

  /** The lines mie enables. */
  get enabledLines(): number {
    return this.mie;
  }

  /** mstatus.MIE: interrupts are taken. */
  get interruptsEnabled(): boolean {
    return (this.mstatus & MSTATUS_MIE) !== 0;
  }

  /**
   * Enter a trap from machine mode: mepc names the instruction, mcause its cause, the interrupt
   * enable is saved in MPIE and cleared; MPP stays machine mode. mtval stays 0: the CV32E40P ties it
   * to zero for every trap.
   */
  enterTrap(cause: number, pc: number): void {
    this.mepcValue = pc & ~1;
    this.mcause = cause & MCAUSE_MASK;
    const mie = this.mstatus & MSTATUS_MIE;
    this.mstatus = (this.mstatus & ~(MSTATUS_MIE | MSTATUS_MPIE)) | (mie << 4);
  }

  /** mret: MIE is restored from MPIE, and MPIE set; MPP stays machine mode. */
  returnFromTrap(): void {
    const mpie = this.mstatus & MSTATUS_MPIE;
    this.mstatus = (this.mstatus & ~MSTATUS_MIE) | (mpie >>> 4) | MSTATUS_MPIE;
  }

  read(csr: CsrAddr): Word {
    const value = this.valueOf(csr);
    if (value === undefined) throw new Fault('illegal-instruction', `CSR ${hex(csr, 3)} is not implemented`);
    return value;
  }

  /**
   * Whether an access to `csr` is an illegal instruction, as the core's decoder tells before the
   * access (the CV32E40P checks the decode stage's CSR address and operation): the CSR is absent,
   * or `writes` and it is read-only or not writable. Every writable CSR is readable.
   */
  rejects(csr: CsrAddr, writes: boolean): boolean {
    return this.valueOf(csr) === undefined || (writes && !isWritableCsr(csr));
  }

  /** The value `csr` reads, or undefined when the core has no such CSR. */
  private valueOf(csr: CsrAddr): Word | undefined {
    const cycles = this.cycleSource();
    const instret = this.stats.instret;
    switch (csr) {
      case CSR.mstatus: return this.mstatus;
      case CSR.misa: return MISA;
      case CSR.mie: return this.mie;
      case CSR.mtvec: return this.mtvec;
      case CSR.mcountinhibit: return this.mcountinhibit;
      case CSR.mscratch: return this.mscratch;
      case CSR.mepc: return this.mepcValue;
      case CSR.mcause: return this.mcause;
      case CSR.mtval: return 0; // the CV32E40P ties it to zero: no trap writes it, csrw is ignored
      case CSR.mip: return this.registeredLines();
      case CSR.mcycle: case CSR.cycle: return this.cycle.readLow(cycles);
      case CSR.mcycleh: case CSR.cycleh: return this.cycle.readHigh(cycles);
      case CSR.minstret: case CSR.instret: return this.instret.readLow(instret);
      case CSR.minstreth: case CSR.instreth: return this.instret.readHigh(instret);
      case CSR.mhpmcounter3: case CSR.hpmcounter3: return this.hpm.readLow(this.hpmSource());
      case CSR.mhpmcounter3h: case CSR.hpmcounter3h: return this.hpm.readHigh(this.hpmSource());
      case CSR.mhpmevent3: return this.mhpmevent;
      case CSR.lpstart0: return this.hwloop.start[0]! | 0;
      case CSR.lpend0: return this.hwloop.end[0]! | 0;
      case CSR.lpcount0: return this.hwloop.count[0]! | 0;
      case CSR.lpstart1: return this.hwloop.start[1]! | 0;
      case CSR.lpend1: return this.hwloop.end[1]! | 0;
      case CSR.lpcount1: return this.hwloop.count[1]! | 0;
      case CSR.mhartid: case CSR.uhartid: return this.hartId;
      case CSR.privlv: return PRIVILEGE_MACHINE;
      case CSR.mvendorid: return OPENHW_VENDOR_ID;
      case CSR.marchid: return CV32E40P_ARCH_ID;
      case CSR.mimpid: return CV32E40P_IMPLEMENTATION_ID;
      default: {
        // mhpmcounter4..31 (high halves and user mirrors too) and mhpmevent4..31 exist but count nothing.
        return isIdleCounterCsr(csr) || isIdleCounterMirror(csr) ? 0 : undefined;
      }
    }
  }

  write(csr: CsrAddr, value: Word): void {
    if (isReadOnlyCsr(csr)) throw new Fault('illegal-instruction', `CSR ${hex(csr, 3)} is read-only`);
    if (!isWritableCsr(csr)) throw new Fault('illegal-instruction', `CSR ${hex(csr, 3)} is not writable`);
    const cycles = this.cycleSource();
    const instret = this.stats.instret;
    switch (csr) {
      // Only MIE and MPIE are writable; MPP stays machine mode.
      case CSR.mstatus: this.mstatus = (value & MSTATUS_WRITABLE) | MSTATUS_RESET; return;
      case CSR.mie: this.mie = value & IRQ_MASK; return;
      case CSR.mtvec:
        this.mtvec = value & (MTVEC_BASE_MASK | MTVEC_MODE_MASK);
        this.mtvecWritten = true;
        return;
      case CSR.mscratch: this.mscratch = value; return;
      case CSR.mepc: this.mepcValue = value & ~1; return;
      case CSR.mcause: this.mcause = value & MCAUSE_MASK; return;
      case CSR.mtval: return;
      case CSR.mcountinhibit:
        this.mcountinhibit = value & MCOUNTINHIBIT_MASK;
        this.cycle.inhibit(cycles + 1, ((value >>> MCOUNTINHIBIT_CYCLE_BIT) & 1) !== 0);
        this.instret.inhibit(instret + 1, ((value >>> MCOUNTINHIBIT_INSTRET_BIT) & 1) !== 0);
        this.hpm.inhibit(this.hpmWriteSource(), ((value >>> MCOUNTINHIBIT_HPM3_BIT) & 1) !== 0);
        return;
      case CSR.mcycle: this.cycle.writeLow(cycles, cycles + 1, value); return;
      case CSR.mcycleh: this.cycle.writeHigh(cycles, cycles + 1, value); return;
      case CSR.minstret: this.instret.writeLow(instret, instret + 1, value); return;
      case CSR.minstreth: this.instret.writeHigh(instret, instret + 1, value); return;
      case CSR.mhpmcounter3: this.hpm.writeLow(this.hpmSource(), this.hpmWriteSource(), value); return;
      case CSR.mhpmcounter3h: this.hpm.writeHigh(this.hpmSource(), this.hpmWriteSource(), value); return;
      case CSR.mhpmevent3: {
        // The counter goes on from its value under the old selection, then follows the new one.
        const count = this.hpm.value(this.hpmWriteSource());
        this.mhpmevent = value & MHPMEVENT_MASK;
        this.events.select(this.mhpmevent);
        this.hpm.set(this.hpmWriteSource(), count);
        return;
      }
      case CSR.misa: return; // WARL, fixed
      default: // an idle counter (isWritableCsr): the write is ignored
    }
  }
}
