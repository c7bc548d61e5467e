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

// Lane i of x, for bytes (b) and halfwords (h), signed (s) or unsigned (u).
const sb = (x: number, i: number): number => (x << (24 - 8 * i)) >> 24;
const ub = (x: number, i: number): number => (x >>> (8 * i)) & 0xff;
const sh = (x: number, i: number): number => (x << (16 - 16 * i)) >> 16;
const uh = (x: number, i: number): number => (x >>> (16 * i)) & 0xffff;

/**
 * acc + sum over lanes of a_i * b_i, by lane width and the signedness of each side, written out
 * because these run in the innermost loop of every kernel. Exact in doubles (|sum| < 2^35), then
 * wrapped to 32 bits.
 */
const DOT_PRODUCTS = {
  '8uu': (a: number, b: number, acc: number) => (acc + ub(a, 0) * ub(b, 0) + ub(a, 1) * ub(b, 1) + ub(a, 2) * ub(b, 2) + ub(a, 3) * ub(b, 3)) | 0,
  '8us': (a: number, b: number, acc: number) => (acc + ub(a, 0) * sb(b, 0) + ub(a, 1) * sb(b, 1) + ub(a, 2) * sb(b, 2) + ub(a, 3) * sb(b, 3)) | 0,
  '8ss': (a: number, b: number, acc: number) => (acc + sb(a, 0) * sb(b, 0) + sb(a, 1) * sb(b, 1) + sb(a, 2) * sb(b, 2) + sb(a, 3) * sb(b, 3)) | 0,
  '16uu': (a: number, b: number, acc: number) => (acc + uh(a, 0) * uh(b, 0) + uh(a, 1) * uh(b, 1)) | 0,
  '16us': (a: number, b: number, acc: number) => (acc + uh(a, 0) * sh(b, 0) + uh(a, 1) * sh(b, 1)) | 0,
  '16ss': (a: number, b: number, acc: number) => (acc + sh(a, 0) * sh(b, 0) + sh(a, 1) * sh(b, 1)) | 0,
} as const;

/** (a, b, acc) => acc + the lane-wise dot product of a and b, wrapped to 32 bits. */
export function dotProduct(width: LaneWidth, aSigned: boolean, bSigned: boolean): (a: number, b: number, acc: number) => number {
  if (aSigned && !bSigned) throw new Error('dotProduct: CORE-V has no signed x unsigned form');
  return DOT_PRODUCTS[`${width}${aSigned ? 's' : 'u'}${bSigned ? 's' : 'u'}` as keyof typeof DOT_PRODUCTS];
}

/** Replace lane `index` of `target` with lane 0 of `source`. */
export function insertLane(target: number, source: number, index: number, width: LaneWidth): number {
  const shift = index * width;
  const mask = ((1 << width) - 1) << shift;
  return (((source << shift) & mask) | (target & ~mask)) | 0;
}
