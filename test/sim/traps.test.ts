import { describe, expect, it } from 'vitest';
import { TRAP_CAUSE } from '../../isa/fault.js';
import { CV32E40P_TIMING } from '../../sim/core/timing.js';
import { EnvironmentError, IllegalInstructionError, MemoryAccessError } from '../../sim/core/errors.js';
import { loadProgram, runElf, type ProgramOptions } from '../../sim/program.js';
import type { TrapEvent } from '../../sim/core/retire.js';
import { simulate } from '../../sim/simulate.js';
import { RECORD_WORDS, TRAP_PROGRAMS, trapProgram } from '../cv32e40p/trap-programs.js';
import { program } from './support/single-core-programs.js';
import { elfOf } from './support/engines.js';

const MSTATUS_MPP_M = 0x1800;

interface TrapRecord {
  readonly cause: number;
  /** mepc less the program's start. */
  readonly offset: number;
  readonly mtval: number;
  readonly mstatus: number;
}

/** Run a program of trap-programs.ts; what its handler recorded, and the run. */
function runTraps(source: string, options: ProgramOptions = {}) {
  const run = runElf(elfOf(source), { maxCycles: 1_000_000, ...options });
  const base = run.image.symbols.get('records')!;
  const traps = run.hart.regs[9]!; // s1 counts them
  const word = (i: number): number => run.memory.read(base + 4 * i, 4, false) >>> 0;
  const records: TrapRecord[] = Array.from({ length: traps }, (_, t) => {
    const at = t * RECORD_WORDS;
    return { cause: word(at), offset: word(at + 1), mtval: word(at + 2), mstatus: word(at + 3) };
  });
  return { ...run, records };
}

describe('traps taken (docs/iss.md#traps)', () => {
  it.each(TRAP_PROGRAMS)('%s: exits with its trap count, mtval 0, MPP machine mode', (_, source, traps) => {
    const { stop, records } = runTraps(source);
    expect(stop).toEqual({ kind: 'exit', code: traps });
    expect(records).toHaveLength(traps);
    for (const r of records) {
      expect(r.mtval).toBe(0);
      expect(r.mstatus & MSTATUS_MPP_M).toBe(MSTATUS_MPP_M);
    }
  });

  it.each(TRAP_PROGRAMS)('%s: the interpreter and compiled blocks agree', (_, source) => {
    const interpreted = runTraps(source, { blocks: false });
    const compiled = runTraps(source, { blocks: true });
    expect(compiled.stop).toEqual(interpreted.stop);
    expect(compiled.records).toEqual(interpreted.records);
    expect({ ...compiled.hart.stats }).toEqual({ ...interpreted.hart.stats });
    expect(Array.from(compiled.hart.regs)).toEqual(Array.from(interpreted.hart.regs));
  });

  it('records the cause and the trapping instruction: illegal words, an ecall, ebreak and c.ebreak', () => {
    const illegal = runTraps(TRAP_PROGRAMS[0]![1]).records;
    expect(illegal.map((r) => r.cause)).toEqual([2, 2, 2, 2]);
    // addi, then the 32-bit illegal word at +0x20 (after the 28-byte install), addi, the zero halfword...
    expect(illegal.map((r) => r.offset)).toEqual([0x20, 0x28, 0x2e, 0x36]);
    const calls = runTraps(TRAP_PROGRAMS[1]![1]).records;
    expect(calls.map((r) => r.cause)).toEqual([TRAP_CAUSE.ecallFromMachineMode, TRAP_CAUSE.breakpoint, TRAP_CAUSE.breakpoint]);
  });

  it('saves MIE in MPIE and clears it; mret restores MIE from MPIE and sets MPIE', () => {
    const { records, hart } = runTraps(TRAP_PROGRAMS[2]![1]);
    expect(records.map((r) => r.mstatus)).toEqual([0x1880, 0x1800]);
    // a2 = mstatus after the first mret (MIE and MPIE set), a3 after the second (MIE was clear: MPIE only).
    expect(hart.regs[12]! >>> 0).toBe(0x1888);
    expect(hart.regs[13]! >>> 0).toBe(0x1880);
  });

  it('keeps mtvec\'s base (bits 31:8) and mode bit; exceptions go to the base in vectored mode too', () => {
    const { hart, image, stop } = runTraps(TRAP_PROGRAMS[5]![1]);
    expect(stop).toEqual({ kind: 'exit', code: 2 });
    const handler = image.symbols.get('trap_handler')!;
    expect(handler % 256).toBe(0);
    expect(hart.regs[12]! >>> 0).toBe(handler | 1);
    expect(hart.csrRead(0x305) >>> 0).toBe(handler | 1);
  });

  it('charges a trap entry its measured cycles: 4 for a decoded instruction, 5 for a word the decoder rejects', () => {
    const cycles = (body: string): number => runTraps(trapProgram(body)).hart.stats.trapCycles;
    expect(cycles('  ebreak')).toBe(CV32E40P_TIMING.exceptionEntry);
    expect(cycles('  li a7, 7\n  ecall')).toBe(CV32E40P_TIMING.exceptionEntry);
    expect(cycles('  csrw mhartid, a1')).toBe(CV32E40P_TIMING.exceptionEntry);
    expect(cycles('  .word 0xffffffff')).toBe(CV32E40P_TIMING.illegalEncodingEntry);
  });

  it('flushes at once for an illegal word or CSR access decoded in the loop state: no load-use stall, one cycle sooner behind an instruction holding EX', () => {
    const named = (start: string): string => TRAP_PROGRAMS.find(([name]) => name.startsWith(start))![1];
    const behindEx = runTraps(named('in a loop body, an illegal word right after a divide')).hart.stats;
    // Five of the six come right after a div or mulh in the loop state; the last, after an mret
    // into the final iteration, in plain DECODE, which waits for the mulh.
    const { exceptionEntry, loopStateFlushOverlap } = CV32E40P_TIMING;
    expect(behindEx.trapCycles).toBe(5 * (exceptionEntry - loopStateFlushOverlap) + exceptionEntry);
    const afterLoad = runTraps(named('in a loop body, the illegal CSR access right after the load')).hart;
    // The handler's lhu stalls its andi once per trap; of the six illegal CSR accesses right after
    // their load, only the last, in plain DECODE, waits for it, and only it counts the event (a3).
    expect(afterLoad.stats.trapCycles).toBe(6 * exceptionEntry);
    expect(afterLoad.stats.loadUseStalls).toBe(6 + 1);
    expect(afterLoad.regs[13]).toBe(6 + 1);
  });
});

describe('access faults, which the CV32E40P never raises (no bus errors, no PMP) but the ISS traps on', () => {
  it('a load and a store outside memory: causes 5 and 7 at the access; a fetch outside memory: cause 1 at the target', () => {
    const { records, stop, hart, image } = runTraps(trapProgram(`
  li a4, 0x100
  lw a1, 0(a4)
  sw a1, 4(a4)
  la s2, 1f
  jalr zero, 0(a4)
1:
  addi a1, a1, 1`));
    expect(stop).toEqual({ kind: 'exit', code: 3 });
    expect(records.map((r) => r.cause)).toEqual([TRAP_CAUSE.loadAccessFault, TRAP_CAUSE.storeAccessFault, TRAP_CAUSE.instructionAccessFault]);
    expect((image.entry + records[2]!.offset) >>> 0).toBe(0x100);
    expect(hart.stats.trapCycles).toBe(3 * CV32E40P_TIMING.accessFaultEntry);
  });
});

describe('a fault inside a compiled block', () => {
  it('traps with the same counters, cycles and registers as the interpreter', () => {
    // A hot loop walking up L1 (0x10000000, 64 KiB): in its 64th iteration the store, which waits
    // for the load before it, is the first access past the end.
    const source = trapProgram(`
  li a4, 0x100003fc
  la s2, 2f
1:
  addi a6, a6, 1
  lw a5, 0(a4)
  sw a5, 4(a4)
  li t1, 1024
  add a4, a4, t1
  j 1b
2:
  addi a1, a1, 1`);
    const interpreted = runTraps(source, { blocks: false });
    const compiled = runTraps(source, { blocks: true });
    expect(interpreted.records.map((r) => r.cause)).toEqual([TRAP_CAUSE.storeAccessFault]);
    expect(interpreted.hart.regs[16]).toBe(64);
    expect({ ...compiled.hart.stats }).toEqual({ ...interpreted.hart.stats });
    expect(Array.from(compiled.hart.regs)).toEqual(Array.from(interpreted.hart.regs));
    expect(compiled.records).toEqual(interpreted.records);
  });
});

describe('the trap policy', () => {
  const handlerThenIllegal = trapProgram('  .word 0xffffffff');
  const noHandler = (body: string): string => program(body);

  it('auto (the default): a program without a handler stops at a fault, with pc and instruction word', () => {
    expect(() => runElf(elfOf(noHandler('  .word 0xffffffff')))).toThrow(IllegalInstructionError);
    expect(() => runElf(elfOf(noHandler('  .word 0xffffffff')))).toThrow(/illegal instruction 0xffffffff .*pc 0x1c000000, insn 0xffffffff/);
    expect(() => runElf(elfOf(noHandler('  li a7, 7\n  ecall')))).toThrow(EnvironmentError);
    expect(runElf(elfOf(noHandler('  ebreak'))).stop).toEqual({ kind: 'ebreak' });
  });

  it('auto: once the program writes mtvec, its handler gets the traps; stop: never', () => {
    expect(runElf(elfOf(handlerThenIllegal)).stop).toEqual({ kind: 'exit', code: 1 });
    expect(() => runElf(elfOf(handlerThenIllegal), { traps: 'stop' })).toThrow(IllegalInstructionError);
    expect(() => runElf(elfOf(trapProgram('  ebreak')), { traps: 'stop' })).not.toThrow();
    expect(runElf(elfOf(trapProgram('  ebreak')), { traps: 'stop' }).stop).toEqual({ kind: 'ebreak' });
  });

  it('take: traps without a handler too; with mtvec\'s base outside memory the fault stops the run, saying so', () => {
    expect(() => runElf(elfOf(noHandler('  .word 0xffffffff')), { traps: 'take' })).toThrow(/no trap handler: mtvec's base 0x00000000 is outside memory/);
    expect(() => runElf(elfOf(noHandler('  lw a0, 0(zero)')), { traps: 'take' })).toThrow(MemoryAccessError);
  });

  it('exit and write stay the environment\'s with a handler installed; other ecalls go to the handler', () => {
    let output = '';
    const run = runElf(elfOf(trapProgram(`
  li a0, 1
  la a1, text
  li a2, 3
  li a7, 64
  ecall
  li a7, 3
  ecall`, `text: .ascii "ok\\n"\n  .align 2`)), { output: (text) => (output += text) });
    expect(output).toBe('ok\n');
    expect(run.stop).toEqual({ kind: 'exit', code: 1 });
  });
});

describe('traps in the trace', () => {
  const source = trapProgram('  nop\n  .word 0xffffffff\n  ebreak');

  it('the hart tells its trap hook where, why, how long, and where the handler starts', () => {
    const { hart, image } = loadProgram(elfOf(source));
    const traps: TrapEvent[] = [];
    hart.onTrap = (e) => traps.push(e);
    hart.run(100_000);
    const handler = image.symbols.get('trap_handler')!;
    expect(traps.map((t) => [t.cause, t.word, t.cycles, t.handler])).toEqual([
      [TRAP_CAUSE.illegalInstruction, 0xffffffff, 5, handler],
      [TRAP_CAUSE.breakpoint, 0x00100073, 4, handler],
    ]);
    expect(traps[1]!.pc - traps[0]!.pc).toBe(4);
  });

  it('--trace prints a line per trap among the retired instructions', async () => {
    const lines: string[] = [];
    await simulate(elfOf(source), { trace: (line) => lines.push(line) });
    const traps = lines.filter((line) => line.includes('trap:'));
    expect(traps).toHaveLength(2);
    expect(traps[0]).toMatch(/^core 0 cycle +\d+ 0x1c0000[0-9a-f]{2} 0xffffffff +\.word 0xffffffff +trap: illegal instruction \(mcause 2\), handler at 0x1c000100$/);
    expect(traps[1]).toMatch(/ebreak +trap: breakpoint \(mcause 3\), handler at 0x1c000100$/);
  });
});
