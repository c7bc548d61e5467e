import { describe, expect, it } from 'vitest';
import { assemble, type AssembleOptions } from '../../sw/asm/assembler.js';
import { PULP_L1, PULP_L2, PULP_L3 } from '../../isa/platform/memory-map.js';
import { writeElf } from '../../isa/elf/writer.js';
import { AsmError } from '../../sw/asm/errors.js';
import { readElf } from '../../isa/elf/reader.js';
import { runElf } from '../../sim/program.js';
import { SPIKE_MEMORY_MAP } from '../../isa/platform/memory-map.js';
import { CV32E40P_TABLE } from '../../isa/table.js';

/** Words of the .text section. */
function words(source: string, options: AssembleOptions = {}): number[] {
  const text = assemble(source, options).sections.find((s) => s.name === '.text')!;
  const view = new DataView(text.bytes.buffer, text.bytes.byteOffset, text.size);
  return Array.from({ length: text.size / 4 }, (_, i) => view.getUint32(4 * i, true));
}

function runSource(source: string, options: AssembleOptions = {}) {
  const output: string[] = [];
  const result = runElf(writeElf(assemble(source, options)), { output: (t) => output.push(t), maxCycles: 1_000_000 });
  return { ...result, output: output.join('') };
}

function asmError(source: string): AsmError {
  try {
    assemble(source, { file: 'prog.S', sectionAddresses: { '.l1': PULP_L2.base } });
  } catch (error) {
    if (error instanceof AsmError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('assembler: encodings from the table', () => {
  const cases: [string, number][] = [
    ['cv.lw x5,(x12),4', 0x0046228b], // docs/cv32e40p.md#encodings
    ['cv.setupi 0, 16, 20', 0x0102c62b], // the end offset as a number
    ['cv.setupi 0, 16, .+20', 0x0102c62b],
    ['cv.mac x18,x6,x7', 0x9073392b],
    ['cv.extractu x20,x21,3,4', 0x464a8a5b],
    ['cv.sdotsp.b x18,x6,x7', 0xa873197b],
    ['cv.insert.b x20,x7,2', 0xb813da7b],
    ['cv.lhu a0, a2(a1)', 0x1ac5b52b], // LLVM XCVmem
    ['cv.sw a0, (a1), a2', 0x24a5b62b],
    ['cv.sb a0, (a1), 2047', 0x7ea58fab],
    ['addi a0, a0, -1', 0xfff50513],
    ['lw a0, (a1)', 0x0005a503],
    ['lui a0, 0x12345', 0x12345537],
    ['csrr a0, mcycle', 0xb0002573],
    ['csrrs a0, 0xb00, zero', 0xb0002573],
    ['fence', 0x0ff0000f],
    ['fence.i', 0x0000100f],
    ['ecall', 0x00000073],
  ];
  it.each(cases)('%s = %i', (text, word) => {
    expect(words(`.text\n${text}\n`)).toEqual([word >>> 0]);
  });

  it('assembles every table entry written in its own syntax', () => {
    for (const def of CV32E40P_TABLE.instructions) {
      // Mid-range operand values, printed as the disassembler does, except that a pc-relative
      // operand is written relative to `.` (a bare number would be taken as the offset itself).
      const values: Record<string, number> = {};
      for (const op of def.format.operands) values[op.slot] = op.min + Math.floor(((op.max - op.min) * 3) / 7 / op.align) * op.align;
      let word = def.match;
      for (const op of def.format.operands) word |= op.insert(values[op.slot]!);
      let i = 0;
      const text = def.mnemonic + ' ' + def.format.syntax.replace(/\{\w+\}/g, () => {
        const op = def.format.operands[i++]!;
        const value = values[op.slot]!;
        return op.syntax === 'pcrel' ? `. + ${value}` : op.render(value, 0);
      });
      expect(words(text), text).toEqual([word >>> 0]);
    }
  });

  it('takes a constant branch target as the offset and a label or `.` expression as an address (GNU as)', () => {
    expect(words('nop\nbeq a0, a1, 8\n')).toEqual([0x13, 0x00b50463]);
    expect(words('nop\nbeq a0, a1, .+8\n')).toEqual([0x13, 0x00b50463]);
    expect(words('nop\nbeq a0, a1, there\nnop\nthere:\n')).toEqual([0x13, 0x00b50463, 0x13]);
    expect(words('  .equ OFFSET, 8\nnop\nbeq a0, a1, OFFSET\n')).toEqual([0x13, 0x00b50463]);
  });
});

describe('assembler: symbols, directives, pseudo-instructions', () => {
  it('resolves labels, %hi/%lo, .equ and local labels', () => {
    const source = `
      .equ COUNT, 3
      .text
      .globl _start
    _start:
      lui a0, %hi(value)
      lw a0, %lo(value)(a0)
      li t0, COUNT
    1:
      addi a0, a0, 1
      addi t0, t0, -1
      bnez t0, 1b
      j 2f
      li a0, 99
    2:
      li a7, 93
      ecall
      .data
    value: .word 0x1234
    `;
    const result = runSource(source);
    expect(result.stop).toEqual({ kind: 'exit', code: 0x1234 + 3 });
  });

  it('expands the usual pseudo-instructions', () => {
    const source = `
    _start:
      li a0, 0x12345678      # lui + addi
      li a1, -2048           # addi
      li a2, 0x7ffff000      # lui alone
      mv a3, a0
      not a4, zero
      neg a5, a1
      seqz s2, zero
      snez s3, a1
      la s4, data
      lw s4, 0(s4)
      call fn
      beqz zero, 1f
      li s6, 1
    1:
      bgt a1, a0, bad
      ble a0, a1, bad
      bgtu a0, a1, bad      # a1 is large unsigned
      bleu a1, a0, bad
      csrr s7, mhartid
      li a7, 93
      li a0, 0
      ecall
    bad:
      li a0, 1
      li a7, 93
      ecall
    fn:
      li s5, 55
      ret
      .data
    data: .word 777
    `;
    const { hart, stop } = runSource(source);
    expect(stop).toEqual({ kind: 'exit', code: 0 });
    expect([hart.regs[10 + 1], hart.regs[12], hart.regs[13], hart.regs[14], hart.regs[15]]).toEqual([-2048, 0x7ffff000, 0x12345678, -1, 2048]);
    expect([hart.regs[18], hart.regs[19], hart.regs[20], hart.regs[21], hart.regs[22]]).toEqual([1, 1, 777, 55, 0]);
  });

  it('lays out data directives, alignment and strings', () => {
    const program = assemble(`
      .data
      .byte 1, 2, -1
      .align 2
      .half 0x1234
      .balign 8
    s: .asciz "a\\n"
      .ascii "bc"
      .space 3, 0xee
      .word s
      .bss
    buf: .zero 64
    `, { base: 0x1000 });
    const data = program.sections.find((x) => x.name === '.data')!;
    expect(data.address).toBe(0x1000);
    expect(Array.from(data.bytes)).toEqual([1, 2, 0xff, 0, 0x34, 0x12, 0, 0, 0x61, 0x0a, 0, 0x62, 0x63, 0xee, 0xee, 0xee, 0x08, 0x10, 0, 0]);
    const bss = program.sections.find((x) => x.name === '.bss')!;
    expect(bss.flags.nobits).toBe(true);
    expect(bss.size).toBe(64);
    expect(program.symbols.find((x) => x.name === 'buf')?.value).toBe(bss.address);
  });

  it('compresses under .option rvc, branches and jumps when they reach, unresolved symbols never', () => {
    const program = assemble(`
      .option rvc
      addi a0, a0, 1
      mv a1, a0
      ret
      j 1f
      beqz a0, 1f          # a0 is one of x8..x15: c.beqz
      beqz a6, 1f          # a6 is not: stays 32-bit
      addi a2, a2, %lo(far)
    1:
      .option norvc
      addi a0, a0, 1
      .space 4096
    far:
    `, { base: 0 });
    const text = program.sections[0]!;
    const halves = Array.from({ length: 6 }, (_, i) => text.bytes[2 * i]! | (text.bytes[2 * i + 1]! << 8));
    // c.addi, c.mv, c.jr, c.j +12, c.beqz +10, then the 32-bit beq a6 (+8) and addi (%lo unknown in pass 1)
    expect(halves.slice(0, 5)).toEqual([0x0505, 0x85aa, 0x8082, 0xa031, 0xc509]);
    expect(text.bytes.subarray(10, 14)).toEqual(Uint8Array.of(0x63, 0x04, 0x08, 0x00));
    expect(text.size).toBe(10 + 4 + 4 + 4 + 4096);
  });

  it('places named sections at given addresses and runs at the riscv-tests base with tohost', () => {
    const source = `
      .section .text.init
      .globl _start
    _start:
      la t0, tohost
      li t1, 1
      sw t1, 0(t0)
    1: j 1b
      .data
      .align 3
      .globl tohost
    tohost: .word 0, 0
    `;
    const elf = writeElf(assemble(source, { base: 0x8000_0000 }));
    expect(readElf(elf).symbols.get('tohost')).toBeDefined();
    expect(runElf(elf, { memoryMap: SPIKE_MEMORY_MAP, maxCycles: 1000 }).stop).toEqual({ kind: 'exit', code: 0 });
    const failing = writeElf(assemble(source.replace('li t1, 1', 'li t1, 7'), { base: 0x8000_0000 }));
    expect(runElf(failing, { memoryMap: SPIKE_MEMORY_MAP, maxCycles: 1000 }).stop).toEqual({ kind: 'exit', code: 3 });
  });

  it('runs a hardware-loop kernel written with labels', () => {
    const { hart, stop } = runSource(`
      li t0, 0
      li t1, 10
      cv.setup 0, t1, end
      addi t0, t0, 1
      addi t0, t0, 1
      addi t0, t0, 1
    end:
      mv a0, t0
      li a7, 93
      ecall
    `);
    expect(stop).toEqual({ kind: 'exit', code: 30 });
    expect(hart.stats.branchPenalty).toBe(0);
  });

  it('prints through the write syscall', () => {
    const { output } = runSource(`
      li a0, 1
      la a1, msg
      li a2, 3
      li a7, 64
      ecall
      li a0, 0
      li a7, 93
      ecall
      .data
    msg: .ascii "hi\\n"
    `);
    expect(output).toBe('hi\n');
  });
});

describe('assembler errors carry file:line and the text', () => {
  const cases: [string, number, RegExp][] = [
    ['nop\n  addi a0, a0, 5000\n', 2, /imm12 must be in \[-2048, 2047\], got 5000/],
    ['frob a0\n', 1, /unknown instruction 'frob'/],
    ['\n\n  add a0, a1\n', 3, /invalid operands for add; expected add rd, rs1, rs2/],
    ['  j nowhere + 0x10\n', 1, /undefined symbol 'nowhere'$/],
    ['x:\nx:\n', 2, /symbol 'x' is already defined/],
    ['  .foo 1\n', 1, /unknown directive '.foo'/],
    ['  beq a0, a1, far\n  .space 8192\nfar:\n', 1, /target out of range/],
    ['  .align x\n', 1, /must be a constant/],
    ['  lw a0, 1(a1\n', 1, /invalid operands for lw/],
    ['nop\n  .globl main\n', 2, /global symbol 'main' is never defined/],
    ['  .equ A, B + 1\n', 1, /undefined symbol 'B'/],
    ['nop\n  .section .l1\n  .word 1\n', 2, /sections .text and .l1 overlap/],
    // Found by the fuzzer (test/fuzz/asm.test.ts): these ran for minutes or forever.
    ['  .space 0x7fffffff\n', 1, /section .text would grow to 2147483647 bytes, more than the largest memory of the platforms \(67108864 bytes\)/],
    ['nop\n  .p2align 5000\n', 2, /the alignment exponent must be from 0 to 31, got 5000/],
    ['nop\n  .align 31\n', 2, /section .text would grow to 2147483648 bytes/],
    ['  .balign 0x100000000\n', 1, /alignment 4294967296 is not a power of two from 1 to 2\^31/],
    ['  .space -1\n', 1, /the byte count must not be negative, got -1/],
    ['  .p2align -1\n', 1, /the alignment exponent must be from 0 to 31, got -1/],
  ];
  it.each(cases)('%j', (source, line, message) => {
    const error = asmError(source);
    expect(error.location.line).toBe(line);
    expect(error.message).toMatch(new RegExp(`^prog\\.S:${line}: `));
    expect(error.reason).toMatch(message);
    expect(error.message).toContain(source.split('\n')[line - 1]!.trim());
  });
});

describe('assembler: the 32-bit address space', () => {
  it('refuses a section placed so that it runs past 0xffffffff', () => {
    const place = () => assemble('nop\n  .section .l1\n  .space 32\n', { file: 'prog.S', sectionAddresses: { '.l1': 0xfffffff0 } });
    expect(place).toThrow(AsmError);
    expect(place).toThrow(/prog\.S:2: section \.l1 at 0xfffffff0 \(32 bytes\) runs past the end of the 32-bit address space/);
  });
});

describe('assembler: section placement', () => {
  it('places .l1 and .l1.* sections from the base of L1, in order, and the others after the code', () => {
    const { sections } = assemble('nop\n  .section .l1.a, "aw"\n  .byte 1\n  .data\n  .word 2\n  .section .l1, "aw"\n  .word 3\n  .section .l1x, "aw"\n  .word 4\n', { file: 'prog.S' });
    const at = (name: string): number => sections.find((s) => s.name === name)!.address;
    expect([at('.text'), at('.data'), at('.l1x')]).toEqual([PULP_L2.base, PULP_L2.base + 4, PULP_L2.base + 8]);
    expect([at('.l1.a'), at('.l1')]).toEqual([PULP_L1.base, PULP_L1.base + 4]);
  });

  it('places .l3 and .l3.* sections from the base of L3, in order, apart from L1 and the code', () => {
    const source = 'nop\n  .section .l3.weights, "aw"\n  .byte 1\n  .section .l1, "aw"\n  .word 2\n  .section .l3, "aw"\n  .word 3\n  .section .l3x, "aw"\n  .word 4\n';
    const { sections } = assemble(source, { file: 'prog.S' });
    const at = (name: string): number => sections.find((s) => s.name === name)!.address;
    expect([at('.l3.weights'), at('.l3')]).toEqual([PULP_L3.base, PULP_L3.base + 4]);
    expect(at('.l1')).toBe(PULP_L1.base);
    expect(at('.l3x')).toBe(PULP_L2.base + 4); // not an L3 section: after the code
  });
});
