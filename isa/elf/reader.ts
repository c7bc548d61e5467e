/**
 * ELF32 little-endian RISC-V executables: loadable segments, entry point and symbols. Accepts what
 * GNU ld produces (e.g. Debian's riscv64-unknown-elf-gcc -march=rv32imc -mabi=ilp32) and what
 * sw/asm writes.
 */
import { hex } from '../bits.js';
import {
  EHDR_SIZE, ELF_MAGIC, ELFCLASS32, ELFDATA2LSB, EM_RISCV, ET_EXEC, PT_LOAD, SHT_SYMTAB, SHDR_SIZE, SYM_SIZE,
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

  const segments: ElfSegment[] = [];
  const [phoff, phentsize, phnum] = [u32(28), u16(42), u16(44)];
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    within(ph, 32, 'program header');
    if (u32(ph) !== PT_LOAD) continue;
    const [offset, address, fileSize, memorySize, flags] = [u32(ph + 4), u32(ph + 8), u32(ph + 16), u32(ph + 20), u32(ph + 24)];
    if (memorySize === 0) continue;
    within(offset, fileSize, 'segment');
    segments.push({ address, data: bytes.subarray(offset, offset + fileSize), memorySize, flags });
  }

  const symbols = new Map<string, number>();
  const [shoff, shentsize, shnum] = [u32(32), u16(46), u16(48)];
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    within(sh, SHDR_SIZE, 'section header');
    if (u32(sh + 4) !== SHT_SYMTAB) continue;
    const [offset, size, link] = [u32(sh + 16), u32(sh + 20), u32(sh + 24)];
    const strtab = shoff + link * shentsize;
    within(strtab, SHDR_SIZE, 'string table header');
    const strOffset = u32(strtab + 16);
    within(offset, size, 'symbol table');
    for (let s = offset + SYM_SIZE; s < offset + size; s += SYM_SIZE) {
      const name = readString(bytes, strOffset + u32(s));
      if (name !== '') symbols.set(name, u32(s + 4));
    }
  }
  return { entry: u32(24), segments, symbols };
}

function readString(bytes: Uint8Array, offset: number): string {
  let end = offset;
  while (end < bytes.length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(offset, end));
}
