/**
 * Traps for random programs (randomProgram's `traps` option), now that the ISS and the project's
 * core both take them (docs/iss.md#traps): the program installs a handler at its start (writing
 * mtvec, which makes the 'auto' policy take traps on the ISS and in both harnesses), and a snippet
 * raises one exception the CV32E40P takes: ebreak or c.ebreak (cause 3), an undecodable word or a
 * CSR access the core rejects (2), an ecall the environment does not serve (11). The handler returns
 * to mepc + 4: past a 32-bit trapping instruction, or past c.ebreak and the c.nop after it; it keeps the one register it needs in mscratch and gives it back,
 * so the program goes on as if the instruction had done nothing (which, trapping, it has). The
 * trap CSRs it leaves (mepc, mcause, mstatus) are read later by the CSR snippets.
 */
import { regName } from '../../../isa/registers.js';
import type { Builder } from './builder.js';

const TEMP = 31;
const A7 = 17;
export const TRAP_HANDLER = 'random_trap_handler';

/** Point mtvec at the handler (before the registers get their first values). */
export function installTrapHandler(b: Builder): void {
  b.emit(`la ${regName(TEMP)}, ${TRAP_HANDLER}`);
  b.emit(`csrw mtvec, ${regName(TEMP)}`);
  b.inTail(() => {
    // mtvec keeps bits 31:8 of the base.
    b.emit('.align 8');
    b.place(TRAP_HANDLER);
    b.emit(`csrw mscratch, ${regName(TEMP)}`);
    b.emit(`csrr ${regName(TEMP)}, mepc`);
    b.emit(`addi ${regName(TEMP)}, ${regName(TEMP)}, 4`);
    b.emit(`csrw mepc, ${regName(TEMP)}`);
    b.emit(`csrr ${regName(TEMP)}, mscratch`);
    b.emit('mret');
  });
}

/** A CSR number the core does not have (the ISS's CSR file neither). */
const MISSING_CSR = 0x7ff;
/** Values of a7 that are neither exit (93) nor write (64): the environment leaves those ecalls to the handler. */
const UNSERVED_ECALLS = [0, 1, 63, 65, 92, 94, 1000];

/**
 * One trapping instruction; `inLoopBody` in a hardware-loop body (of any count, one included),
 * where every instruction must be 32-bit.
 */
export function trap(b: Builder, inLoopBody = false): void {
  switch (b.random.below(5)) {
    case 0:
      // Outside hardware-loop bodies: their other instructions are all 32-bit.
      if (inLoopBody || b.random.chance(0.5)) {
        b.feature('trap-ebreak');
        b.emit('ebreak');
      } else {
        b.feature('trap-c.ebreak');
        // Under .option rvc the assembler writes both in their compressed forms.
        b.emit('.option rvc');
        b.emit('ebreak');
        b.emit('nop');
        b.emit('.option norvc');
      }
      break;
    case 1:
      b.feature('trap-illegal-word');
      b.emit('.word 0xffffffff');
      break;
    case 2:
      b.feature('trap-illegal-csr');
      b.emit(`csrr ${regName(b.dest())}, ${MISSING_CSR}`);
      break;
    case 3:
      b.feature('trap-read-only-csr');
      b.emit(`csrw mhartid, ${regName(b.source())}`);
      break;
    default:
      if (!b.writable(A7)) return;
      b.feature('trap-ecall');
      b.emit(`li ${regName(A7)}, ${b.random.pick(UNSERVED_ECALLS)}`);
      b.wrote(A7);
      b.emit('ecall');
  }
}
