/**
 * Timer interrupts for random programs (randomProgram's `interrupts` option): the program arms the
 * platform's CLINT timer at its start, enables it in mie and mstatus, and a handler re-arms it a
 * fixed, seed-drawn period after the mtime it reads, so that interrupts land all over the program
 * (straight-line code, loads, divides, branches, hardware-loop bodies, the checksum), each taken
 * where the timing model says. mtvec is vectored: exceptions go to its base, where the trap handler
 * is reached when the program also traps (random-program/traps.ts), and the timer to entry 7. The
 * handler keeps the two registers it needs in mscratch and in a word of its own, and returns to
 * mepc, so the program goes on as if nothing happened but for the cycles.
 */
import { regName } from '../../../isa/registers.js';
import { IRQ_LINE } from '../../../isa/csr-values.js';
import { CLINT_BASE, CLINT } from '../../../isa/platform/memory-map.js';
import type { Builder } from './builder.js';
import { TRAP_HANDLER } from './traps.js';

const TEMP = 31;
const SECOND = 30;
export const IRQ_SAVE = 'random_irq_save';
const VECTORS = 'random_vectors';
const IRQ_HANDLER = 'random_irq_handler';
const MSTATUS_MIE = 8;
/** Cycles between interrupts: from often (several per snippet) to rarely. */
const MIN_PERIOD = 40;
const PERIOD_SPREAD = 400;

/** Set mtimecmp to the mtime a load reads plus `period` (uses TEMP and SECOND). */
function arm(b: Builder, period: number): void {
  b.emit(`li ${regName(SECOND)}, ${CLINT_BASE + CLINT.MTIME}`);
  b.emit(`lw ${regName(TEMP)}, 0(${regName(SECOND)})`);
  b.emit(`addi ${regName(TEMP)}, ${regName(TEMP)}, ${period}`);
  b.emit(`li ${regName(SECOND)}, ${CLINT_BASE + CLINT.MTIMECMP}`);
  b.emit(`sw ${regName(TEMP)}, 0(${regName(SECOND)})`);
  b.emit(`sw zero, 4(${regName(SECOND)})`);
}

/** At the start, before the registers get their first values: vectors, handler, the first arming, enables. */
export function installInterrupts(b: Builder, traps: boolean): void {
  const period = MIN_PERIOD + b.random.below(PERIOD_SPREAD);
  b.feature('interrupt-timer');
  b.emit(`la ${regName(TEMP)}, ${VECTORS} + 1`);
  b.emit(`csrw mtvec, ${regName(TEMP)}`);
  arm(b, period);
  b.emit(`li ${regName(TEMP)}, ${1 << IRQ_LINE.timer}`);
  b.emit(`csrw mie, ${regName(TEMP)}`);
  b.emit(`csrsi mstatus, ${MSTATUS_MIE}`);
  b.inTail(() => {
    // mtvec keeps bits 31:8 of the base; entry n is at base + 4n.
    b.emit('.align 8');
    b.place(VECTORS);
    for (let line = 0; line < IRQ_LINE.timer; line++) b.emit(line === 0 && traps ? `jal zero, ${TRAP_HANDLER}` : 'ebreak');
    b.emit(`jal zero, ${IRQ_HANDLER}`);
    b.place(IRQ_HANDLER);
    b.emit(`csrw mscratch, ${regName(TEMP)}`);
    b.emit(`la ${regName(TEMP)}, ${IRQ_SAVE}`);
    b.emit(`sw ${regName(SECOND)}, 0(${regName(TEMP)})`);
    arm(b, period);
    b.emit(`la ${regName(TEMP)}, ${IRQ_SAVE}`);
    b.emit(`lw ${regName(SECOND)}, 0(${regName(TEMP)})`);
    b.emit(`csrr ${regName(TEMP)}, mscratch`);
    b.emit('mret');
  });
}
