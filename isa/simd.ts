/**
 * Packed-SIMD arithmetic on 32-bit registers: two 16-bit lanes (.h) or four 8-bit lanes (.b).
 * Lane 0 is the least significant.
 */

import { compileGenerated } from '../util/generated-code.js';

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

/**
 * Lane `index` of the value named `x`, sign- or zero-extended, as a JavaScript expression (what
 * `lane` computes).
 */
const laneExpression = (x: string, index: number, width: LaneWidth, signed: boolean): string =>
  signed ? `((${x} << ${32 - width - index * width}) >> ${32 - width})` : `((${x} >>> ${index * width}) & ${(1 << width) - 1})`;

/**
 * acc + sum over lanes of a_i * b_i, wrapped to 32 bits, as a JavaScript expression over a = $0,
 * b = $1 and acc = $2 (exact in doubles: |sum| < 2^35). Written out lane by lane because it runs in
 * the innermost loop of every kernel: compiled blocks put the text itself in their code
 * (RegisterOperation.expression), where a call would stop being inlined once a block holds a dozen
 * of them, and `dotProduct` is compiled from the same text.
 */
export function dotProductExpression(width: LaneWidth, aSigned: boolean, bSigned: boolean): string {
  if (aSigned && !bSigned) throw new Error('dotProduct: CORE-V has no signed x unsigned form');
  const products = Array.from({ length: 32 / width }, (_, i) => ` + ${laneExpression('$0', i, width, aSigned)} * ${laneExpression('$1', i, width, bSigned)}`);
  return `($2${products.join('')}) | 0`;
}

type DotProduct = (a: number, b: number, acc: number) => number;

/** One function per lane width and signedness, shared by every row of that form: its call sites stay monomorphic. */
const dotProducts = new Map<string, DotProduct>();

/** (a, b, acc) => acc + the lane-wise dot product of a and b, wrapped to 32 bits (dotProductExpression). */
export function dotProduct(width: LaneWidth, aSigned: boolean, bSigned: boolean): DotProduct {
  const name = `dot_product_${width}${aSigned ? 's' : 'u'}${bSigned ? 's' : 'u'}`;
  let product = dotProducts.get(name);
  if (product === undefined) {
    product = compileGenerated<DotProduct>(name, [], `return ($0, $1, $2) => ${dotProductExpression(width, aSigned, bSigned)};`, []).value;
    dotProducts.set(name, product);
  }
  return product;
}

/** Replace lane `index` of `target` with lane 0 of `source`. */
export function insertLane(target: number, source: number, index: number, width: LaneWidth): number {
  const shift = index * width;
  const mask = ((1 << width) - 1) << shift;
  return (((source << shift) & mask) | (target & ~mask)) | 0;
}
