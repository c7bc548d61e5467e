// What the project's core leaves out of the ISS's instruction tables, and the ISS's strict-core
// mode (HartOptions.implemented, `nmsparse sim --strict-core`), which turns exactly those rows
// into illegal instructions so that a program run on the ISS also runs on the core.
import { describe, expect, it } from 'vitest';
import { coreRows } from '../../hw/core/control.js';
import { writeElf } from '../../isa/elf/writer.js';
import { BASE_INSTRUCTIONS } from '../../isa/table.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { IllegalInstructionError } from '../../sim/core/errors.js';
import { loadProgram } from '../../sim/program.js';
import { simulate } from '../../sim/simulate.js';
import { assemble } from '../../sw/asm/assembler.js';
import { ExitCode } from '../../util/exit-codes.js';

const STRICT = { rows: new Set(coreRows(true)), machine: 'the core under test' };
const leftOut = (extension: boolean): string[] => {
  const rows = new Set(coreRows(extension));
  const table = extension ? CV32E40P_XNMSPARSE_TABLE.instructions : BASE_INSTRUCTIONS;
  return [...new Set(table.filter((def) => !rows.has(def)).map((def) => def.mnemonic))];
};

// Revision 1's gather (nm.lg.b/h, 6 N:M forms each, and the consuming nm.lgc forms) reads a
// register-indexed byte in the load-store unit; the core implements revision 2 only.
const GATHER = `
    .globl _start
_start:
    la a2, acts
    li t0, 5
    nm.lg.b a0, t0(a2), 0, 1:8
    li a7, 93
    ecall
    .data
acts:
    .byte 0, 1, 2, 3, 4, 5, 6, 7
`;
const gatherElf = (): Uint8Array => writeElf(assemble(GATHER, { file: 'gather.S', table: CV32E40P_XNMSPARSE_TABLE }));

describe('the instructions the core leaves out', () => {
  it('none of the base CV32E40P table (RV32IMC, Zicsr, the XCV set)', () => {
    expect(leftOut(false)).toEqual([]);
  });

  it('with Xnmsparse: revision 1 (the gathers) only; revision 2 is in', () => {
    expect(leftOut(true)).toEqual(['nm.lg.b', 'nm.lgc.b', 'nm.lg.h', 'nm.lgc.h']);
    expect(coreRows(true).filter((def) => def.extension === 'Xnmsparse').map((def) => def.mnemonic)).toEqual(['nm.mac4.u', 'nm.mac4.s', 'nm.mul4.u', 'nm.mul4.s']);
  });
});

describe('the ISS in strict-core mode', () => {
  it('stops at a row the core lacks, naming pc, word and mnemonic', () => {
    const { hart, image } = loadProgram(gatherElf(), { table: CV32E40P_XNMSPARSE_TABLE, implemented: STRICT });
    const thrown = (() => {
      try {
        hart.run(1000);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(IllegalInstructionError);
    const error = thrown as IllegalInstructionError;
    expect(error.detail).toBe('nm.lg.b (Xnmsparse) is not implemented by the core under test');
    // la (2 instructions) and li before it.
    expect(error.site.pc).toBe(image.entry + 12);
    expect(error.site.disassembly).toMatch(/^nm\.lg\.b a0, t0\(a2\), 0, 1:8/);
    expect(error.message).toMatch(/pc 0x[0-9a-f]{8}, insn 0x[0-9a-f]{8} 'nm\.lg\.b/);
  });

  it('runs the same program without it, and every row the core has with it', async () => {
    expect((await simulate(gatherElf(), { table: CV32E40P_XNMSPARSE_TABLE })).summary).toMatch(/^exit 5 /);
    const mac = 'la a1, word\nnm.mul4.u a1, zero, zero, 0, 0\nli a7, 93\necall\n.align 2\nword: .word 0\n';
    const report = await simulate(writeElf(assemble(`.globl _start\n_start:\n${mac}`, { file: 'mac.S', table: CV32E40P_XNMSPARSE_TABLE })), { table: CV32E40P_XNMSPARSE_TABLE, implemented: STRICT });
    expect(report.summary).toMatch(/^exit 0 /);
  });

  it('reports the row as a simulation fault, as any illegal instruction', async () => {
    const report = await simulate(gatherElf(), { table: CV32E40P_XNMSPARSE_TABLE, implemented: STRICT });
    expect(report.exitCode).toBe(ExitCode.simulationFault);
    expect(report.summary).toMatch(/nm\.lg\.b \(Xnmsparse\) is not implemented by the core under test/);
  });

  it('traps to the program\'s handler as an illegal instruction when the program takes traps, as the core would', async () => {
    const source = `
    .globl _start
_start:
    la t0, handler
    csrw mtvec, t0
    li t0, 5
    la a2, acts
    nm.lg.b a0, t0(a2), 0, 1:8
    li a0, 99
    li a7, 93
    ecall
    .align 8
handler:
    csrr a0, mcause
    li a7, 93
    ecall
    .data
acts:
    .byte 0, 1, 2, 3, 4, 5, 6, 7
`;
    const elf = writeElf(assemble(source, { file: 'handler.S', table: CV32E40P_XNMSPARSE_TABLE }));
    expect((await simulate(elf, { table: CV32E40P_XNMSPARSE_TABLE, implemented: STRICT })).summary).toMatch(/^exit 2 /);
    expect((await simulate(elf, { table: CV32E40P_XNMSPARSE_TABLE })).summary).toMatch(/^exit 99 /);
  });
});
