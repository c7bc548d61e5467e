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
/**
 * The interrupt lines by number (mip, mie and mcause's code): the standard machine software, timer
 * and external lines, and the first of the 16 fast (platform) lines 16..31.
 */
export const IRQ_LINE = { software: 3, timer: 7, external: 11, firstFast: 16 } as const;
/** mcause's interrupt bit, set above the line number when an interrupt is taken. */
export const MCAUSE_INTERRUPT = 0x8000_0000 | 0;
/**
 * The line an interrupt is taken for when several are pending and enabled, as the CV32E40P's
 * interrupt controller orders them: the fast lines, highest number first, then external (11),
 * software (3), timer (7). `lines` is a mask of pending and enabled lines, within IRQ_MASK.
 */
export function interruptPriority(lines: number): number | undefined {
  const fast = lines >>> IRQ_LINE.firstFast;
  if (fast !== 0) return 31 - Math.clz32(fast) + IRQ_LINE.firstFast;
  for (const line of [IRQ_LINE.external, IRQ_LINE.software, IRQ_LINE.timer]) if (((lines >>> line) & 1) !== 0) return line;
  return undefined;
}
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
/**
 * mcountinhibit keeps CY (bit 0, mcycle), IR (bit 2, minstret) and HPM3 (bit 3, mhpmcounter3): the
 * counters a CV32E40P built with one programmable counter (NUM_MHPMCOUNTERS = 1) implements.
 */
export const MCOUNTINHIBIT_CYCLE_BIT = 0;
export const MCOUNTINHIBIT_INSTRET_BIT = 2;
export const MCOUNTINHIBIT_HPM3_BIT = 3;
export const MCOUNTINHIBIT_MASK = (1 << MCOUNTINHIBIT_CYCLE_BIT) | (1 << MCOUNTINHIBIT_INSTRET_BIT) | (1 << MCOUNTINHIBIT_HPM3_BIT);

/**
 * The events mhpmevent3 selects, by bit (CV32E40P user manual, "Performance Counters";
 * docs/cv32e40p.md#performance-counter says when each fires). mhpmcounter3 counts the cycles in
 * which any selected event is active. Bits 11 to 15 exist but stay inactive in this configuration
 * (no cluster, no APU).
 */
export const HPM_EVENT = {
  cycle: 0,
  instret: 1,
  loadStall: 2,
  jumpRegisterStall: 3,
  fetchMiss: 4,
  load: 5,
  store: 6,
  jump: 7,
  branch: 8,
  branchTaken: 9,
  compressed: 10,
} as const;
/** The bits of mhpmevent3 that hold a value: one per event; the others read 0. */
export const MHPMEVENT_MASK = 0xffff;

/**
 * mhpmcounter4..31, their high halves and mhpmevent4..31: they exist (read zero, writes are
 * ignored) but count nothing. Inclusive address ranges.
 */
export const IDLE_COUNTER_CSRS: readonly (readonly [first: CsrAddr, last: CsrAddr])[] = [
  [0xb04, 0xb1f],
  [0xb84, 0xb9f],
  [0x324, 0x33f],
];

/** Their read-only user mirrors hpmcounter4..31 and high halves: read zero. */
export const IDLE_COUNTER_MIRRORS: readonly (readonly [first: CsrAddr, last: CsrAddr])[] = [
  [0xc04, 0xc1f],
  [0xc84, 0xc9f],
];

const inRanges = (csr: CsrAddr, ranges: readonly (readonly [CsrAddr, CsrAddr])[]): boolean =>
  ranges.some(([first, last]) => csr >= first && csr <= last);

export function isIdleCounterCsr(csr: CsrAddr): boolean {
  return inRanges(csr, IDLE_COUNTER_CSRS);
}

export function isIdleCounterMirror(csr: CsrAddr): boolean {
  return inRanges(csr, IDLE_COUNTER_MIRRORS);
}

/** CSRs whose address has bits [11:10] = 11 are read-only (privileged spec, CSR address mapping). */
export function isReadOnlyCsr(csr: CsrAddr): boolean {
  return csr >>> 10 === 3;
}
