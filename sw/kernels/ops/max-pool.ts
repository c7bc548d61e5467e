/**
 * Max pooling (exactly goldenMaxPool, sw/layers/pool.ts) on the walk of pool-windows.ts: per
 * channel word, the window's n words in turn into two registers and n - 1 SIMD maxima
 * (cv.max.b, or cv.maxu.b for uint8) into the first, then one word store: 2n instructions per
 * 4 output bytes (3x3: 18, 4.5 cycles per byte), no stall for n > 2. Leftover channels (C % 4)
 * are bytes: a byte load and cv.max[u] per position. Padding is never visited, so it never wins.
 */
import type { PoolSpec } from '../../layers/pool.js';
import { type PoolAddresses, REDUCTION_REGISTERS, WALK, type WindowReduction, checkPool, interleavedLines, poolCode } from './pool-windows.js';

const [ACC, T0, T1] = REDUCTION_REGISTERS;

function maxReduction(signed: boolean): WindowReduction {
  const max = (bytes: boolean): string => `cv.max${signed ? '' : 'u'}${bytes ? '' : '.b'}`;
  const reduce = (n: number, load: (k: number, rd: string) => string, instruction: string): string[] => [
    load(0, ACC!),
    ...interleavedLines(n - 1, 1, load, [T0!, T1!], (_, reg) => [`  ${instruction} ${ACC}, ${ACC}, ${reg}`]),
  ];
  return {
    setupLines: () => [],
    wordLines: (n, load) => [
      ...reduce(n, load, max(false)),
      // A hardware-loop body needs three instructions; the nop also waits out the load.
      ...(n === 1 ? ['  nop'] : []),
      `  cv.sw ${ACC}, (${WALK.output}), 4`,
    ],
    byteLines: (n, load) => [...reduce(n, load, max(true)), `  cv.sb ${ACC}, (${WALK.output}), 1`],
    byteLoad: signed ? 'cv.lb' : 'cv.lbu',
  };
}

/** The max pooling's code: `core_0` .. `core_<cores-1>` (VariantGenerator.code's contract), the tensors at `at`. */
export function maxPoolCode(spec: PoolSpec, at: PoolAddresses, cores: number): string[] {
  checkPool('maxpool', spec, at, cores);
  return poolCode(spec, maxReduction(spec.signed), at, cores, 'maxpool');
}
