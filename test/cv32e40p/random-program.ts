/**
 * Constrained-random programs for differential testing of the ISS against the CV32E40P RTL: one
 * seed gives one whole assembly program (for the project's assembler, base CV32E40P table) that
 * always terminates and never faults on the real core.
 *
 * - Instructions: RV32IMC, the XCV set and Zicsr, drawn from the instruction table's rows by their
 *   declared effects, timing class and format (`random-program/instructions.ts`), so new rows are
 *   generated without a change here. Straight-line code mixes them with hazard-dense pairs
 *   (load-use, load then overwrite, a post-increment load into its own base, multiplier and divider
 *   back to back); structured snippets add divides of every sign and by zero, forward branches
 *   taken and not taken, bounded backward loops, hardware loops by every set-up form and nested
 *   (the CV32E40P loop rules: aligned, bodies of 3 or more 32-bit instructions without control
 *   transfers, loop 0 inside loop 1 ending 2+ instructions earlier), jal and jalr (base produced or
 *   loaded just before, rd == rs1, odd targets) to word- and halfword-aligned targets, compressed
 *   code, jumps and branches, calls with an RVC epilogue, fences and CSRs.
 * - Cost: with the default 24 snippets, about 6,000 cycles on average and under 10,000 (the
 *   checksum takes about 3,000 of them).
 * - CSRs: only those whose value the ISS and the core agree on from reset are read (mstatus, misa,
 *   mie, mscratch, mepc, mcause, mtval, the ids, uhartid, privlv, the hardware-loop CSRs), by every
 *   Zicsr form; mscratch, mie, mepc, mcause and mtval are also written (WARL masks compared). The
 *   counters are never read: they include the start-up cycles, which the two do not share. mtvec
 *   and mip depend on the testbench (boot address, interrupt lines) and are not read either.
 * - Memory: the PULP map (the assembler's default): code from the base of L2, then a 2 KiB data
 *   region in L2 of random words. s0 holds its base, sp points into it and s1 is the
 *   post-increment pointer; every access, misaligned ones included, stays inside the buffer
 *   whatever the loop counts (builder.ts), and the last 256 bytes hold saved return addresses.
 * - End: every register and then every data word is folded into a0, which is the exit code of
 *   `li a7, 93; ecall`, or, with `exit: 'tohost'`, stored as (a0 << 1) | 1 to the `tohost` word.
 * - `xnmsparse: true` (for the project's core with the extension, test/core/random.test.ts) adds
 *   runs of Xnmsparse revision 2 (`random-program/xnmsparse.ts`), whose sums x28..x31 the
 *   checksum folds with every register; `traps: true` installs a handler and adds trapping
 *   instructions (`random-program/traps.ts`); `interrupts: true` arms the CLINT timer with a
 *   handler that re-arms it (`random-program/interrupts.ts`); with both, exceptions reach the
 *   trap handler through the vector table's first entry. Without them the program is what it
 *   always was.
 */
import { Random } from '../../util/random.js';
import { regName } from '../../isa/registers.js';
import { BASE, Builder, DATA_BYTES, POINTER, POINTER_HOME, POOL, SP, SP_OFFSET } from './random-program/builder.js';
import {
  branchLoop, call, csrAccess, divide, fence, forwardBranch, hardwareLoop, jalrHazard, jump, nestedLoops, performanceCounter,
} from './random-program/snippets.js';
import { installTrapHandler, trap } from './random-program/traps.js';
import { installInterrupts, IRQ_SAVE } from './random-program/interrupts.js';
import { macLoop, macRun } from './random-program/xnmsparse.js';
import { compressedRun, loadIntoPointer, loadOverwrite, loadUse, multiplierRun, straightLine } from './random-program/straight-line.js';

export interface RandomProgramOptions {
  /** Snippets (straight-line runs, loops, branches, calls...) in the program; default 24. */
  readonly snippets?: number;
  /** How the program ends: `ecall` with a7 = 93 (the default) or a store to `tohost`. */
  readonly exit?: 'ecall' | 'tohost';
  /**
   * Also Xnmsparse revision 2 (random-program/xnmsparse.ts), for the project's core with the
   * extension: assemble with its table. Off, the program is the same as before the option existed.
   */
  readonly xnmsparse?: boolean;
  /** Also traps (random-program/traps.ts), with a handler installed at the start. Off, as `xnmsparse`. */
  readonly traps?: boolean;
  /** Also timer interrupts (random-program/interrupts.ts), taken all through the program. Off, as `xnmsparse`. */
  readonly interrupts?: boolean;
}

export interface RandomProgram {
  /** The whole program: `_start`, the code, the exit, the subroutines, the data. */
  readonly source: string;
  /** What it exercises ('hwloop-nested', 'branch-taken', 'misaligned'...). */
  readonly features: Set<string>;
}

/** Each kind of snippet with its weight. */
const SNIPPETS: readonly [number, (b: Builder) => void][] = [
  [4, (b) => straightLine(b, 3 + b.random.below(6))],
  [2, (b) => compressedRun(b, 1 + b.random.below(6))],
  [2, divide],
  [1, multiplierRun],
  [1, loadUse],
  [1, loadOverwrite],
  [1, loadIntoPointer],
  [2, forwardBranch],
  [1, branchLoop],
  [2, hardwareLoop],
  [1, nestedLoops],
  [1, jump],
  [2, jalrHazard],
  [1, call],
  [1, fence],
  [1, csrAccess],
  [1, performanceCounter],
];
/** With Xnmsparse: runs of nm.mac4 about as often as straight-line code, and in hardware loops. */
const XNMSPARSE_SNIPPETS: readonly [number, (b: Builder) => void][] = [[4, macRun], [2, macLoop]];
const TRAP_SNIPPETS: readonly [number, (b: Builder) => void][] = [[2, trap]];

const totalWeight = (snippets: readonly [number, unknown][]): number => snippets.reduce((sum, [weight]) => sum + weight, 0);

function snippet(b: Builder, snippets: readonly [number, (b: Builder) => void][]): void {
  let roll = b.random.below(totalWeight(snippets));
  for (const [weight, emit] of snippets) {
    if (roll < weight) return emit(b);
    roll -= weight;
  }
}

const reg = regName;
const A0 = 10;
const TEMP = 31;

/** Fold every register into a0, then every data word (a backward loop), leaving the checksum in a0. */
function checksum(b: Builder): void {
  b.emit(`xor a0, a0, ${reg(TEMP)}`);
  for (let r = 1; r < 32; r++) {
    if (r === A0 || r === TEMP) continue;
    b.emit(`slli ${reg(TEMP)}, a0, 3`);
    b.emit(`add a0, a0, ${reg(TEMP)}`);
    b.emit(`xor a0, a0, ${reg(r)}`);
  }
  const loop = b.label();
  b.emit(`mv t0, ${reg(BASE)}`);
  b.emit(`li t1, ${DATA_BYTES / 4}`);
  b.place(loop);
  b.emit('lw t2, 0(t0)');
  b.emit(`slli ${reg(TEMP)}, a0, 3`);
  b.emit(`add a0, a0, ${reg(TEMP)}`);
  b.emit('xor a0, a0, t2');
  b.emit('addi t0, t0, 4');
  b.emit('addi t1, t1, -1');
  b.emit(`bnez t1, ${loop}`);
}

export function randomProgram(seed: number, options: RandomProgramOptions = {}): RandomProgram {
  const { snippets = 24, exit = 'ecall', xnmsparse = false, traps = false, interrupts = false } = options;
  const kinds = [...SNIPPETS, ...(xnmsparse ? XNMSPARSE_SNIPPETS : []), ...(traps ? TRAP_SNIPPETS : [])];
  const random = new Random(seed);
  const b = new Builder(random, traps);
  b.emit('.option norvc');
  b.emit('.text');
  b.emit('.globl _start');
  b.place('_start');
  b.emit(`la ${reg(BASE)}, data`);
  b.emit(`addi ${reg(SP)}, ${reg(BASE)}, ${SP_OFFSET}`);
  b.emit(`addi ${reg(POINTER)}, ${reg(BASE)}, ${POINTER_HOME}`);
  if (traps) installTrapHandler(b);
  if (interrupts) installInterrupts(b, traps);
  for (const r of POOL) b.emit(`li ${reg(r)}, ${b.interestingValue()}`);
  for (let i = 0; i < snippets; i++) {
    if (random.chance(0.3)) b.resetPointer();
    snippet(b, kinds);
  }
  checksum(b);
  if (exit === 'ecall') {
    b.emit('li a7, 93');
    b.emit('ecall');
  } else {
    const halt = b.label();
    b.emit('slli a0, a0, 1');
    b.emit('ori a0, a0, 1');
    b.emit('la t0, tohost');
    b.emit('sw a0, 0(t0)');
    b.place(halt);
    b.emit(`j ${halt}`);
  }
  const words = Array.from({ length: DATA_BYTES / 4 }, () => `  .word ${random.uint32() | 0}`);
  const data = ['  .data', '  .balign 4', 'data:', ...words, '  .globl tohost', 'tohost:', '  .word 0', ...(interrupts ? [`${IRQ_SAVE}:`, '  .word 0'] : [])];
  return { source: [...b.lines, ...b.tail, ...data, ''].join('\n'), features: b.features };
}
