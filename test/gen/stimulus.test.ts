// The cosimulation stimulus: reproducible from its seed, shaped like the module's inputs, and
// reaching the values and sequences the differential test relies on.
import { describe, expect, it } from 'vitest';
import { elaborate } from '../../hw/hdl/index.js';
import { Counter } from '../../hw/examples/counter.js';
import { randomStimulus } from '../../gen/cosim/index.js';
import { Passthrough, SignedOps } from './fixtures.js';

describe('randomStimulus', () => {
  const top = elaborate(Passthrough, {}).top;

  it('is a pure function of the seed', () => {
    expect(randomStimulus(top, 500, 42)).toEqual(randomStimulus(top, 500, 42));
    expect(randomStimulus(top, 500, 43).rows).not.toEqual(randomStimulus(top, 500, 42).rows);
  });

  it('lists rst first, then the inputs in port order, with values that fit their widths', () => {
    const stimulus = randomStimulus(top, 1000, 1);
    expect(stimulus.inputs.map((i) => `${i.name}:${i.type.width}`)).toEqual(['rst:1', 'wide:70', 'word:33', 'neg:5', 'flag:1']);
    for (const row of stimulus.rows) {
      row.forEach((bits, i) => expect(bits >= 0n && bits >> BigInt(stimulus.inputs[i]!.type.width) === 0n).toBe(true));
    }
  });

  it('resets on the first cycle and rarely afterwards', () => {
    const rst = randomStimulus(top, 20000, 1).rows.map((row) => row[0]);
    expect(rst[0]).toBe(1n);
    const later = rst.slice(1).filter((v) => v === 1n).length;
    expect(later).toBeGreaterThan(10);
    expect(later).toBeLessThan(100);
  });

  it('reaches the signed extremes and all-ones of a wide input', () => {
    const wide = randomStimulus(top, 2000, 1).rows.map((row) => row[1]!);
    for (const corner of [0n, 1n << 69n, (1n << 69n) - 1n, (1n << 70n) - 1n]) expect(wide).toContain(corner);
  });

  it('holds inputs long enough for an 8-bit counter to wrap within the seeds the cosimulation uses', () => {
    const counter = elaborate(Counter, { width: 8 }).top;
    const longest = [1, 2, 3, 4, 5].map((seed) => {
      let run = 0;
      let best = 0;
      for (const [rst, enable, clear] of randomStimulus(counter, 2000, seed).rows) {
        run = rst === 0n && enable === 1n && clear === 0n ? run + 1 : 0;
        best = Math.max(best, run);
      }
      return best;
    });
    expect(Math.max(...longest)).toBeGreaterThanOrEqual(255);
  });

  it('has no reset for a module without state', () => {
    const stimulus = randomStimulus(elaborate(SignedOps, {}).top, 10, 1);
    expect(stimulus.inputs.map((i) => i.name)).toEqual(['a', 'b']);
  });
});
