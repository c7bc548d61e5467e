// The program `nmsparse sim` runs: an ELF executable as read, or assembly source (.S/.s) assembled
// here, so the simulator itself only ever takes an executable.
import { readFileSync } from 'node:fs';
import { writeElf } from '../isa/elf/writer.js';
import type { InstructionTable } from '../isa/table.js';
import { assemble } from '../sw/asm/assembler.js';
import { AsmError } from '../sw/asm/errors.js';
import { UsageError } from './errors.js';

export interface ProgramFile {
  readonly file: string;
  readonly bytes: Buffer;
}

export function readProgramFile(file: string): ProgramFile {
  try {
    return { file, bytes: readFileSync(file) };
  } catch (e) {
    throw new UsageError(`cannot read program '${file}': ${(e as Error).message}`);
  }
}

/** The ELF executable of `program`; assembly is assembled with `table` (CV32E40P unless given). */
export function executableOf(program: ProgramFile, table: InstructionTable | undefined): Uint8Array {
  if (!/\.s$/i.test(program.file)) return program.bytes;
  try {
    return writeElf(assemble(program.bytes.toString('utf8'), { file: program.file, ...(table ? { table } : {}) }));
  } catch (e) {
    if (e instanceof AsmError) throw new UsageError(e.message);
    throw e;
  }
}
