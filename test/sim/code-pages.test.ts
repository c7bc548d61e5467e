// The code cache by 64 KiB page (sim/core/code-page.ts): a region allocates a page when code is first
// decoded in it, and code that straddles pages runs, compiles and is invalidated as within one.
import { describe, expect, it } from 'vitest';
import { CODE_PAGE_BYTES } from '../../sim/core/code-page.js';
import { loadProgram } from '../../sim/program.js';
import { SPIKE_MEMORY_MAP } from '../../isa/platform/memory-map.js';
import { assemble } from '../../sw/asm/assembler.js';
import { writeElf } from '../../isa/elf/writer.js';
import { compareSingle } from './support/engines.js';

const BASE = SPIKE_MEMORY_MAP[0]!.base;
const spikeElf = (source: string): Uint8Array => writeElf(assemble(`  .globl _start\n_start:\n${source}`, { base: BASE }));

/**
 * Ten passes over code whose `addi a0, a0, 1` starts on the last halfword of a page; each pass
 * then rewrites the instruction's upper halfword, in the next page, into `addi a0, a0, 2`.
 */
const STRADDLING = spikeElf(`
  li a0, 0
  li s1, 10
  la t0, target + 2
  li t1, 0x0025
  j code
  .balign ${CODE_PAGE_BYTES}
  .space ${CODE_PAGE_BYTES - 8}
code:
  nop
  .half 0x0001              # c.nop: the next instruction starts 2 bytes before the page ends
target:
  addi a0, a0, 1
  sh t1, 0(t0)
  addi s1, s1, -1
  bnez s1, code
  li a7, 93
  ecall
`);

describe('code pages', () => {
  it('a tiny program in the 16 MiB Spike RAM allocates one page', () => {
    const { hart, memory } = loadProgram(spikeElf('  li a0, 5\n  li a7, 93\n  ecall\n'), { memoryMap: SPIKE_MEMORY_MAP });
    expect(hart.run().stop).toEqual({ kind: 'exit', code: 5 });
    expect(memory.regions[0]!.codePages.map((page) => [page.base, page.size])).toEqual([[BASE, CODE_PAGE_BYTES]]);
  });

  it('an instruction across a page boundary is decoded once, compiled, and dropped when its second page is written', () => {
    const { reference, fast } = compareSingle(STRADDLING, { memoryMap: SPIKE_MEMORY_MAP });
    // The first pass adds 1, the nine after it the rewritten 2.
    expect(reference.stop).toEqual({ kind: 'exit', code: 1 + 9 * 2 });
    expect(fast.use.blocks).toBeGreaterThan(0);
  });
});
