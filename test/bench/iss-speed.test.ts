import { describe, expect, it } from 'vitest';
import { measureSpeed } from '../../bench/iss-speed.js';

describe('speed measurement', () => {
  it('runs the same kernel on one core and on every cluster core', () => {
    const [single, cluster] = measureSpeed(10, 1);
    // 6 set-up instructions, 10 x (mv, setupi, 32 x 3 body, addi, bnez), 3 to exit.
    expect(single.instructions).toBe(6 + 10 * (2 + 96 + 2) + 3);
    expect(cluster.instructions).toBe(8 * single.instructions);
    // Private slices in distinct banks: the cluster takes as many cycles as one core.
    expect(cluster.cycles).toBe(single.cycles);
    expect(single.mips).toBeGreaterThan(0);
  });
});
