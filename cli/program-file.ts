// The program `nmsparse sim` runs: an ELF executable as read, or assembly source (.S/.s) assembled
// here, so the simulator itself only ever takes an executable.
import { readFileSync } from 'node:fs';
import { hex } from '../isa/bits.js';
import type { AssembledProgram } from '../isa/elf/image.js';
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

/**
 * The ELF executable of `program`; assembly is assembled with `table` (CV32E40P unless given).
 * Like GNU ld, a program with code but no `_start` runs from the start of its first code section,
 * and `warn` is told so.
 */
export function executableOf(program: ProgramFile, table: InstructionTable | undefined, warn: (message: string) => void): Uint8Array {
  if (!/\.s$/i.test(program.file)) return program.bytes;
  // A NUL byte never occurs in source text: this is an executable or other data, named as source.
  if (program.bytes.includes(0)) throw new UsageError(`${program.file}: not assembly source (binary data; an ELF executable needs a name without .S/.s)`);
  let assembled: AssembledProgram;
  try {
    assembled = assemble(program.bytes.toString('utf8'), { file: program.file, ...(table ? { table } : {}) });
  } catch (e) {
    if (e instanceof AsmError) throw new UsageError(e.message);
    throw e;
  }
  const code = assembled.sections.find((s) => s.flags.exec);
  if (code && !assembled.symbols.some((s) => s.name === '_start')) {
    warn(`${program.file} defines no _start: running from the start of ${code.name} at ${hex(assembled.entry)}`);
  }
  return writeElf(assembled);
}
