import { describe, expect, it } from 'vitest';
import { decode } from '../../isa/decoder.js';
import { encodeInstruction } from '../../isa/encoder.js';
import { disassemble, formatInstruction } from '../../isa/disassembler.js';
import { instruction } from '../../isa/definition.js';
import { FORMATS } from '../../isa/formats.js';
import { BASE_INSTRUCTIONS, buildInstructionTable, CV32E40P_TABLE, overlaps } from '../../isa/table.js';
import { Random } from '../../util/random.js';
import { enc } from './harness.js';

describe('instruction table', () => {
  it('has no two entries matching the same word', () => {
    const defs = CV32E40P_TABLE.instructions;
    const clashes: string[] = [];
    for (let i = 0; i < defs.length; i++) {
      for (let j = i + 1; j < defs.length; j++) {
        if (overlaps(defs[i]!, defs[j]!)) clashes.push(`${defs[i]!.mnemonic} / ${defs[j]!.mnemonic}`);
      }
    }
    expect(clashes).toEqual([]);
  });

  it('fixes every bit that no operand uses', () => {
    // Like the CV32E40P decoder, fence and fence.i look at opcode and funct3 only.
    const decodedByFunct3 = new Set(['fence', 'fence.i']);
    for (const def of CV32E40P_TABLE.instructions.filter((d) => !decodedByFunct3.has(d.mnemonic))) {
      const operandBits = def.format.operands.reduce((bits, op) => bits | op.insert(op.max) | op.insert(op.min), 0);
      expect(((def.mask | operandBits) >>> 0).toString(16), def.mnemonic).toBe('ffffffff');
    }
  });

  it('round-trips every entry through encode, decode and operand extraction', () => {
    for (const def of CV32E40P_TABLE.instructions) {
      const values: Record<string, number> = {};
      for (const op of def.format.operands) {
        // A value inside the range, aligned, that exercises high bits.
        const span = op.max - op.min;
        values[op.slot] = op.min + Math.floor((span * 5) / 7 / op.align) * op.align;
      }
      const word = encodeInstruction(def, values);
      const insn = decode(CV32E40P_TABLE, word, 0x100);
      expect(insn?.def, `${def.mnemonic} ${word.toString(16)}`).toBe(def);
      for (const op of def.format.operands) expect(insn![op.slot], `${def.mnemonic}.${op.name}`).toBe(values[op.slot]);
      expect(formatInstruction(insn!).startsWith(def.mnemonic)).toBe(true);
    }
  });

  it('re-encodes every decodable random word from its decoded operands', () => {
    // A deterministic stream of 50 000 words, of which the legal ones must round-trip.
    const random = new Random(0x2545f491);
    let legal = 0;
    for (let n = 0; n < 50_000; n++) {
      const word = (random.uint32() | 3) >>> 0; // 32-bit encodings only
      const insn = decode(CV32E40P_TABLE, word, 0);
      if (!insn || insn.def.mnemonic.startsWith('fence')) continue; // fences ignore their spare fields
      legal++;
      expect(encodeInstruction(insn.def, insn) >>> 0, `${insn.def.mnemonic} ${word.toString(16)}`).toBe(word);
    }
    expect(legal).toBeGreaterThan(5_000);
  });

  it('covers the XCV instructions of docs/cv32e40p.md', () => {
    const names = new Set(CV32E40P_TABLE.instructions.map((d) => d.mnemonic));
    const required = [
      'cv.lb', 'cv.lbu', 'cv.lh', 'cv.lhu', 'cv.lw', 'cv.sb', 'cv.sh', 'cv.sw',
      'cv.starti', 'cv.start', 'cv.endi', 'cv.end', 'cv.counti', 'cv.count', 'cv.setupi', 'cv.setup',
      'cv.mac', 'cv.msu', 'cv.clip', 'cv.clipu', 'cv.clipr', 'cv.clipur', 'cv.min', 'cv.minu', 'cv.max', 'cv.maxu',
      'cv.abs', 'cv.exths', 'cv.exthz', 'cv.extbs', 'cv.extbz', 'cv.extract', 'cv.extractu', 'cv.insert',
      'cv.bclr', 'cv.bset', 'cv.bitrev', 'cv.pack', 'cv.pack.h', 'cv.packhi.b', 'cv.packlo.b',
      'cv.extract.h', 'cv.extract.b', 'cv.extractu.h', 'cv.extractu.b', 'cv.insert.h', 'cv.insert.b',
      'cv.abs.h', 'cv.abs.b',
    ];
    required.push('cv.shuffle.h', 'cv.shuffle.b', 'cv.shuffle.sci.h', 'cv.shufflei0.sci.b', 'cv.shufflei3.sci.b', 'cv.shuffle2.h', 'cv.shuffle2.b');
    for (const family of ['add', 'sub', 'min', 'max', 'dotup', 'dotusp', 'dotsp', 'sdotup', 'sdotusp', 'sdotsp', 'avg', 'avgu', 'srl', 'sra', 'sll', 'cmpeq', 'cmpleu']) {
      for (const form of ['.h', '.b', '.sc.h', '.sc.b', '.sci.h', '.sci.b']) required.push(`cv.${family}${form}`);
    }
    expect(required.filter((m) => !names.has(m))).toEqual([]);
    // Three operand forms for each CORE-V load and store: immediate/register post-increment, indexed.
    for (const m of ['cv.lb', 'cv.lbu', 'cv.lh', 'cv.lhu', 'cv.lw', 'cv.sb', 'cv.sh', 'cv.sw']) {
      expect(CV32E40P_TABLE.forms(m)).toHaveLength(3);
    }
  });
});

describe('known encodings', () => {
  // [text, word, encoder call]: the examples of docs/cv32e40p.md, the RISC-V spec, and LLVM's CORE-V MC tests.
  const cases: [string, number, () => number][] = [
    ['cv.lw t0, (a2), 4', 0x0046228b, () => enc('cv.lw', { rd: 5, rs1: 12, imm: 4 }, 'imm12')],
    ['cv.setupi 0, 16, 0x114', 0x0102c62b, () => enc('cv.setupi', { loop: 0, imm2: 16, imm: 20 })],
    ['cv.mac s2, t1, t2', 0x9073392b, () => enc('cv.mac', { rd: 18, rs1: 6, rs2: 7 })],
    ['cv.extractu s4, s5, 3, 4', 0x464a8a5b, () => enc('cv.extractu', { rd: 20, rs1: 21, imm2: 3, imm: 4 })],
    ['cv.sdotsp.b s2, t1, t2', 0xa873197b, () => enc('cv.sdotsp.b', { rd: 18, rs1: 6, rs2: 7 })],
    ['cv.insert.b s4, t2, 2', 0xb813da7b, () => enc('cv.insert.b', { rd: 20, rs1: 7, imm: 2 })],
    ['cv.dotup.sci.h t0, t1, 32', 0x810362fb, () => enc('cv.dotup.sci.h', { rd: 5, rs1: 6, imm: 32 })],
    ['cv.dotup.sci.h a0, a1, 7', 0x8235e57b, () => enc('cv.dotup.sci.h', { rd: 10, rs1: 11, imm: 7 })],
    ['cv.sdotup.h t0, t1, t2', 0x987302fb, () => enc('cv.sdotup.h', { rd: 5, rs1: 6, rs2: 7 })],
    ['cv.sdotup.b a0, a1, a2', 0x98c5957b, () => enc('cv.sdotup.b', { rd: 10, rs1: 11, rs2: 12 })],
    ['cv.dotsp.sci.b t3, t4, -32', 0x910efe7b, () => enc('cv.dotsp.sci.b', { rd: 28, rs1: 29, imm: -32 })],
    ['cv.dotsp.sci.b s0, s1, -1', 0x93f4f47b, () => enc('cv.dotsp.sci.b', { rd: 8, rs1: 9, imm: -1 })],
    ['cv.dotup.sc.b a0, a1, a2', 0x80c5d57b, () => enc('cv.dotup.sc.b', { rd: 10, rs1: 11, rs2: 12 })],
    ['cv.cplxmul.r t0, t1, t2', 0x547302fb, () => enc('cv.cplxmul.r', { rd: 5, rs1: 6, rs2: 7 })],
    ['cv.cplxmul.r.div2 t0, t1, t2', 0x547322fb, () => enc('cv.cplxmul.r.div2', { rd: 5, rs1: 6, rs2: 7 })],
    ['addi a0, a0, 1', 0x00150513, () => enc('addi', { rd: 10, rs1: 10, imm: 1 })],
    ['lui a0, 0x12345', 0x12345537, () => enc('lui', { rd: 10, imm: 0x12345000 })],
    ['jal ra, 0x110', 0x010000ef, () => enc('jal', { rd: 1, imm: 16 })],
    ['beq a0, a1, 0xfc', 0xfeb50ee3, () => enc('beq', { rs1: 10, rs2: 11, imm: -4 })],
    ['sw a1, 8(a0)', 0x00b52423, () => enc('sw', { rs1: 10, rs2: 11, imm: 8 })],
    ['csrrs a0, mcycle, zero', 0xb0002573, () => enc('csrrs', { rd: 10, imm: 0xb00, rs1: 0 })],
    ['mul a0, a1, a2', 0x02c58533, () => enc('mul', { rd: 10, rs1: 11, rs2: 12 })],
    ['div a0, a1, a2', 0x02c5c533, () => enc('div', { rd: 10, rs1: 11, rs2: 12 })],
    ['ecall', 0x00000073, () => enc('ecall')],
  ];

  it.each(cases)('%s = %i', (text, word, encode) => {
    expect(encode() >>> 0).toBe(word >>> 0);
    expect(disassemble(CV32E40P_TABLE, word, 0x100)).toBe(text);
  });

  it('treats words outside the table as illegal', () => {
    for (const word of [0x00000000, 0xffffffff, 0x0000602b /* custom-1 funct3 110 */, 0x9400302b /* funct7 1001010 */]) {
      expect(decode(CV32E40P_TABLE, word, 0), word.toString(16)).toBeUndefined();
    }
    expect(disassemble(CV32E40P_TABLE, 0x0000602b)).toBe('.word 0x0000602b');
  });
});

describe('CORE-V memory encodings (LLVM MC test XCVmem)', () => {
  // The a0/a1/a2 lines of llvm/test/MC/RISCV/corev/XCVmem.s: text and little-endian bytes.
  const cases: [string, number[]][] = [
    ['cv.lb a0, (a1), 2047', [0x0b, 0x85, 0xf5, 0x7f]], ['cv.lb a0, (a1), a2', [0x2b, 0xb5, 0xc5, 0x00]], ['cv.lb a0, a2(a1)', [0x2b, 0xb5, 0xc5, 0x08]],
    ['cv.lbu a0, (a1), 2047', [0x0b, 0xc5, 0xf5, 0x7f]], ['cv.lbu a0, (a1), a2', [0x2b, 0xb5, 0xc5, 0x10]], ['cv.lbu a0, a2(a1)', [0x2b, 0xb5, 0xc5, 0x18]],
    ['cv.lh a0, (a1), 2047', [0x0b, 0x95, 0xf5, 0x7f]], ['cv.lh a0, (a1), a2', [0x2b, 0xb5, 0xc5, 0x02]], ['cv.lh a0, a2(a1)', [0x2b, 0xb5, 0xc5, 0x0a]],
    ['cv.lhu a0, (a1), 2047', [0x0b, 0xd5, 0xf5, 0x7f]], ['cv.lhu a0, (a1), a2', [0x2b, 0xb5, 0xc5, 0x12]], ['cv.lhu a0, a2(a1)', [0x2b, 0xb5, 0xc5, 0x1a]],
    ['cv.lw a0, (a1), 2047', [0x0b, 0xa5, 0xf5, 0x7f]], ['cv.lw a0, (a1), a2', [0x2b, 0xb5, 0xc5, 0x04]], ['cv.lw a0, a2(a1)', [0x2b, 0xb5, 0xc5, 0x0c]],
    ['cv.sb a0, (a1), 2047', [0xab, 0x8f, 0xa5, 0x7e]], ['cv.sb a0, (a1), a2', [0x2b, 0xb6, 0xa5, 0x20]], ['cv.sb a0, a2(a1)', [0x2b, 0xb6, 0xa5, 0x28]],
    ['cv.sh a0, (a1), 2047', [0xab, 0x9f, 0xa5, 0x7e]], ['cv.sh a0, (a1), a2', [0x2b, 0xb6, 0xa5, 0x22]], ['cv.sh a0, a2(a1)', [0x2b, 0xb6, 0xa5, 0x2a]],
    ['cv.sw a0, (a1), 2047', [0xab, 0xaf, 0xa5, 0x7e]], ['cv.sw a0, (a1), a2', [0x2b, 0xb6, 0xa5, 0x24]], ['cv.sw a0, a2(a1)', [0x2b, 0xb6, 0xa5, 0x2c]],
  ];
  it.each(cases)('%s', (text, bytes) => {
    const word = new DataView(Uint8Array.from(bytes).buffer).getUint32(0, true);
    expect(disassemble(CV32E40P_TABLE, word, 0)).toBe(text);
  });
});

describe('CORE-V ALU encodings (GNU binutils test x-cv-alu)', () => {
  // objdump lines of binutils' CORE-V ALU test: word and text (operands separated by ',').
  const lines = `5003beab cv.abs t4,t2|53f3beab cv.slet t4,t2,t6|55f3beab cv.sletu t4,t2,t6|57f3beab cv.min t4,t2,t6
    |59f3beab cv.minu t4,t2,t6|5bf3beab cv.max t4,t2,t6|5df3beab cv.maxu t4,t2,t6|6003beab cv.exths t4,t2
    |6203beab cv.exthz t4,t2|6403beab cv.extbs t4,t2|6603beab cv.extbz t4,t2|7053beab cv.clip t4,t2,5
    |7253beab cv.clipu t4,t2,5|75f3beab cv.clipr t4,t2,t6|77f3beab cv.clipur t4,t2,t6|0853aedb cv.addn t4,t2,t0,4
    |4853aedb cv.addun t4,t2,t0,4|93c2afdb cv.addrn t6,t0,t3,9|ddc2afdb cv.addurn t6,t0,t3,14|81c2bfab cv.addnr t6,t0,t3
    |83c2bfab cv.addunr t6,t0,t3|85c2bfab cv.addrnr t6,t0,t3|87c2bfab cv.addurnr t6,t0,t3|0dc2bfdb cv.subn t6,t0,t3,6
    |71c2bfdb cv.subun t6,t0,t3,24|abc2bfdb cv.subrn t6,t0,t3,21|c7c2bfdb cv.suburn t6,t0,t3,3|89c2bfab cv.subnr t6,t0,t3
    |8bc2bfab cv.subunr t6,t0,t3|8dc2bfab cv.subrnr t6,t0,t3|8fc2bfab cv.suburnr t6,t0,t3`;
  const cases = lines.split('|').map((l) => l.trim().split(' ') as [string, string, string]).map(([w, m, ops]) => [`${m} ${ops.replace(/,/g, ', ')}`, parseInt(w, 16)] as const);
  it.each(cases)('%s', (text, word) => {
    expect(disassemble(CV32E40P_TABLE, word, 0)).toBe(text);
  });
});

describe('extension hook', () => {
  const golden = (a: number, b: number): number => (a ^ b) | 0;
  const probe = instruction('nm.probe', 'Xnmsparse', { opcode: 0x2b, funct3: 0b110, funct7: 0 }, FORMATS.r, 'alu', (h, d) => {
    h.regs[d.rd] = golden(h.regs[d.rs1]!, h.regs[d.rs2]!);
  });

  it('accepts one more entry in custom-1 funct3 110/111 and decodes it', () => {
    const table = buildInstructionTable([probe]);
    expect(table.instructions).toHaveLength(BASE_INSTRUCTIONS.length + 1);
    expect(decode(table, 0x0000602b | (5 << 7), 0)?.def.mnemonic).toBe('nm.probe');
  });

  it('rejects entries outside the free space or overlapping each other', () => {
    const outside = { ...probe, match: 0x2b | (0b011 << 12), mask: 0x707f };
    expect(() => buildInstructionTable([outside])).toThrow(/outside custom-1/);
    expect(() => buildInstructionTable([probe, { ...probe, mnemonic: 'nm.twin' }])).toThrow(/overlaps/);
  });
});
