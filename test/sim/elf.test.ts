import { describe, expect, it } from 'vitest';
import { ElfError, readElf } from '../../isa/elf/reader.js';
import { loadProgram } from '../../sim/program.js';
import { SPIKE_MEMORY_MAP } from '../../isa/platform/memory-map.js';
import { assemble } from '../../sw/asm/assembler.js';
import { writeElf } from '../../isa/elf/writer.js';

const program = () => writeElf(assemble(`
  .globl _start
  .type _start, @function
_start:
  la a0, table
  lw a0, 4(a0)
  li a7, 93
  ecall
  .size _start, . - _start
  .data
  .globl table
  .type table, @object
table: .word 1, 2, 3
  .size table, 12
  .bss
scratch: .zero 256
`, { base: 0x1c00_0000 }));

function patched(edit: (view: DataView) => void): Uint8Array {
  const bytes = program().slice();
  edit(new DataView(bytes.buffer));
  return bytes;
}

describe('ELF32 writer and reader', () => {
  it('round-trips entry, segments and symbols', () => {
    const image = readElf(program());
    expect(image.entry).toBe(0x1c00_0000);
    expect(image.segments.map((s) => [s.address, s.data.length, s.memorySize])).toEqual([
      [0x1c00_0000, 20, 20],
      [0x1c00_0014, 12, 12],
      [0x1c00_0020, 0, 256],
    ]);
    expect(image.symbols.get('table')).toBe(0x1c00_0014);
    expect(image.symbols.get('scratch')).toBe(0x1c00_0020);
    const { hart, memory } = loadProgram(program());
    expect(hart.run().stop).toEqual({ kind: 'exit', code: 2 });
    expect(Array.from(memory.readBytes(0x1c00_0020, 4))).toEqual([0, 0, 0, 0]);
  });

  it('rejects what it cannot load, saying why', () => {
    expect(() => readElf(Uint8Array.of(0x7f, 0x45))).toThrow(new ElfError('not an ELF file'));
    expect(() => readElf(patched((v) => v.setUint8(4, 2)))).toThrow(/not a 32-bit ELF file/);
    expect(() => readElf(patched((v) => v.setUint8(5, 2)))).toThrow(/not a little-endian ELF file/);
    expect(() => readElf(patched((v) => v.setUint16(16, 1, true)))).toThrow(/not an executable \(e_type 1\)/);
    expect(() => readElf(patched((v) => v.setUint16(18, 62, true)))).toThrow(/not a RISC-V ELF file \(e_machine 62\)/);
    expect(() => readElf(program().subarray(0, 100))).toThrow(/runs past the end of the file/);
    expect(() => loadProgram(program(), { memoryMap: SPIKE_MEMORY_MAP })).toThrow(
      new ElfError('segment 0x1c000000..0x1c000014 is outside the memory map (dram 0x80000000..0x81000000): link the program for it'),
    );
  });

  it('refuses a program that has no code or starts outside it, instead of failing at the first fetch', () => {
    expect(() => loadProgram(writeElf(assemble('')))).toThrow(new ElfError('the program has no code (no executable segment)'));
    expect(() => loadProgram(writeElf(assemble('.data\n.word 1\n')))).toThrow(new ElfError('the program has no code (no executable segment)'));
    // e_entry in the data segment, then past every segment.
    expect(() => loadProgram(patched((v) => v.setUint32(24, 0x1c00_0014, true)))).toThrow(
      new ElfError("entry point 0x1c000014 is outside the program's code (0x1c000000..0x1c000014)"),
    );
    expect(() => loadProgram(patched((v) => v.setUint32(24, 0, true)))).toThrow(/^entry point 0x00000000 is outside the program's code/);
  });
});
