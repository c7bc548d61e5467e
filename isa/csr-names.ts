/** CSR addresses the CV32E40P implements (user manual, control and status registers chapter). */
import { hex } from './bits.js';
import type { CsrAddr } from './types.js';

export const CSR = {
  mstatus: 0x300,
  misa: 0x301,
  mie: 0x304,
  mtvec: 0x305,
  mcountinhibit: 0x320,
  // The one programmable performance counter (NUM_MHPMCOUNTERS = 1) and its event selector.
  mhpmevent3: 0x323,
  mscratch: 0x340,
  mepc: 0x341,
  mcause: 0x342,
  mtval: 0x343,
  mip: 0x344,
  mcycle: 0xb00,
  minstret: 0xb02,
  mcycleh: 0xb80,
  minstreth: 0xb82,
  mhpmcounter3: 0xb03,
  mhpmcounter3h: 0xb83,
  cycle: 0xc00,
  instret: 0xc02,
  cycleh: 0xc80,
  instreth: 0xc82,
  hpmcounter3: 0xc03,
  hpmcounter3h: 0xc83,
  // CORE-V hardware-loop registers, read-only through csrr (written by the cv.* loop instructions).
  lpstart0: 0xcc0,
  lpend0: 0xcc1,
  lpcount0: 0xcc2,
  lpstart1: 0xcc4,
  lpend1: 0xcc5,
  lpcount1: 0xcc6,
  uhartid: 0xcd0,
  privlv: 0xcd1,
  mvendorid: 0xf11,
  marchid: 0xf12,
  mimpid: 0xf13,
  mhartid: 0xf14,
} as const satisfies Record<string, CsrAddr>;

const NAMES: ReadonlyMap<CsrAddr, string> = new Map(
  Object.entries(CSR).map(([name, addr]) => [addr, name] as const),
);
const ADDRS: ReadonlyMap<string, CsrAddr> = new Map(Object.entries(CSR));

export function csrName(addr: CsrAddr): string {
  return NAMES.get(addr) ?? hex(addr, 3);
}

export function parseCsr(text: string): CsrAddr | undefined {
  return ADDRS.get(text.trim().toLowerCase());
}

/**
 * The CSRs the CV32E40P decoder flags as status CSRs (user manual, "Cycle counts per instruction
 * type"; cv32e40p_decoder.sv, csr_status_o): an access to one flushes the pipeline. mstatus, mepc,
 * mtvec, mcause, the machine counters and their high halves, their unprivileged read-only mirrors
 * (cycle, instret, hpmcounter3..31 and high halves), mcountinhibit, mhpmevent3..31 and privlv. The
 * debug CSRs are not modelled.
 */
export const CV32E40P_STATUS_CSRS: ReadonlySet<CsrAddr> = new Set([
  CSR.mstatus, CSR.mepc, CSR.mtvec, CSR.mcause, CSR.mcountinhibit, CSR.privlv,
  CSR.mcycle, CSR.minstret, CSR.mcycleh, CSR.minstreth,
  CSR.cycle, CSR.instret, CSR.cycleh, CSR.instreth,
  ...Array.from({ length: 29 }, (_, i) => 0xb03 + i),
  ...Array.from({ length: 29 }, (_, i) => 0xb83 + i),
  ...Array.from({ length: 29 }, (_, i) => 0xc03 + i),
  ...Array.from({ length: 29 }, (_, i) => 0xc83 + i),
  ...Array.from({ length: 29 }, (_, i) => 0x323 + i),
]);
