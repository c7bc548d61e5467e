// The windows the core's testbenches answer (gen/rtl-harness/bus-map.ts): the ISS's map for the
// program's entry, the CLINT for data, the ecall handler for fetch, and the split-store rule.
import { describe, expect, it } from 'vitest';
import { busMap, storeWrites, windowIndex, windowsArgument } from '../../gen/rtl-harness/bus-map.js';
import { ECALL_HANDLER_END } from '../../gen/rtl-harness/environment-call.js';
import { CLINT_BASE, CLINT_SIZE, PULP_L1, PULP_L2, regionEnd, SPIKE_MEMORY_MAP } from '../../isa/platform/memory-map.js';

const DRAM = SPIKE_MEMORY_MAP[0]!;

describe('the testbenches\' bus map', () => {
  it('is the PULP map for a program in L2, the Spike RAM for one there', () => {
    expect(busMap(PULP_L2.base).data).toEqual([
      { base: PULP_L1.base, end: regionEnd(PULP_L1) }, { base: PULP_L2.base, end: regionEnd(PULP_L2) }, { base: CLINT_BASE, end: CLINT_BASE + CLINT_SIZE },
    ]);
    expect(busMap(DRAM.base).fetch).toEqual([{ base: DRAM.base, end: regionEnd(DRAM) }, { base: 0, end: ECALL_HANDLER_END }]);
  });

  it('answers data in RAM and the CLINT, fetch in RAM and the ecall handler, nothing else', () => {
    const { data, fetch } = busMap(PULP_L2.base);
    expect(windowIndex(data, CLINT_BASE + 0xbffc)).toBe(2);
    expect(windowIndex(fetch, CLINT_BASE)).toBe(-1);
    expect(windowIndex(data, 0)).toBe(-1);
    expect(windowIndex(fetch, ECALL_HANDLER_END - 4)).toBe(2);
    expect(windowIndex(fetch, ECALL_HANDLER_END)).toBe(-1);
    expect(windowIndex(data, regionEnd(PULP_L2) - 1)).toBe(1);
    expect(windowIndex(data, regionEnd(PULP_L2))).toBe(-1);
    expect(windowIndex(data, PULP_L2.base - 1)).toBe(-1);
    expect(windowIndex(data, 0xffff_fffc)).toBe(-1);
  });

  it('writes a split store\'s first half only when its second word is in the same window', () => {
    const { data } = busMap(PULP_L2.base);
    const lastWord = regionEnd(PULP_L2) - 4;
    expect(storeWrites(data, lastWord, false)).toBe(true);
    expect(storeWrites(data, lastWord, true)).toBe(false);
    expect(storeWrites(data, lastWord - 4, true)).toBe(true);
    expect(storeWrites(data, regionEnd(PULP_L2), false)).toBe(false);
  });

  it('is passed to the C++ drivers as BASE:END pairs in hex', () => {
    expect(windowsArgument(busMap(DRAM.base).data)).toBe(`80000000:81000000,${CLINT_BASE.toString(16)}:${(CLINT_BASE + CLINT_SIZE).toString(16)}`);
  });
});
