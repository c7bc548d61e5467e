// `nmsparse sim --strict-core`: the ISS refuses, as the project's core would, every instruction the
// core does not implement, naming it with its pc and word; what the core has runs as without it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../util/exit-codes.js';
import { nmsparse } from './run-nmsparse.js';

const example = (name: string): string => path.resolve(__dirname, '../../docs/examples', name);
const scratch = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-strict-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A program in the scratch folder that ends with exit code 5, through a revision-2 instruction when `mul4`. */
function exitFive(mul4: boolean): string {
  const file = path.join(scratch, mul4 ? 'mul4.S' : 'base.S');
  // nm.mul4: t3 = byte 0 of the word (1) times weight lane 0 of t0 (5).
  const body = mul4 ? '  la a1, one\n  li t0, 5\n  nm.mul4.u a1, zero, t0, 0, 0\n  mv a0, t3\n' : '  li a0, 5\n';
  writeFileSync(file, `  .globl _start\n_start:\n${body}  li a7, 93\n  ecall\n  .data\n  .align 2\none:\n  .word 1\n`);
  return file;
}

describe('nmsparse sim --strict-core', () => {
  it('stops at the first revision-1 gather, with its mnemonic, pc and word, as a simulation fault', async () => {
    const result = await nmsparse(['sim', example('gather.S'), '--xnmsparse', '--strict-core']);
    expect(result.code).toBe(ExitCode.simulationFault);
    expect(result.stderr).toMatch(/^nmsparse: IllegalInstructionError after \d+ cycles, \d+ instructions: nm\.lgc\.b \(Xnmsparse\) is not implemented by the project's core with Xnmsparse revision 2 \(--strict-core\)\n {2}core 0, pc 0x[0-9a-f]{8}, insn 0x[0-9a-f]{8} 'nm\.lgc\.b a0, t0\(a2\), 0, 1:8', cycle \d+\n$/);
  });

  it('runs a program within the core\'s rows as the ISS does without it', async () => {
    for (const [file, options] of [[exitFive(false), []], [exitFive(true), ['--xnmsparse']]] as const) {
      const strict = await nmsparse(['sim', file, ...options, '--strict-core']);
      expect(strict.code, strict.stderr).toBe(5);
      expect(strict).toEqual(await nmsparse(['sim', file, ...options]));
    }
  });

  it('is refused with the real CV32E40P engines', async () => {
    const result = await nmsparse(['sim', example('gather.S'), '--engine', 'cv32e40p', '--rtl', '.', '--strict-core']);
    expect(result.code).toBe(ExitCode.userError);
    expect(result.stderr).toContain('does not take --strict-core');
  });
});
