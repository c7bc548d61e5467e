/**
 * The machine-mode CSRs of the CV32E40P that a bare-metal program touches. Unknown CSRs, writes to
 * read-only CSRs and csrw to the hardware-loop CSRs are illegal instructions, as on the core.
 */
import { hex } from '../../isa/bits.js';
import { CSR } from '../../isa/csr-names.js';
import type { CsrAddr, HwLoopRegs, Word } from '../../isa/types.js';
import { Fault } from '../../isa/fault.js';
import {
  CV32E40P_ARCH_ID, CV32E40P_IMPLEMENTATION_ID, IRQ_MASK, isIdleCounterCsr, isReadOnlyCsr, MCAUSE_MASK, MCOUNTINHIBIT_CYCLE_BIT,
  MCOUNTINHIBIT_INSTRET_BIT, MCOUNTINHIBIT_MASK, MISA, MSTATUS_MIE_BIT, MSTATUS_MPIE_BIT, MSTATUS_RESET, MSTATUS_WRITABLE, MTVEC_BASE_MASK,
  MTVEC_MODE_MASK, MTVEC_RESET, OPENHW_VENDOR_ID, PRIVILEGE_MACHINE,
} from '../../isa/csr-values.js';

const MSTATUS_MIE = 1 << MSTATUS_MIE_BIT;
const MSTATUS_MPIE = 1 << MSTATUS_MPIE_BIT;
import type { CoreStats } from './timing.js';

const TWO_32 = 2 ** 32;

/** A 64-bit counter derived from a free-running source, writable, and freezable by mcountinhibit. */
class Counter {
  private offset = 0;
  private frozen: number | undefined;

  value(source: number): number {
    return this.frozen ?? source - this.offset;
  }

  set(source: number, value: number): void {
    if (this.frozen !== undefined) this.frozen = value;
    else this.offset = source - value;
  }

  inhibit(source: number, on: boolean): void {
    if (on && this.frozen === undefined) this.frozen = source - this.offset;
    if (!on && this.frozen !== undefined) {
      this.offset = source - this.frozen;
      this.frozen = undefined;
    }
  }

  readLow(source: number): Word {
    return this.value(source) % TWO_32 | 0;
  }

  readHigh(source: number): Word {
    return Math.floor(this.value(source) / TWO_32) | 0;
  }

  writeLow(source: number, low: Word): void {
    this.set(source, this.readHigh(source) * TWO_32 + (low >>> 0));
  }

  writeHigh(source: number, high: Word): void {
    this.set(source, (high >>> 0) * TWO_32 + (this.readLow(source) >>> 0));
  }
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

  constructor(
    private readonly hartId: number,
    private readonly stats: CoreStats,
    private readonly hwloop: HwLoopRegs,
  ) {}

  get mepc(): number {
    return this.mepcValue;
  }

  /** Where a trap goes: the base of mtvec (exceptions are not vectored). */
  get trapVector(): number {
    return this.mtvec & MTVEC_BASE_MASK;
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
    const cycles = this.stats.cycles;
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
      case CSR.mip: return 0;
      case CSR.mcycle: case CSR.cycle: return this.cycle.readLow(cycles);
      case CSR.mcycleh: case CSR.cycleh: return this.cycle.readHigh(cycles);
      case CSR.minstret: case CSR.instret: return this.instret.readLow(instret);
      case CSR.minstreth: case CSR.instreth: return this.instret.readHigh(instret);
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
        // mhpmcounter3..31 (and high halves) and mhpmevent3..31 exist but count nothing here.
        if (isIdleCounterCsr(csr)) return 0;
        throw new Fault('illegal-instruction', `CSR ${hex(csr, 3)} is not implemented`);
      }
    }
  }

  write(csr: CsrAddr, value: Word): void {
    if (isReadOnlyCsr(csr)) throw new Fault('illegal-instruction', `CSR ${hex(csr, 3)} is read-only`);
    const cycles = this.stats.cycles;
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
        this.cycle.inhibit(cycles, ((value >>> MCOUNTINHIBIT_CYCLE_BIT) & 1) !== 0);
        this.instret.inhibit(instret, ((value >>> MCOUNTINHIBIT_INSTRET_BIT) & 1) !== 0);
        return;
      case CSR.mcycle: this.cycle.writeLow(cycles, value); return;
      case CSR.mcycleh: this.cycle.writeHigh(cycles, value); return;
      case CSR.minstret: this.instret.writeLow(instret, value); return;
      case CSR.minstreth: this.instret.writeHigh(instret, value); return;
      case CSR.misa: return; // WARL, fixed
      default: {
        if (isIdleCounterCsr(csr)) return;
        throw new Fault('illegal-instruction', `CSR ${hex(csr, 3)} is not writable`);
      }
    }
  }
}
