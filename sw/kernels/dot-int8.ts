/**
 * The inner loop of an int8 dot product, the compute-bound kernel `npm run bench` measures ISS
 * speed with: two post-increment loads and a cv.sdotsp.b in a hardware loop over 256 bytes,
 * repeated `passes` times, accumulating into s1.
 */
import { PULP_L1 } from '../../isa/platform/memory-map.js';
import { Random } from '../../util/random.js';
import { inputRegion, type KernelEntry } from './kernel.js';

type DotParams = { readonly passes: number };

/** Word pairs per pass: the hardware loop's count. */
const PAIRS = 32;
const SLICE_BYTES = PAIRS * 8;
/**
 * One word more than a slice: the 16 word-interleaved TCDM banks turn by one bank per core, so
 * cores in lock-step never touch the same bank.
 */
const SLICE_STRIDE = SLICE_BYTES + 4;
const SLICES = PULP_L1.base;
const ACCUMULATOR = 9; // s1

function source({ passes }: DotParams): string {
  return `
  .globl _start
_start:
  csrr t0, mhartid
  li t1, ${SLICE_STRIDE}
  mul t0, t0, t1
  li a0, ${SLICES}
  add a0, a0, t0
  li s0, ${passes}
2:
  mv a1, a0
  cv.setupi 0, ${PAIRS}, 1f
  cv.lw t1, (a1), 4
  cv.lw t2, (a1), 4
  cv.sdotsp.b s1, t1, t2
1:
  addi s0, s0, -1
  bnez s0, 2b
  li a0, 0
  li a7, 93
  ecall
`;
}

/** Signed int8 dot product of the words at `at` and `at + 4` (one cv.sdotsp.b). */
function wordDot(bytes: Int8Array, at: number): number {
  let sum = 0;
  for (let lane = 0; lane < 4; lane++) sum += bytes[at + lane]! * bytes[at + 4 + lane]!;
  return sum;
}

export const dotInt8: KernelEntry<DotParams> = {
  name: 'dot-int8',
  description: 'int8 dot-product loop: 2 post-increment loads + cv.sdotsp.b in a hardware loop over 256 bytes, accumulated over passes in s1',
  params: [{ name: 'passes', description: 'passes over the 256 bytes', default: 100, min: 1, max: 1_000_000 }],
  maxCores: 16,
  split: 'every core runs the loop over its own 256-byte slice of L1, chosen by mhartid',
  generate: (params) => ({ source: source(params), file: 'dot-int8.S', instructionSet: 'cv32e40p' }),
  inputs(_params, cores, seed) {
    const random = new Random(seed);
    return [{ name: 'slices', address: SLICES, bytes: random.fill(new Uint8Array(cores * SLICE_STRIDE)) }];
  },
  golden({ passes }, cores, inputs) {
    const { bytes } = inputRegion(inputs, 'slices');
    const signed = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Int32Array.from({ length: cores }, (_, core) => {
      let pass = 0;
      for (let pair = 0; pair < PAIRS; pair++) pass += wordDot(signed, core * SLICE_STRIDE + 8 * pair);
      // The accumulator wraps at 32 bits, as s1 does.
      return Math.imul(pass, passes);
    });
  },
  outputs: () => ({ kind: 'registers', registers: [ACCUMULATOR] }),
  checked: [{ passes: 1 }, { passes: 3 }],
};
