// Where each bit of a decoded operand comes from in the instruction word. The instruction table
// describes operand kinds by an `extract` function (isa/operands.ts), the one description the
// decoder, assembler and disassembler share; every kind of the RISC-V and CORE-V encodings is a
// pure bit selection (field bits moved into place, sign bits repeated, scaling as zero bits), so
// the hardware decoder derives its wiring from that same function instead of a second copy of the
// encodings. A kind that is not a bit selection is refused at elaboration.
import type { OperandKind } from '../../isa/operands.js';
import { Random } from '../../util/random.js';

/** For each result bit (0..31): the instruction bit it copies, or -1 for a constant zero. */
export type OperandBitMap = readonly number[];

const cache = new Map<string, OperandBitMap>();

/** Probe `kind.extract` with one-hot words and confirm the selection on random words. */
export function operandBitMap(kind: OperandKind): OperandBitMap {
  const known = cache.get(kind.name);
  if (known) return known;
  const fail = (why: string): never => {
    throw new Error(`operand kind '${kind.name}' is not a selection of instruction bits (${why}): the core's decoder cannot wire it`);
  };
  if (kind.extract(0) !== 0) fail('a zero word gives a non-zero value');
  const map = new Array<number>(32).fill(-1);
  for (let source = 0; source < 32; source++) {
    const value = kind.extract((1 << source) >>> 0) >>> 0;
    for (let bit = 0; bit < 32; bit++) {
      if (((value >>> bit) & 1) === 0) continue;
      if (map[bit] !== -1) fail(`bit ${bit} depends on two instruction bits`);
      map[bit] = source;
    }
  }
  const random = new Random(kind.name.length);
  for (let trial = 0; trial < 256; trial++) {
    const word = random.uint32();
    let expected = 0;
    for (let bit = 0; bit < 32; bit++) if (map[bit]! >= 0 && ((word >>> map[bit]!) & 1) !== 0) expected |= 1 << bit;
    if (expected >>> 0 !== kind.extract(word) >>> 0) fail(`word 0x${word.toString(16)}`);
  }
  cache.set(kind.name, map);
  return map;
}
