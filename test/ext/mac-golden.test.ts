// The golden model of Xnmsparse revision 2 (isa/xnmsparse/mac.ts) against the text of
// docs/isa-extension.md Part I: every word of the custom-1 funct3 111 space decodes exactly as R2.3
// says, encoding inverts decoding, and the semantics of R2.4 hold on random vectors, computed here
// independently (byte views of the word, no shifts shared with the model).
import { describe, expect, it } from 'vitest';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { decodeMac, encodeMac, executeMac4, formatMac, macMatch, SUM_REGISTER_MASK, type MacInstruction } from '../../isa/xnmsparse/mac.js';
import { Random } from '../../util/random.js';

const bitsOf = (word: number, hi: number, lo: number): number => Number((BigInt(word) >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n));

/** R2.3 read literally: is the word (custom-1, funct3 111) a legal instruction? Every f2 is used; bits 11:10 must be zero. */
const legalBySpec = (word: number): boolean => bitsOf(word, 11, 10) === 0;

/** R2.3 read literally: the mnemonic of a legal word, from f2 (bit 26 mul4, bit 25 .s). */
const mnemonicBySpec = (word: number): string => `nm.${bitsOf(word, 26, 26) ? 'mul4' : 'mac4'}.${bitsOf(word, 25, 25) ? 's' : 'u'}`;

describe('decoding and encoding (R2.3)', () => {
  it('every word of the space: legal exactly as the spec says, decode then encode gives the word back, the ISS table agrees', () => {
    let legal = 0;
    // The 22 bits outside opcode and funct3 (31:15 and 11:7), all 4M combinations.
    for (let rest = 0; rest < 1 << 22; rest++) {
      const word = (((rest >>> 5) << 15) | ((rest & 31) << 7) | macMatch) >>> 0;
      const decoded = decodeMac(word);
      const def = CV32E40P_XNMSPARSE_TABLE.lookup(word);
      if (decoded.ok !== legalBySpec(word) || (def !== undefined) !== decoded.ok) throw new Error(`${word.toString(16)}: decode ${JSON.stringify(decoded)}`);
      if (!decoded.ok) continue;
      legal++;
      const { rs1, rs2, rs3, half, lane } = decoded.insn;
      const fields = [rs1, rs2, rs3, half, lane].join();
      if (fields !== [bitsOf(word, 19, 15), bitsOf(word, 24, 20), bitsOf(word, 31, 27), bitsOf(word, 9, 9), bitsOf(word, 8, 7)].join()) throw new Error(`${word.toString(16)}: fields ${fields}`);
      const mnemonic = formatMac(decoded.insn).split(' ')[0];
      if (encodeMac(decoded.insn) !== word || mnemonic !== mnemonicBySpec(word) || def!.mnemonic !== mnemonic) throw new Error(`${word.toString(16)}: re-encodes as ${encodeMac(decoded.insn).toString(16)}, ${mnemonic}`);
    }
    // Four instructions, each with rs1, rs2, rs3, h, l free (5+5+5+1+2 bits).
    expect(legal).toBe(4 * 2 ** 18);
  });

  it('gives every illegal form its reason', () => {
    const mac = encodeMac({ rs1: 11, rs2: 5, rs3: 7, half: 1, lane: 3, signed: false, start: false });
    const mul = encodeMac({ rs1: 11, rs2: 5, rs3: 7, half: 1, lane: 3, signed: true, start: true });
    const reasons = [(mac | (1 << 10)) >>> 0, (mac | (1 << 11)) >>> 0, (mul | (3 << 10)) >>> 0, 0x0000602b].map((word) => {
      const d = decodeMac(word);
      return d.ok ? 'legal' : d.reason;
    });
    expect(reasons).toEqual([
      'nm.mac4 with bits 11:10 set (must be zero)', 'nm.mac4 with bits 11:10 set (must be zero)', 'nm.mul4 with bits 11:10 set (must be zero)',
      'not an nm.mac4/nm.mul4 instruction (custom-1, funct3 111)',
    ]);
  });

  it('refuses to encode what does not exist', () => {
    const bad: MacInstruction[] = [
      { rs1: 1, rs2: 2, rs3: 3, half: 2, lane: 0, signed: false, start: false },
      { rs1: 1, rs2: 2, rs3: 3, half: 0, lane: 4, signed: true, start: true },
      { rs1: 1, rs2: -1, rs3: 3, half: 0, lane: 0, signed: true, start: false },
      { rs1: 32, rs2: 2, rs3: 3, half: 0, lane: 0, signed: false, start: true },
    ];
    for (const insn of bad) expect(() => encodeMac(insn), JSON.stringify(insn)).toThrow(RangeError);
  });

  it('formats as the spec writes it', () => {
    expect(formatMac({ rs1: 11, rs2: 5, rs3: 7, half: 1, lane: 3, signed: false, start: false })).toBe('nm.mac4.u x11, x5, x7, 1, 3');
    expect(formatMac({ rs1: 11, rs2: 5, rs3: 7, half: 0, lane: 2, signed: true, start: true })).toBe('nm.mul4.s x11, x5, x7, 0, 2');
  });

  it('the sums are x28..x31', () => {
    expect(SUM_REGISTER_MASK >>> 0).toBe(((1 << 28) | (1 << 29) | (1 << 30) | (1 << 31)) >>> 0);
  });
});

/** R2.4 computed on byte views: (start ? 0 : sum[p]) + (u|s)int8 byte p of the word * int8 byte l of rs3, wrapped to 32 bits. */
function expectedSums(insn: MacInstruction, word: number, rs3: number, sums: readonly number[]): number[] {
  const bytes = new DataView(new ArrayBuffer(8));
  bytes.setUint32(0, word >>> 0, true);
  bytes.setUint32(4, rs3 >>> 0, true);
  const weight = bytes.getInt8(4 + insn.lane);
  return sums.map((sum, p) => {
    const activation = insn.signed ? bytes.getInt8(p) : bytes.getUint8(p);
    return Number(BigInt.asIntN(32, BigInt(insn.start ? 0 : sum) + BigInt(activation * weight)));
  });
}

describe('semantics (R2.4)', () => {
  const forms: MacInstruction[] = [false, true].flatMap((start) => [false, true].flatMap((signed) =>
    [0, 1].flatMap((half) => [0, 1, 2, 3].map((lane) => ({ rs1: 1, rs2: 2, rs3: 3, half, lane, signed, start })))));

  it.each(forms.map((insn) => [formatMac(insn), insn] as const))('%s on random vectors', (_, insn) => {
    const random = new Random(encodeMac(insn));
    for (let trial = 0; trial < 500; trial++) {
      const word = random.uint32();
      // Aligned addresses: rs1 and the offset both multiples of 4, or both 2 mod 4.
      const offset = random.below(1 << 14) * 4 + (trial % 2) * 2;
      const rs1 = (random.uint32() & ~3) + (trial % 2) * 2;
      const other = random.uint32() & 0xffff;
      const rs2 = insn.half === 0 ? (other << 16) | offset : (offset << 16) | other;
      const rs3 = random.uint32();
      // Sums near the int32 extremes in half the trials: they wrap around.
      const sums = Array.from({ length: 4 }, () => (trial % 4 < 2 ? random.uint32() | 0 : (0x7fffff00 + random.below(0x200)) | 0));
      const loads: number[] = [];
      const outcome = executeMac4(insn, { rs1, rs2: rs2 >>> 0, rs3 }, sums, (address) => (loads.push(address), word));
      const address = (rs1 + offset) >>> 0;
      expect(outcome).toEqual({ kind: 'ok', address, sums: expectedSums(insn, word, rs3, sums) });
      expect(loads).toEqual([address]);
    }
  });

  it('wraps the sums around at 32 bits', () => {
    const insn = forms.find((f) => !f.signed && !f.start && f.lane === 0)!;
    const outcome = executeMac4(insn, { rs1: 0, rs2: 0, rs3: 0x7f }, [0x7fffffff, -0x80000000, 0, -1], () => 0x00ff01ff);
    // byte 0: 255 * 127, byte 1: 1 * 127, byte 2: 255 * 127, byte 3: 0.
    expect(outcome).toEqual({ kind: 'ok', address: 0, sums: [(0x7fffffff + 255 * 127) | 0, -0x80000000 + 127, 255 * 127, -1] });
    const signed = executeMac4({ ...insn, signed: true }, { rs1: 0, rs2: 0, rs3: 0x80 }, [-0x80000000, 0, 0, 0], () => 0x7f);
    // -128 * 127 below -2^31 wraps to the top.
    expect(signed.kind === 'ok' && signed.sums[0]).toBe((-0x80000000 - 128 * 127) | 0);
  });

  it('nm.mul4 starts from zero, whatever the sums held', () => {
    const insn = forms.find((f) => f.signed && f.start && f.lane === 1)!;
    const outcome = executeMac4(insn, { rs1: 8, rs2: 0, rs3: 0x0000fe00 }, [5, -7, 0x7fffffff, -0x80000000], () => 0x80ff7f01);
    // Weight lane 1 is -2; activations 1, 127, -1, -128.
    expect(outcome).toEqual({ kind: 'ok', address: 8, sums: [-2, -254, 2, 256] });
  });

  it('a misaligned address faults before any load and changes nothing; a faulting load throws before anything is written', () => {
    const sums = [1, 2, 3, 4];
    for (const insn of [forms[0]!, forms.at(-1)!]) {
      for (const [rs1, offset] of [[1, 0], [0, 2], [0xfffffffd, 0], [4, 0xffff]]) {
        const outcome = executeMac4(insn, { rs1: rs1!, rs2: offset! << (16 * insn.half), rs3: 0x01010101 }, sums, () => { throw new Error('loaded'); });
        expect(outcome).toEqual({ kind: 'misaligned', address: (rs1! + offset!) >>> 0 });
      }
      expect(() => executeMac4(insn, { rs1: 0, rs2: 0, rs3: 1 }, sums, () => { throw new RangeError('bus error'); })).toThrow('bus error');
    }
    expect(sums).toEqual([1, 2, 3, 4]);
  });

  it('the address wraps around at 32 bits and takes only the selected 16-bit offset', () => {
    const outcome = executeMac4({ half: 1, lane: 0, signed: false, start: false }, { rs1: 0xfffffffc, rs2: 0x0008fff1, rs3: 1 }, [0, 0, 0, 0], () => 0x04030201);
    expect(outcome).toEqual({ kind: 'ok', address: 4, sums: [1, 2, 3, 4] });
  });
});
