// What both of the core's testbenches (the HDL simulation, gen/core/run.ts, and Verilator,
// gen/core/verilator.ts) take as given about the core, so that they run a program identically.

export const ECALL = 0x00000073;
/** More instructions than can be between decode and a trap found in WB: older ones have retired. */
export const MAX_IN_FLIGHT = 4;
/** Cycles after an ecall leaves decode until every older instruction has written back (EX, WB). */
export const DRAIN_CYCLES = 3;

/**
 * Cycles the core spends before its first instruction leaves decode that the ISS does not model:
 * the ISS's first instruction ends in its cycle 1, the core's leaves decode in cycle 3 after reset
 * (fetch request and grant, instruction data into the decode register). Every cycle count of the
 * core is the ISS's plus this constant.
 */
export const CORE_STARTUP_CYCLES = 2;
/**
 * mcycle as the testbenches preset it after reset so that a program reads the ISS's values: the
 * core reads its CSRs in EX, one cycle after decode, and counts every cycle from reset.
 */
export const MCYCLE_PRESET = -(CORE_STARTUP_CYCLES + 1);
