/**
 * Packed-SIMD arithmetic on 32-bit registers: two 16-bit lanes (.h) or four 8-bit lanes (.b).
 * Lane 0 is the least significant.
 */

export type LaneWidth = 8 | 16;

/** Lane `index` of `x`, sign- or zero-extended. */
export function lane(x: number, index: number, width: LaneWidth, signed: boolean): number {
  const shift = 32 - width - index * width;
  return signed ? (x << shift) >> (32 - width) : (x >>> (index * width)) & ((1 << width) - 1);
}

/** Copy lane 0 of `x` into every lane (the .sc and .sci forms). */
export function replicate(x: number, width: LaneWidth): number {
  return width === 16 ? Math.imul(x & 0xffff, 0x10001) : Math.imul(x & 0xff, 0x01010101);
}

/** Apply `op` lane by lane; each result is truncated to the lane width. */
export function lanewise(width: LaneWidth, signed: boolean, op: (x: number, y: number) => number) {
  const lanes = 32 / width;
  const mask = (1 << width) - 1;
  return (a: number, b: number): number => {
    let result = 0;
    for (let i = 0; i < lanes; i++) {
      result |= (op(lane(a, i, width, signed), lane(b, i, width, signed)) & mask) << (i * width);
    }
    return result | 0;
  };
}

/** Sum over lanes of a_i * b_i with the given signedness of each side (exact: |sum| < 2^34). */
export function dotProduct(width: LaneWidth, aSigned: boolean, bSigned: boolean) {
  // Unrolled per width: these run in the innermost loop of every kernel.
  const ea = laneExtractors(width, aSigned);
  const eb = laneExtractors(width, bSigned);
  if (width === 16) {
    const [a0, a1] = ea as [Extract, Extract];
    const [b0, b1] = eb as [Extract, Extract];
    return (a: number, b: number): number => (a0(a) * b0(b) + a1(a) * b1(b)) | 0;
  }
  const [a0, a1, a2, a3] = ea as [Extract, Extract, Extract, Extract];
  const [b0, b1, b2, b3] = eb as [Extract, Extract, Extract, Extract];
  return (a: number, b: number): number => (a0(a) * b0(b) + a1(a) * b1(b) + a2(a) * b2(b) + a3(a) * b3(b)) | 0;
}

type Extract = (x: number) => number;

/** One extractor per lane, with the shifts fixed. */
function laneExtractors(width: LaneWidth, signed: boolean): Extract[] {
  return Array.from({ length: 32 / width }, (_, i): Extract => {
    const left = 32 - width - i * width;
    const right = 32 - width;
    return signed ? (x) => (x << left) >> right : (x) => (x << left) >>> right;
  });
}

/** Replace lane `index` of `target` with lane 0 of `source`. */
export function insertLane(target: number, source: number, index: number, width: LaneWidth): number {
  const shift = index * width;
  const mask = ((1 << width) - 1) << shift;
  return (((source << shift) & mask) | (target & ~mask)) | 0;
}
