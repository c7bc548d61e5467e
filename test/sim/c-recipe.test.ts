// The README's "Running C programs" recipe, run as written: its prog.c, its gcc command line (the
// one the C test programs build with) from the repository root, then `nmsparse sim prog.elf`,
// whose output and exit status must be the ones the README shows.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CROSS_COMPILER, crossCompile, crossCompilerMissing, recipeArguments, REPOSITORY_ROOT } from './support/gcc.js';

interface TranscriptStep {
  readonly command: string;
  readonly output: string;
}

/** The fenced blocks of a Markdown text, with their info strings. */
function fencedBlocks(markdown: string): { info: string; body: string }[] {
  return [...markdown.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((m) => ({ info: m[1]!, body: m[2]! }));
}

/** A shell transcript: each `$ ` line and the lines it printed. */
function transcript(block: string): TranscriptStep[] {
  return block.split(/^\$ /m).slice(1).map((step) => {
    const [command, ...output] = step.split('\n');
    return { command: command!, output: output.join('\n') };
  });
}

const readme = readFileSync(path.join(REPOSITORY_ROOT, 'README.md'), 'utf8');
const section = readme.split(/^## /m).find((s) => s.startsWith('Running C programs\n')) ?? '';
const blocks = fencedBlocks(section);
const program = blocks.find((b) => b.info === 'c')?.body;
const steps = transcript(blocks.find((b) => b.body.startsWith(`$ ${CROSS_COMPILER} `))?.body ?? '');

describe('the README recipe for C programs', () => {
  it('is in the README: a C program, the compiler, the simulator, the exit status', () => {
    expect(program).toContain('int main(void)');
    expect(steps.map((s) => s.command.split(' ').slice(0, 3).join(' '))).toEqual([
      `${CROSS_COMPILER} -march=rv32imc -mabi=ilp32`, 'npx nmsparse sim', 'echo $?',
    ]);
  });

  it('compiles with the flags and platform files the C test programs use', () => {
    const args = steps[0]!.command.split(' ').slice(1);
    expect(args).toEqual(recipeArguments({ march: 'rv32imc', optimization: '-O2', crt0: 'crt0.S', source: 'prog.c', output: 'prog.elf' }));
  });

  describe.skipIf(crossCompilerMissing)('run as written', () => {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'nmsparse-recipe-'));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('builds prog.elf and nmsparse sim prints what the README shows', () => {
      const [compile, simulate, status] = steps;
      // The command line as written, with prog.c and prog.elf in a scratch folder instead of the checkout.
      const inScratch = (arg: string): string => (arg === 'prog.c' || arg === 'prog.elf' ? path.join(scratch, arg) : arg);
      writeFileSync(path.join(scratch, 'prog.c'), program!);
      crossCompile(compile!.command.split(' ').slice(1).map(inScratch));

      const args = simulate!.command.split(' ').slice(2).map(inScratch); // after `npx nmsparse`
      const run = spawnSync(process.execPath, [path.join(REPOSITORY_ROOT, 'bin', 'nmsparse.js'), ...args], { cwd: REPOSITORY_ROOT, encoding: 'utf8' });
      expect(run.stdout + run.stderr).toBe(simulate!.output);
      expect(`${run.status}\n`).toBe(status!.output);
    });
  });
});
