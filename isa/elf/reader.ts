/**
 * ELF32 little-endian RISC-V executables: loadable segments, entry point and symbols. Accepts what
 * GNU ld produces (e.g. Debian's riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32) and what
 * sw/asm writes.
 */
import { hex } from '../bits.js';
import {
  EHDR_SIZE, ELF_MAGIC, ELFCLASS32, ELFDATA2LSB, EM_RISCV, ET_EXEC, PHDR_SIZE, PT_LOAD, SHT_SYMTAB, SHDR_SIZE, SYM_SIZE,
} from './format.js';

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

export interface ElfSegment {
  readonly address: number;
  /** File contents; the rest up to memorySize is zero (.bss). */
  readonly data: Uint8Array;
  readonly memorySize: number;
  readonly flags: number;
}

export interface ElfImage {
  readonly entry: number;
  readonly segments: readonly ElfSegment[];
  /** Symbol values by name (the last definition wins for duplicated local names). */
  readonly symbols: ReadonlyMap<string, number>;
}

export function readElf(bytes: Uint8Array): ElfImage {
  if (bytes.length < EHDR_SIZE || ELF_MAGIC.some((b, i) => bytes[i] !== b)) throw new ElfError('not an ELF file');
  if (bytes[4] !== ELFCLASS32) throw new ElfError('not a 32-bit ELF file (ELFCLASS32 expected)');
  if (bytes[5] !== ELFDATA2LSB) throw new ElfError('not a little-endian ELF file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (offset: number): number => view.getUint16(offset, true);
  const u32 = (offset: number): number => view.getUint32(offset, true);
  if (u16(16) !== ET_EXEC) throw new ElfError(`not an executable (e_type ${u16(16)}); link the program first`);
  if (u16(18) !== EM_RISCV) throw new ElfError(`not a RISC-V ELF file (e_machine ${u16(18)})`);
  const within = (offset: number, size: number, what: string): void => {
    if (offset + size > bytes.length) throw new ElfError(`${what} at file offset ${hex(offset)} runs past the end of the file`);
  };
  // Every header is read at its ELF32 size, so a table of another entry size is not one we know.
  const entrySize = (size: number, count: number, expected: number, what: string): void => {
    if (count > 0 && size !== expected) throw new ElfError(`${what} entries are ${size} bytes, not the ${expected} of ELF32`);
  };

  const segments: ElfSegment[] = [];
  const [phoff, phentsize, phnum] = [u32(28), u16(42), u16(44)];
  entrySize(phentsize, phnum, PHDR_SIZE, 'program header');
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    within(ph, PHDR_SIZE, 'program header');
    if (u32(ph) !== PT_LOAD) continue;
    const [offset, address, fileSize, memorySize, flags] = [u32(ph + 4), u32(ph + 8), u32(ph + 16), u32(ph + 20), u32(ph + 24)];
    if (fileSize > memorySize) throw new ElfError(`segment ${i} holds ${fileSize} bytes of the file but only ${memorySize} bytes of memory`);
    if (address + memorySize > 2 ** 32) throw new ElfError(`segment ${i} at ${hex(address)} (${memorySize} bytes) runs past the end of the 32-bit address space`);
    if (memorySize === 0) continue;
    within(offset, fileSize, 'segment');
    segments.push({ address, data: bytes.subarray(offset, offset + fileSize), memorySize, flags });
  }

  const symbols = new Map<string, number>();
  const [shoff, shentsize, shnum] = [u32(32), u16(46), u16(48)];
  entrySize(shentsize, shnum, SHDR_SIZE, 'section header');
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    within(sh, SHDR_SIZE, 'section header');
    if (u32(sh + 4) !== SHT_SYMTAB) continue;
    const [offset, size, link] = [u32(sh + 16), u32(sh + 20), u32(sh + 24)];
    if (link >= shnum) throw new ElfError(`symbol table (section ${i}) names string table section ${link}, of ${shnum}`);
    if (size % SYM_SIZE !== 0) throw new ElfError(`symbol table (section ${i}) of ${size} bytes is not a whole number of ${SYM_SIZE}-byte entries`);
    const strtab = shoff + link * shentsize;
    within(strtab, SHDR_SIZE, 'string table header');
    const [strOffset, strSize] = [u32(strtab + 16), u32(strtab + 20)];
    within(strOffset, strSize, 'string table');
    within(offset, size, 'symbol table');
    const strings = bytes.subarray(strOffset, strOffset + strSize);
    for (let s = offset + SYM_SIZE; s < offset + size; s += SYM_SIZE) {
      const nameOffset = u32(s);
      if (nameOffset >= Math.max(strSize, 1)) throw new ElfError(`symbol at file offset ${hex(s)} has its name at ${nameOffset}, past the string table's ${strSize} bytes`);
      const name = readString(strings, nameOffset);
      if (name !== '') symbols.set(name, u32(s + 4));
    }
  }
  return { entry: u32(24), segments, symbols };
}

/** The NUL-terminated string at `offset` of a string table (to its end if it has no NUL). */
function readString(strings: Uint8Array, offset: number): string {
  let end = offset;
  while (end < strings.length && strings[end] !== 0) end++;
  return new TextDecoder().decode(strings.subarray(offset, end));
}
