// The environment calls the RTL testbenches service, as the ISS's SyscallEnvironment does
// (sim/core/environment.ts, which gen/ may not import): exit(a0) and write(fd 1 or 2, buf, len),
// the riscv-pk numbering. A testbench lets the ecall's predecessors write back, reads a0..a2 and a7
// from the register file, and calls this.
//
// A write is done by the testbench while the core takes its trap into the small handler below,
// which returns to the instruction after the ecall with every register untouched; the testbench
// sets a0 to the length, leaves the handler's cycles and instructions out of every count and
// corrects mcycle and minstret, so the program sees the ecall cost one cycle, as on the ISS.

/** riscv-pk's system call numbers (a7). */
export const SYSCALL_NUMBER = { write: 64, exit: 93 } as const;

/** The trap vector the testbenches leave mtvec at (its reset value on both cores). */
export const ECALL_HANDLER_BASE = 0;

/** The handler at mtvec: back to mepc + 4, t0 saved in mscratch. */
export const ECALL_HANDLER: readonly number[] = [
  0x34029073, // csrw mscratch, t0
  0x341022f3, // csrr t0, mepc
  0x00428293, // addi t0, t0, 4
  0x34129073, // csrw mepc, t0
  0x340022f3, // csrr t0, mscratch
  0x30200073, // mret
];

/** First address after the handler: an instruction leaving decode below it is the handler's. */
export const ECALL_HANDLER_END = ECALL_HANDLER_BASE + 4 * ECALL_HANDLER.length;

/** The handler as a segment of the program image. */
export function ecallHandlerSegment(): { readonly address: number; readonly bytes: Uint8Array } {
  const bytes = new Uint8Array(4 * ECALL_HANDLER.length);
  const view = new DataView(bytes.buffer);
  ECALL_HANDLER.forEach((word, i) => view.setUint32(4 * i, word, true));
  return { address: ECALL_HANDLER_BASE, bytes };
}

export type EcallOutcome =
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'write'; readonly fd: number; readonly bytes: Uint8Array; readonly a0: number }
  | { readonly kind: 'unsupported' };

/** What the ecall with registers a0..a2, a7 does; `read` gives `length` bytes of memory. */
export function environmentCall(regs: { a0: number; a1: number; a2: number; a7: number }, read: (address: number, length: number) => Uint8Array): EcallOutcome {
  if (regs.a7 === SYSCALL_NUMBER.exit) return { kind: 'exit', code: regs.a0 | 0 };
  if (regs.a7 === SYSCALL_NUMBER.write && (regs.a0 === 1 || regs.a0 === 2)) {
    return { kind: 'write', fd: regs.a0, bytes: read(regs.a1 >>> 0, regs.a2 >>> 0), a0: regs.a2 };
  }
  return { kind: 'unsupported' };
}
