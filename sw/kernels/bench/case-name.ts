import type { BenchCase } from './cases.js';

/** A case in words, as progress lines and error messages name it: "conv3x3-64-8x8 sparse 1:8 on 8 cores", "fc-512-64 dense on 1 core". */
export const caseName = (c: BenchCase): string =>
  `${c.layer} ${c.nm === 'dense' && c.variant === 'dense' ? 'dense' : `${c.variant} ${c.nm}`} on ${c.cores} core${c.cores === 1 ? '' : 's'}`;
