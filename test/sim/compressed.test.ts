import { describe, expect, it } from 'vitest';
import { decode } from '../../isa/decoder.js';
import { disassemble } from '../../isa/disassembler.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { CODE_BASE, DATA_BASE, enc, runWithRegs } from './harness.js';

// [16-bit word, RVC mnemonic, expansion as disassembled at pc 0x100]; words as GNU as emits them.
const FORMS: [number, string, string][] = [
  [0x0808, 'c.addi4spn', 'addi a0, sp, 16'],
  [0x41c8, 'c.lw', 'lw a0, 4(a1)'],
  [0xc1c8, 'c.sw', 'sw a0, 4(a1)'],
  [0x0001, 'c.addi', 'addi zero, zero, 0'], // c.nop
  [0x0505, 'c.addi', 'addi a0, a0, 1'],
  [0x2801, 'c.jal', 'jal ra, 0x110'],
  [0x557d, 'c.li', 'addi a0, zero, -1'],
  [0x7139, 'c.addi16sp', 'addi sp, sp, -64'],
  [0x6505, 'c.lui', 'lui a0, 0x1'],
  [0x757d, 'c.lui', 'lui a0, 0xfffff'],
  [0x8105, 'c.srli', 'srli a0, a0, 1'],
  [0x8505, 'c.srai', 'srai a0, a0, 1'],
  [0x893d, 'c.andi', 'andi a0, a0, 15'],
  [0x8d0d, 'c.sub', 'sub a0, a0, a1'],
  [0x8d2d, 'c.xor', 'xor a0, a0, a1'],
  [0x8d4d, 'c.or', 'or a0, a0, a1'],
  [0x8d6d, 'c.and', 'and a0, a0, a1'],
  [0xa021, 'c.j', 'jal zero, 0x108'],
  [0xbffd, 'c.j', 'jal zero, 0xfe'],
  [0xc501, 'c.beqz', 'beq a0, zero, 0x108'],
  [0xe501, 'c.bnez', 'bne a0, zero, 0x108'],
  [0x050a, 'c.slli', 'slli a0, a0, 2'],
  [0x4512, 'c.lwsp', 'lw a0, 4(sp)'],
  [0xc22a, 'c.swsp', 'sw a0, 4(sp)'],
  [0x8082, 'c.jr', 'jalr zero, 0(ra)'],
  [0x852e, 'c.mv', 'add a0, zero, a1'],
  [0x9002, 'c.ebreak', 'ebreak'],
  [0x9502, 'c.jalr', 'jalr ra, 0(a0)'],
  [0x952e, 'c.add', 'add a0, a0, a1'],
];

describe('RV32C expansion', () => {
  it.each(FORMS)('%i (%s) expands to %s', (half, mnemonic, text) => {
    expect(CV32E40P_TABLE.lookupCompressed(half)?.mnemonic).toBe(mnemonic);
    const insn = decode(CV32E40P_TABLE, half, 0x100);
    expect(insn?.length).toBe(2);
    expect(insn?.word).toBe(half);
    expect(disassemble(CV32E40P_TABLE, half, 0x100)).toBe(text);
  });

  it('tests every compressed form of the table', () => {
    const tested = new Set(FORMS.map(([, m]) => m));
    expect(CV32E40P_TABLE.compressed.map((c) => c.mnemonic).filter((m) => !tested.has(m))).toEqual([]);
  });

  const reserved: [number, string][] = [
    [0x0000, 'c.addi4spn with zero immediate (the all-zero word)'],
    [0x6501, 'c.lui with zero immediate'],
    [0x6101, 'c.addi16sp with zero immediate'],
    [0x4002, 'c.lwsp into x0'],
    [0x8002, 'c.jr x0'],
    [0x9105, 'c.srli with shamt[5] = 1 (RV64 only)'],
    [0x1002, 'c.slli with shamt[5] = 1'],
    [0x2000, 'c.fld (no FPU)'],
    [0x6108, 'c.flw (no FPU)'],
    [0xe002, 'c.fswsp (no FPU)'],
  ];
  it.each(reserved)('%i is illegal: %s', (half) => {
    expect(decode(CV32E40P_TABLE, half, 0)).toBeUndefined();
  });
});

describe('RV32C execution', () => {
  it('advances by 2 and links pc + 2', () => {
    // c.jal +4 skips the c.li; c.jalr a1 then jumps over the c.nop to the exit, linking pc + 2.
    const code = [{ half: 0x2011 } /* c.jal +4 */, { half: 0x4515 } /* c.li a0, 5 */, { half: 0x9582 } /* c.jalr a1 */, { half: 0x0001 }];
    const { hart, events } = runWithRegs(code, { 11: CODE_BASE + 8 });
    expect(disassemble(CV32E40P_TABLE, 0x2011, 0)).toBe('jal ra, 0x4');
    expect(disassemble(CV32E40P_TABLE, 0x9582, 0)).toBe('jalr ra, 0(a1)');
    expect(events.slice(0, 3).map((e) => e.pc - CODE_BASE)).toEqual([0, 4, 8]);
    expect(hart.regs[10]).toBe(0); // the c.li was skipped
    expect(hart.regs[1]).toBe(CODE_BASE + 6);
  });

  it('runs loads, stores and arithmetic on the 8 "prime" registers', () => {
    const code = [
      { half: 0xc1c8 }, // c.sw a0, 4(a1)
      { half: 0x41d0 }, // c.lw a2, 4(a1)
      { half: 0x8e09 }, // c.sub a2, a0
      enc('addi', { rd: 5, rs1: 12, imm: 0 }),
    ];
    const { hart, memory } = runWithRegs(code, { 10: 1234, 11: DATA_BASE });
    expect(disassemble(CV32E40P_TABLE, 0x41d0, 0)).toBe('lw a2, 4(a1)');
    expect(disassemble(CV32E40P_TABLE, 0x8e09, 0)).toBe('sub a2, a2, a0');
    expect(new DataView(memory.readBytes(DATA_BASE + 4, 4).buffer).getInt32(0, true)).toBe(1234);
    expect(hart.regs[5]).toBe(0);
  });
});
