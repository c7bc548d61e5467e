// Stand-in for the golden model of revision 2 (isa/xnmsparse/mac.ts, being written): the
// semantics of docs/isa-extension.md R2.3/R2.4, as the HDL tests need them.
export interface MacInsn { kind: 'mac4'; signed: boolean; half: 0 | 1; lane: number; rs1: number; rs2: number; rs3: number }
export interface RaccInsn { kind: 'racc'; rd: number; k: number }
export type DecodedMac = MacInsn | RaccInsn | 'illegal' | null;

export function decodeMac(word: number): DecodedMac {
  if ((word & 0x7f) !== 0x2b || ((word >>> 12) & 7) !== 7) return null;
  const f2 = (word >>> 25) & 3;
  if (f2 < 2) {
    if ((word >>> 10) & 3) return 'illegal';
    return { kind: 'mac4', signed: f2 === 1, half: ((word >>> 9) & 1) as 0 | 1, lane: (word >>> 7) & 3, rs1: (word >>> 15) & 31, rs2: (word >>> 20) & 31, rs3: word >>> 27 };
  }
  if (f2 === 3 || word >>> 27 || (word >>> 22) & 7 || (word >>> 15) & 31) return 'illegal';
  return { kind: 'racc', rd: (word >>> 7) & 31, k: (word >>> 20) & 3 };
}

export const macAddress = (base: number, offsets: number, half: number): number => (base + ((offsets >>> (16 * half)) & 0xffff)) >>> 0;

export function macAccumulate(acc: readonly number[], word: number, weights: number, lane: number, signed: boolean): number[] {
  const w = (weights << (24 - 8 * lane)) >> 24;
  return acc.map((a, p) => {
    const byte = (word >>> (8 * p)) & 0xff;
    const act = signed ? (byte << 24) >> 24 : byte;
    return (a + act * w) | 0;
  });
}
