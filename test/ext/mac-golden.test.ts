// The golden model of Xnmsparse revision 2 (isa/xnmsparse/mac.ts) against the text of
// docs/isa-extension.md Part I: every word of the custom-1 funct3 111 space decodes exactly as R2.3
// says, encoding inverts decoding, and the semantics of R2.4 hold on random vectors, computed here
// independently (byte views of the word, no shifts shared with the model).
import { describe, expect, it } from 'vitest';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import {
  decodeMac, encodeMac, executeMac4, executeRacc, formatMac, macMatch, type Mac4Instruction, type MacInstruction,
} from '../../isa/xnmsparse/mac.js';
import { Random } from '../../util/random.js';

const bitsOf = (word: number, hi: number, lo: number): number => Number((BigInt(word) >> BigInt(lo)) & ((1n << BigInt(hi - lo + 1)) - 1n));

/** R2.3 read literally: is the word (custom-1, funct3 111) a legal instruction? */
function legalBySpec(word: number): boolean {
  const f2 = bitsOf(word, 26, 25);
  if (f2 === 0b11) return false;
  if (f2 === 0b10) return bitsOf(word, 31, 27) === 0 && bitsOf(word, 24, 22) === 0 && bitsOf(word, 19, 15) === 0;
  return bitsOf(word, 11, 10) === 0;
}

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
      if (encodeMac(decoded.insn) !== word || def!.mnemonic !== formatMac(decoded.insn).split(' ')[0]) throw new Error(`${word.toString(16)}: re-encodes as ${encodeMac(decoded.insn).toString(16)}`);
    }
    // nm.mac4.u and .s: rs1, rs2, rs3, h, l free (5+5+5+1+2 bits); nm.racc: rd and k (5+2 bits).
    expect(legal).toBe(2 * 2 ** 18 + 2 ** 7);
  });

  it('gives every illegal form its reason', () => {
    const racc = encodeMac({ kind: 'racc', rd: 10, k: 1 });
    const mac = encodeMac({ kind: 'mac4', rs1: 11, rs2: 5, rs3: 7, half: 1, lane: 3, signed: false });
    const reasons = [
      (mac | (0b11 << 25)) >>> 0, (mac | (1 << 10)) >>> 0, (mac | (1 << 11)) >>> 0,
      (racc | (1 << 27)) >>> 0, (racc | (1 << 22)) >>> 0, (racc | (1 << 15)) >>> 0, 0x0000602b,
    ].map((word) => { const d = decodeMac(word); return d.ok ? 'legal' : d.reason; });
    expect(reasons).toEqual([
      'reserved f2 = 11', 'nm.mac4 with bits 11:10 set (must be zero)', 'nm.mac4 with bits 11:10 set (must be zero)',
      'nm.racc with bits 31:27 set (must be zero)', 'nm.racc with bits 24:22 set (must be zero: k > 3)', 'nm.racc with bits 19:15 set (must be zero)',
      'not an nm.mac4/nm.racc instruction (custom-1, funct3 111)',
    ]);
  });

  it('refuses to encode what does not exist', () => {
    const bad: MacInstruction[] = [
      { kind: 'racc', rd: 1, k: 4 }, { kind: 'racc', rd: 32, k: 0 },
      { kind: 'mac4', rs1: 1, rs2: 2, rs3: 3, half: 2, lane: 0, signed: false },
      { kind: 'mac4', rs1: 1, rs2: 2, rs3: 3, half: 0, lane: 4, signed: true },
      { kind: 'mac4', rs1: 1, rs2: -1, rs3: 3, half: 0, lane: 0, signed: true },
    ];
    for (const insn of bad) expect(() => encodeMac(insn), JSON.stringify(insn)).toThrow(RangeError);
  });

  it('formats as the spec writes it', () => {
    expect(formatMac({ kind: 'mac4', rs1: 11, rs2: 5, rs3: 7, half: 1, lane: 3, signed: false })).toBe('nm.mac4.u x11, x5, x7, 1, 3');
    expect(formatMac({ kind: 'racc', rd: 10, k: 2 })).toBe('nm.racc x10, 2');
  });
});

/** R2.4 computed on byte views: acc[p] + (u|s)int8 byte p of the word * int8 byte l of rs3, wrapped to 32 bits. */
function expectedAccumulators(insn: Mac4Instruction, word: number, rs3: number, accumulators: readonly number[]): number[] {
  const bytes = new DataView(new ArrayBuffer(8));
  bytes.setUint32(0, word >>> 0, true);
  bytes.setUint32(4, rs3 >>> 0, true);
  const weight = bytes.getInt8(4 + insn.lane);
  return accumulators.map((acc, p) => {
    const activation = insn.signed ? bytes.getInt8(p) : bytes.getUint8(p);
    return Number(BigInt.asIntN(32, BigInt(acc) + BigInt(activation * weight)));
  });
}

describe('semantics (R2.4)', () => {
  const forms: Mac4Instruction[] = [false, true].flatMap((signed) =>
    [0, 1].flatMap((half) => [0, 1, 2, 3].map((lane) => ({ kind: 'mac4' as const, rs1: 1, rs2: 2, rs3: 3, half, lane, signed }))));

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
      // Accumulators near the int32 extremes in half the trials: the sums wrap around.
      const accumulators = Array.from({ length: 4 }, () => (trial % 4 < 2 ? random.uint32() | 0 : (0x7fffff00 + random.below(0x200)) | 0));
      const loads: number[] = [];
      const outcome = executeMac4(insn, { rs1, rs2: rs2 >>> 0, rs3 }, accumulators, (address) => (loads.push(address), word));
      const address = (rs1 + offset) >>> 0;
      expect(outcome).toEqual({ kind: 'ok', address, accumulators: expectedAccumulators(insn, word, rs3, accumulators) });
      expect(loads).toEqual([address]);
    }
  });

  it('wraps the accumulators around at 32 bits', () => {
    const insn = forms.find((f) => !f.signed && f.lane === 0)!;
    const outcome = executeMac4(insn, { rs1: 0, rs2: 0, rs3: 0x7f }, [0x7fffffff, -0x80000000, 0, -1], () => 0x00ff01ff);
    // byte 0: 255 * 127, byte 1: 1 * 127, byte 2: 255 * 127, byte 3: 0.
    expect(outcome).toEqual({ kind: 'ok', address: 0, accumulators: [(0x7fffffff + 255 * 127) | 0, -0x80000000 + 127, 255 * 127, -1] });
    const signed = executeMac4({ ...insn, signed: true }, { rs1: 0, rs2: 0, rs3: 0x80 }, [-0x80000000, 0, 0, 0], () => 0x7f);
    // -128 * 127 below -2^31 wraps to the top.
    expect(signed.kind === 'ok' && signed.accumulators[0]).toBe((-0x80000000 - 128 * 127) | 0);
  });

  it('a misaligned address faults before any load and changes nothing; a faulting load throws before anything is written', () => {
    const accumulators = [1, 2, 3, 4];
    for (const [rs1, offset] of [[1, 0], [0, 2], [0xfffffffd, 0], [4, 0xffff]]) {
      const outcome = executeMac4(forms[0]!, { rs1: rs1!, rs2: offset!, rs3: 0x01010101 }, accumulators, () => { throw new Error('loaded'); });
      expect(outcome).toEqual({ kind: 'misaligned', address: (rs1! + offset!) >>> 0 });
    }
    expect(() => executeMac4(forms[0]!, { rs1: 0, rs2: 0, rs3: 1 }, accumulators, () => { throw new RangeError('bus error'); })).toThrow('bus error');
    expect(accumulators).toEqual([1, 2, 3, 4]);
  });

  it('the address wraps around at 32 bits and takes only the selected 16-bit offset', () => {
    const outcome = executeMac4({ half: 1, lane: 0, signed: false }, { rs1: 0xfffffffc, rs2: 0x0008fff1, rs3: 1 }, [0, 0, 0, 0], () => 0x04030201);
    expect(outcome).toEqual({ kind: 'ok', address: 4, accumulators: [1, 2, 3, 4] });
  });

  it('nm.racc returns acc[k] and clears it alone', () => {
    for (let k = 0; k < 4; k++) {
      const accumulators = [-5, 0x7fffffff, 3, -0x80000000];
      const outcome = executeRacc(k, accumulators);
      expect(outcome.rd).toBe(accumulators[k]);
      expect(outcome.accumulators).toEqual(accumulators.map((v, i) => (i === k ? 0 : v)));
    }
  });
});
