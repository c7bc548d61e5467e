// What the RTL testbenches take from gen/rtl-harness/environment-call.ts: the environment calls
// they service as the ISS does, and the trap handler they place at mtvec (decoded here by the
// project's disassembler, so the words cannot drift from what their comments say).
import { describe, expect, it } from 'vitest';
import { imageSegments } from '../../gen/rtl-harness/driver-protocol.js';
import { ECALL_HANDLER, ECALL_HANDLER_END, environmentCall, SYSCALL_NUMBER } from '../../gen/rtl-harness/environment-call.js';
import { disassemble } from '../../isa/disassembler.js';
import { readElf } from '../../isa/elf/reader.js';
import { writeElf } from '../../isa/elf/writer.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { SYSCALL } from '../../sim/core/environment.js';
import { assemble } from '../../sw/asm/assembler.js';

const memory = (address: number, length: number): Uint8Array => Uint8Array.from({ length }, (_, i) => (address + i) & 0xff);

describe('the environment calls of the RTL testbenches', () => {
  it("numbers them as the ISS's environment does", () => expect(SYSCALL_NUMBER).toEqual(SYSCALL));

  it('exit ends the run with a0; write to fd 1 or 2 returns the bytes and the length; anything else is unsupported', () => {
    expect(environmentCall({ a0: -3, a1: 0, a2: 0, a7: 93 }, memory)).toEqual({ kind: 'exit', code: -3 });
    expect(environmentCall({ a0: 2, a1: 0x10, a2: 3, a7: 64 }, memory)).toEqual({ kind: 'write', fd: 2, bytes: Uint8Array.of(0x10, 0x11, 0x12), a0: 3 });
    expect(environmentCall({ a0: 3, a1: 0x10, a2: 3, a7: 64 }, memory)).toEqual({ kind: 'unsupported' });
    expect(environmentCall({ a0: 1, a1: 0, a2: 0, a7: 57 }, memory)).toEqual({ kind: 'unsupported' });
  });

  it('the handler returns to the instruction after the ecall with t0 restored', () => {
    expect(ECALL_HANDLER.map((word) => disassemble(CV32E40P_TABLE, word))).toEqual([
      'csrrw zero, mscratch, t0', 'csrrs t0, mepc, zero', 'addi t0, t0, 4', 'csrrw zero, mepc, t0', 'csrrs t0, mscratch, zero', 'mret',
    ]);
  });

  it('a program with bytes where the handler lives is refused, naming the address', () => {
    const elf = writeElf(assemble('  .globl _start\n_start:\n  ecall\n', { file: 'low.S', base: 0 }));
    expect(() => imageSegments(readElf(elf))).toThrow(`the program has bytes at 0x00000000, where the testbench keeps its ecall handler (0x00000000..0x${ECALL_HANDLER_END.toString(16).padStart(8, '0')})`);
  });
});
