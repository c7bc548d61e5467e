/**
 * The frame every cluster program shares (docs/kernels.md#programs), whatever its cores compute:
 * the dispatch from `_start` to each core's code, the end (barrier, optional self-check, exit) and
 * data as `.word` lines. layerProgram (program.ts) and the operator programs (sw/kernels/ops/) wrap
 * their cores' code with it.
 */
import type { Addr } from '../../../isa/types.js';

const align4 = (n: number): number => Math.ceil(n / 4) * 4;

/** `.word` lines holding `bytes` (zero-padded to whole words), eight per line. */
export function wordLines(bytes: Uint8Array): string[] {
  const padded = new Uint8Array(align4(bytes.length));
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  const lines: string[] = [];
  for (let i = 0; i < padded.length; i += 32) {
    const words: string[] = [];
    for (let j = i; j < Math.min(i + 32, padded.length); j += 4) words.push(`0x${view.getUint32(j, true).toString(16).padStart(8, '0')}`);
    lines.push(`  .word ${words.join(', ')}`);
  }
  return lines;
}

/** The jump from `_start` to each core's code (a0 = hart id): `j`, whose 1 MiB reach covers any generated code, unlike a branch's 4 KiB. */
export function dispatch(cores: number): string[] {
  const lines = ['  .globl _start', '_start:', '  csrr a0, mhartid'];
  for (let core = 0; core < cores - 1; core++) lines.push(`  li t0, ${core}`, `  bne a0, t0, dispatch_${core + 1}`, `  j core_${core}`, `dispatch_${core + 1}:`);
  lines.push(`  j core_${cores - 1}`);
  return lines;
}

/** What core 0 compares after the barrier: `bytes` bytes at `output` with the bytes at the label `expected_output`. */
export interface SelfCheck {
  readonly output: Addr;
  readonly bytes: number;
}

/**
 * The end, at `kernel_end`: every core waits at the barrier (a lone core has none to wait for, so
 * its program needs no cluster peripheral and runs on a bare CV32E40P too); core 0 then optionally
 * compares the output with the golden bytes (exit code 1 on the first difference), and every core
 * exits with code 0.
 */
export function epilogue(cores: number, check?: SelfCheck): string[] {
  const exit = (code: number): string[] => [`  li a0, ${code}`, '  li a7, 93', '  ecall'];
  const barrier = cores > 1 ? ['  li t0, PERIPHERAL_BARRIER', '  lw zero, 0(t0)            # wait for every core: the layer is done'] : [];
  const lines = ['kernel_end:', ...barrier];
  if (!check) return [...lines, ...exit(0)];
  return [
    ...lines,
    '  csrr t0, mhartid',
    '  bnez t0, check_pass',
    `  li t1, ${check.output}`,
    '  la t2, expected_output',
    `  li t3, ${check.bytes}`,
    'check_loop:',
    '  lbu t4, 0(t1)',
    '  lbu t5, 0(t2)',
    '  bne t4, t5, check_fail',
    '  addi t1, t1, 1',
    '  addi t2, t2, 1',
    '  addi t3, t3, -1',
    '  bnez t3, check_loop',
    'check_pass:',
    ...exit(0),
    'check_fail:',
    ...exit(1),
  ];
}

/** `.byte` lines holding exactly `bytes`, sixteen per line: data at any address, of any length. */
export function byteLines(bytes: Uint8Array): string[] {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 16) lines.push(`  .byte ${Array.from(bytes.subarray(i, i + 16), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')}`);
  return lines;
}
