/**
 * The ELF reader and loader fed damaged files: valid executables from the assembler and the ELF
 * writer with header fields overwritten, bytes changed and the file cut short, and random bytes.
 * Each is either refused with an ElfError or read into an image that loads into the platform's
 * memory or is refused there with an ElfError; never another exception.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ElfError, readElf } from '../../isa/elf/reader.js';
import { writeElf } from '../../isa/elf/writer.js';
import { PULP_MEMORY_MAP } from '../../isa/platform/memory-map.js';
import { MappedMemory } from '../../sim/core/memory.js';
import { loadImage } from '../../sim/program.js';
import { assemble } from '../../sw/asm/assembler.js';
import { fuzzParameters, fuzzTimeout, unlessRefused } from './support.js';

const validFiles = [
  'nop\n',
  `  .globl _start
  .type _start, @function
_start:
  la a0, table
  lw a1, 0(a0)
  li a7, 93
  ecall
  .size _start, . - _start
  .data
table: .word 1, 2, 3
  .bss
buffer: .space 64
  .section .l1, "aw"
scratch: .word 7
`,
].map((source) => writeElf(assemble(source, { sectionAddresses: { '.l1': 0x1000_0000 } })));

/** Offsets of the fields a reader trusts: e_type .. e_shstrndx, and the first headers' fields. */
const headerFields = fc.constantFrom(16, 18, 24, 28, 32, 42, 44, 46, 48, 52, 56, 60, 64, 68, 72, 84, 88, 92);
const interesting = fc.constantFrom(0, 1, 2, 0x20, 0x28, 0x7fff_ffff, 0x8000_0000, 0xffff_fff0, 0xffff_ffff, 0x1000_0000, 0x1c00_0000);

type Damage =
  | { kind: 'field'; offset: number; value: number; width: 2 | 4 }
  | { kind: 'byte'; at: number; value: number }
  | { kind: 'cut'; at: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('field' as const), offset: headerFields, value: fc.oneof(interesting, fc.nat()), width: fc.constantFrom(2 as const, 4 as const) }),
  fc.record({ kind: fc.constant('byte' as const), at: fc.nat(), value: fc.nat({ max: 255 }) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
);

function damaged(file: Uint8Array, list: readonly Damage[]): Uint8Array {
  let bytes = file.slice();
  for (const d of list) {
    if (d.kind === 'cut') bytes = bytes.slice(0, d.at % (bytes.length + 1));
    else if (d.kind === 'byte') {
      if (bytes.length > 0) bytes[d.at % bytes.length] = d.value;
    } else if (d.offset + d.width <= bytes.length) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
      if (d.width === 2) view.setUint16(d.offset, d.value & 0xffff, true);
      else view.setUint32(d.offset, d.value >>> 0, true);
    }
  }
  return bytes;
}

function check(file: Uint8Array): void {
  const image = unlessRefused([ElfError], () => readElf(file));
  if (image) unlessRefused([ElfError], () => loadImage(new MappedMemory(PULP_MEMORY_MAP), image));
}

describe('the ELF reader refuses a damaged file only with an ElfError', () => {
  it('valid executables with header fields overwritten, bytes changed and the end cut off', () => {
    fc.assert(fc.property(fc.constantFrom(...validFiles), fc.array(damage, { minLength: 1, maxLength: 4 }), (file, list) => check(damaged(file, list))), fuzzParameters(400));
  }, fuzzTimeout);

  it('random bytes, with and without the ELF32 RISC-V header start', () => {
    const header = validFiles[0]!.slice(0, 20);
    const files = fc.tuple(fc.boolean(), fc.uint8Array({ maxLength: 300 })).map(([keep, rest]) => (keep ? Uint8Array.from([...header, ...rest]) : rest));
    fc.assert(fc.property(files, check), fuzzParameters(200));
  }, fuzzTimeout);
});

/** `validFiles[1]` with `edit` applied to a copy; the symbol table's section header is at `symtab`. */
function patched(edit: (view: DataView, symtab: number) => void): Uint8Array {
  const bytes = validFiles[1]!.slice();
  const view = new DataView(bytes.buffer);
  const [shoff, shnum] = [view.getUint32(32, true), view.getUint16(48, true)];
  const symtab = Array.from({ length: shnum }, (_, i) => shoff + 40 * i).find((sh) => view.getUint32(sh + 4, true) === 2)!;
  edit(view, symtab);
  return bytes;
}

describe('damage the fuzzer found, each once a RangeError or a silent misreading', () => {
  it.each([
    ['a segment with more file bytes than memory bytes', (v: DataView) => v.setUint32(52 + 16, 0x20, true), /segment 0 holds 32 bytes of the file but only \d+ bytes of memory/],
    ['a segment past the end of the address space', (v: DataView) => v.setUint32(52 + 8, 0xffff_fff0, true), /segment 0 at 0xfffffff0 \(\d+ bytes\) runs past the end of the 32-bit address space/],
    ['program headers of another size', (v: DataView) => v.setUint16(42, 16, true), /program header entries are 16 bytes, not the 32 of ELF32/],
    ['section headers of another size', (v: DataView) => v.setUint16(46, 0, true), /section header entries are 0 bytes, not the 40 of ELF32/],
    ['a symbol table of part of an entry', (v: DataView, symtab: number) => v.setUint32(symtab + 20, v.getUint32(symtab + 20, true) + 1, true), /is not a whole number of 16-byte entries/],
    ['a symbol table naming a string table that does not exist', (v: DataView, symtab: number) => v.setUint32(symtab + 24, 999, true), /names string table section 999/],
    ['a symbol name past its string table', (v: DataView, symtab: number) => v.setUint32(v.getUint32(symtab + 16, true) + 16, 0x10000, true), /has its name at 65536, past the string table/],
  ] as const)('%s', (_, edit, message) => {
    const file = patched(edit);
    expect(() => readElf(file)).toThrow(ElfError);
    expect(() => readElf(file)).toThrow(message);
  });
});
