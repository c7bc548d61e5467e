// The platform's CLINT model (isa/platform/clint.ts), which every engine's CLINT follows: mtime is
// the cycles before the current one, stores take effect in the next cycle, mtimecmp resets to
// never, the timer and software lines, partial writes, and when a sleeping hart can be woken.
import { describe, expect, it } from 'vitest';
import { Clint, mtimeAt } from '../../isa/platform/clint.js';
import { CLINT, MTIMECMP_NEVER } from '../../isa/platform/memory-map.js';
import { IRQ_LINE } from '../../isa/csr-values.js';

const TIMER = 1 << IRQ_LINE.timer;
const SOFTWARE = 1 << IRQ_LINE.software;

describe('the CLINT', () => {
  it('reads mtime as the cycles before the current one, and ignores writes to it', () => {
    const clint = new Clint(1);
    expect(mtimeAt(1)).toBe(0n);
    expect(clint.read(CLINT.MTIME, 4, 100)).toBe(99);
    clint.write(CLINT.MTIME, 4, 5, 100);
    expect(clint.read(CLINT.MTIME, 4, 101)).toBe(100);
    expect(clint.read(CLINT.MTIME + 4, 4, 101)).toBe(0);
    expect(clint.read(CLINT.MTIME, 2, 0x12346)).toBe(0x2345);
  });

  it('raises the timer line while mtime >= mtimecmp, from the cycle after the store', () => {
    const clint = new Clint(1);
    expect(clint.read(CLINT.MTIMECMP, 4, 5)).toBe(-1);
    expect(clint.lines(0, 1_000_000)).toBe(0);
    clint.write(CLINT.MTIMECMP, 4, 50, 10);
    clint.write(CLINT.MTIMECMP + 4, 4, 0, 11);
    expect(clint.read(CLINT.MTIMECMP + 4, 4, 11)).toBe(-1);
    expect(clint.read(CLINT.MTIMECMP + 4, 4, 12)).toBe(0);
    expect(clint.lines(0, 50)).toBe(0);
    expect(clint.lines(0, 51)).toBe(TIMER);
    expect(clint.firstLineFrom(0, 20, TIMER)).toBe(51);
    expect(clint.firstLineFrom(0, 20, SOFTWARE)).toBeUndefined();
  });

  it('keeps one msip bit and one mtimecmp per hart, and merges partial writes', () => {
    const clint = new Clint(2);
    clint.write(CLINT.MSIP + 4, 4, 0xff, 3);
    expect(clint.lines(1, 4)).toBe(SOFTWARE);
    expect(clint.lines(0, 4)).toBe(0);
    expect(clint.read(CLINT.MSIP + 4, 4, 4)).toBe(1);
    clint.write(CLINT.MTIMECMP + 8, 1, 0x34, 5);
    expect(clint.read(CLINT.MTIMECMP + 8, 4, 6) >>> 0).toBe(0xffffff34);
    expect(() => clint.write(CLINT.MTIMECMP + 2, 4, 0, 7)).toThrow(/must not cross a word/);
  });

  it('counts a compare at or beyond 2^53 as never', () => {
    const clint = new Clint(1);
    clint.write(CLINT.MTIMECMP, 4, 0, 1);
    clint.write(CLINT.MTIMECMP + 4, 4, MTIMECMP_NEVER / 2 ** 32, 1);
    expect(clint.firstLineFrom(0, 10, TIMER)).toBeUndefined();
  });
});
