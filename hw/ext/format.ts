// Generator parameters shared by the Xnmsparse units: one N:M format and element size per
// hardware instance (docs/isa-extension.md §3: other formats raise illegal instruction).
import type { BlockSize, ElementBytes, NonZeros } from '../../isa/xnmsparse/gather.js';
import { lanesPerWord } from '../../isa/xnmsparse/gather.js';
import { type ParamSpec, powerOfTwo } from '../../util/params.js';

export interface GatherFormat {
  readonly m: BlockSize;
  readonly n: NonZeros;
  readonly bytes: ElementBytes;
}

/** Width of a packed index: log2(M). */
export const indexWidth = (f: { m: number }): number => Math.log2(f.m);
/** Width of a lane number. */
export const laneWidth = (f: { bytes: number }): number => Math.log2(lanesPerWord(f.bytes as ElementBytes));

export const formatParams: readonly ParamSpec[] = [
  {
    name: 'm',
    description: 'block size M of the N:M pattern',
    default: 8,
    min: 4,
    max: 16,
    check: powerOfTwo,
  },
  { name: 'n', description: 'non-zeros N per block (N < M)', default: 1, min: 1, max: 2 },
  { name: 'bytes', description: 'element size in bytes (1: int8 lanes, 2: int16 lanes)', default: 1, min: 1, max: 2 },
];

/** The six N:M patterns with int8 elements, plus int16 for one, as CI checks them. */
export const checkedFormats: readonly GatherFormat[] = [
  { m: 4, n: 1, bytes: 1 },
  { m: 8, n: 2, bytes: 1 },
  { m: 16, n: 1, bytes: 2 },
];
