/**
 * The fixed values, reset values and WARL masks of the CV32E40P's machine CSRs (CV32E40P user
 * manual, control and status registers chapter). One copy for the ISS's CSR file
 * (sim/core/csr-file.ts) and the core's CSR unit (hw/core/csr.ts), so that both hold the same bits.
 */
import type { CsrAddr } from './types.js';

/** misa: RV32 (MXL=1) with I, M, C and the non-standard X bit. */
export const MISA = (1 << 30) | (1 << 8) | (1 << 12) | (1 << 2) | (1 << 23);
export const OPENHW_VENDOR_ID = 0x602;
export const CV32E40P_ARCH_ID = 4;
/** mimpid: 1 in a CV32E40P v2 built with the CORE-V extensions (COREV_PULP), 0 without them. */
export const CV32E40P_IMPLEMENTATION_ID = 1;
/** privlv: the core runs in machine mode only. */
export const PRIVILEGE_MACHINE = 3;
/** The interrupt lines mie keeps (cv32e40p_pkg.sv IRQ_MASK): the 16 fast ones, external, timer, software. */
export const IRQ_MASK = 0xffff0888 | 0;
/** mcause keeps its interrupt bit and a 5-bit exception code. */
export const MCAUSE_MASK = 0x8000001f | 0;
/** mstatus.MPP = machine mode: the core never leaves it here. */
export const MSTATUS_RESET = 0x1800;
/** The mstatus bits a program can change: MIE (bit 3) and MPIE (bit 7). */
export const MSTATUS_MIE_BIT = 3;
export const MSTATUS_MPIE_BIT = 7;
export const MSTATUS_WRITABLE = (1 << MSTATUS_MIE_BIT) | (1 << MSTATUS_MPIE_BIT);
/**
 * mtvec keeps a 256-byte aligned base and the mode bit 0 (0 direct, 1 vectored; bit 1 reads 0:
 * cv32e40p_cs_registers.sv). Exceptions go to the base in both modes; only interrupts are vectored.
 */
export const MTVEC_BASE_MASK = 0xffffff00 | 0;
export const MTVEC_MODE_MASK = 1;
/**
 * The core resets mtvec to vectored mode at the base its `mtvec_addr_i` input gives; here, as in
 * the RTL testbench (gen/cv32e40p/testbench-driver.ts), that base is 0.
 */
export const MTVEC_RESET = 1;
/** mcountinhibit keeps CY (bit 0, mcycle) and IR (bit 2, minstret); no other counter counts. */
export const MCOUNTINHIBIT_CYCLE_BIT = 0;
export const MCOUNTINHIBIT_INSTRET_BIT = 2;
export const MCOUNTINHIBIT_MASK = (1 << MCOUNTINHIBIT_CYCLE_BIT) | (1 << MCOUNTINHIBIT_INSTRET_BIT);

/**
 * mhpmcounter3..31, their high halves and mhpmevent3..31: they exist (read zero, writes are
 * ignored) but count nothing. Inclusive address ranges.
 */
export const IDLE_COUNTER_CSRS: readonly (readonly [first: CsrAddr, last: CsrAddr])[] = [
  [0xb03, 0xb1f],
  [0xb83, 0xb9f],
  [0x323, 0x33f],
];

export function isIdleCounterCsr(csr: CsrAddr): boolean {
  return IDLE_COUNTER_CSRS.some(([first, last]) => csr >= first && csr <= last);
}

/** CSRs whose address has bits [11:10] = 11 are read-only (privileged spec, CSR address mapping). */
export function isReadOnlyCsr(csr: CsrAddr): boolean {
  return csr >>> 10 === 3;
}
