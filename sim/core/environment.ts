/**
 * What ecall, ebreak and wfi mean for a bare-metal program with no trap handler. The default
 * convention is the one of riscv-pk / newlib's libgloss (a7 = syscall number, a0..a2 = arguments,
 * result in a0), restricted to what a kernel benchmark needs:
 *   a7 = 93  exit(a0)                  stop; a0 is the exit code
 *   a7 = 64  write(a0 = fd, a1 = buf, a2 = len)   fd 1 or 2; returns len
 * ebreak stops the program (exit code 0 unless set), and wfi with nothing to wake the core stops it too.
 * Another ecall is an environment fault carrying the trap cause of an ecall: a hart that takes
 * traps sends it to the program's handler (docs/iss.md#traps); ebreak reaches the environment only
 * when the hart does not take traps.
 */
import { hex } from '../../isa/bits.js';
import type { Addr, Word } from '../../isa/types.js';
import { Fault, TRAP_CAUSE } from '../../isa/fault.js';

export type HaltReason =
  | { readonly kind: 'exit'; readonly code: number }
  | { readonly kind: 'ebreak' }
  | { readonly kind: 'wfi' };

/** The view of a hart an environment gets. */
export interface EnvironmentPort {
  readonly regs: Int32Array;
  readonly pc: Addr;
  readBytes(addr: Addr, length: number): Uint8Array;
  halt(reason: HaltReason): void;
}

export interface Environment {
  ecall(hart: EnvironmentPort): void;
  ebreak(hart: EnvironmentPort): void;
  wfi(hart: EnvironmentPort): void;
}

export const SYSCALL = { write: 64, exit: 93 } as const;

const A0 = 10;
const A1 = 11;
const A2 = 12;
const A7 = 17;

export class SyscallEnvironment implements Environment {
  /** Receives everything written to fd 1 and 2. */
  constructor(private readonly output: (text: string, fd: number) => void = () => {}) {}

  ecall(hart: EnvironmentPort): void {
    const number = hart.regs[A7]!;
    switch (number) {
      case SYSCALL.exit:
        hart.halt({ kind: 'exit', code: hart.regs[A0]! });
        return;
      case SYSCALL.write: {
        const fd = hart.regs[A0]!;
        const length: Word = hart.regs[A2]!;
        if (fd !== 1 && fd !== 2) throw new Fault('environment', `write to unsupported file descriptor ${fd}`);
        const bytes = hart.readBytes(hart.regs[A1]! >>> 0, length >>> 0);
        this.output(new TextDecoder().decode(bytes), fd);
        hart.regs[A0] = length;
        return;
      }
      default:
        throw new Fault('environment', `unsupported ecall a7=${number} (${hex(number)})`, TRAP_CAUSE.ecallFromMachineMode);
    }
  }

  ebreak(hart: EnvironmentPort): void {
    hart.halt({ kind: 'ebreak' });
  }

  wfi(hart: EnvironmentPort): void {
    hart.halt({ kind: 'wfi' });
  }
}
