// Shared by the ISS tests of the extension: running a few instructions on a hart with Xnmsparse.
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { loadProgram } from '../../sim/program.js';
import { assemble } from '../../sw/asm/assembler.js';
import { writeElf } from '../../isa/elf/writer.js';

export const table = CV32E40P_XNMSPARSE_TABLE;
export const dataBase = 0x8000;
const memoryMap = [{ name: 'ram', base: 0, size: 0x10000 }];

/**
 * Assembles `body` (then an exit), loads it with `bytes` at dataBase and registers preset, with the
 * data port's grants delayed when `grantDelay` is given; `run` runs it.
 */
export function execute(body: string, bytes: Uint8Array, regs: Readonly<Record<number, number>> = {}, grantDelay?: GrantDelay) {
  const elf = writeElf(assemble(`  .globl _start\n_start:\n${body}\n  li a7, 93\n  ecall\n`, { table, base: 0x1000, file: 'test.S' }));
  const { hart, memory } = loadProgram(elf, { table, memoryMap, output: () => {}, ...(grantDelay ? { grantDelay } : {}) });
  memory.writeBytes(dataBase, bytes);
  for (const [reg, value] of Object.entries(regs)) hart.regs[Number(reg)] = value;
  const before = Int32Array.from(hart.regs);
  return { hart, before, run: () => hart.run(100_000) };
}
