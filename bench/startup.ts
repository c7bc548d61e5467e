// Whole-process figures of the command as a user starts it: plain Node running the compiled CLI
// (`bin/nmsparse.js`, which loads dist/), for `nmsparse --help` and a 2,000-instruction
// `nmsparse sim`, and the sim's peak memory, with the program in PULP L2 (512 KiB) and in the
// riscv-tests RAM (16 MiB), where memory grows with the region if anything is sized by it.
// Wall time includes Node's own startup.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figuresAlign, formatTable } from '../gen/text-table.js';
import { writeElf } from '../isa/elf/writer.js';
import { SPIKE_MEMORY_MAP } from '../isa/platform/memory-map.js';
import { assemble } from '../sw/asm/assembler.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'nmsparse.js');
const program = 'bench/programs/count-2000.S';
const RUNS = 7;

/**
 * Preloaded into a run (`node --import`) to write the process's peak resident set size (KiB) to the
 * file named by NMSPARSE_BENCH_MAXRSS as it exits, so the bench needs no GNU time. Only the memory
 * runs load it, so it costs the timed runs nothing.
 */
const MAX_RSS_PRELOAD = 'data:text/javascript,' + encodeURIComponent(
  "import { writeFileSync } from 'node:fs';"
  + "process.on('exit', () => writeFileSync(process.env.NMSPARSE_BENCH_MAXRSS, String(process.resourceUsage().maxRSS)));",
);

/** Runs the command to completion; fails the bench on a non-zero exit. Returns its stderr. */
function run(args: readonly string[], nodeOptions: readonly string[] = [], env: NodeJS.ProcessEnv = process.env): string {
  const child = spawnSync(process.execPath, [...nodeOptions, bin, ...args], { cwd: root, env, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`nmsparse ${args.join(' ')} exited with ${child.status}: ${child.stderr}`);
  return child.stderr;
}

function seconds(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  run(args);
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function peakMiB(args: readonly string[], work: string): number {
  const file = path.join(work, 'maxrss');
  run(args, [`--import=${MAX_RSS_PRELOAD}`], { ...process.env, NMSPARSE_BENCH_MAXRSS: file });
  return Number(readFileSync(file, 'utf8')) / 1024;
}

/** The benchmark program as an ELF executable linked at the base of the riscv-tests RAM. */
function writeSpikeElf(work: string): string {
  const elf = path.join(work, 'count-2000-spike.elf');
  const source = readFileSync(path.join(root, program), 'utf8');
  writeFileSync(elf, writeElf(assemble(source, { file: program, base: SPIKE_MEMORY_MAP[0]!.base })));
  return elf;
}

/** Best and median of `RUNS` measurements (lower is better for every figure here). */
function bestAndMedian(measure: () => number): [number, number] {
  const values = Array.from({ length: RUNS }, measure).sort((a, b) => a - b);
  return [values[0]!, values[Math.floor(RUNS / 2)]!];
}

export function benchStartup(): string {
  const work = mkdtempSync(path.join(tmpdir(), 'nmsparse-bench-'));
  try {
    const sim = ['sim', program];
    const simSpike = ['sim', writeSpikeElf(work)];
    for (const args of [sim, simSpike]) {
      const stderr = run(args);
      if (!stderr.includes('2000 instructions')) throw new Error(`${program} no longer runs 2,000 instructions: ${stderr}`);
    }
    const figures: [string, [number, number], string, number][] = [
      ['nmsparse --help (s)', bestAndMedian(() => seconds(['--help'])), '< 0.15', 2],
      ['nmsparse sim, 2,000 instructions (s)', bestAndMedian(() => seconds(sim)), '< 0.25', 2],
      ['peak memory, program in L2 (MiB)', bestAndMedian(() => peakMiB(sim, work)), '< 100', 0],
      ['peak memory, program in the 16 MiB RAM (MiB)', bestAndMedian(() => peakMiB(simSpike, work)), '< 100', 0],
    ];
    const header = ['figure', 'best', 'median', 'target'];
    const rows = figures.map(([label, [best, median], target, digits]) => [label, best.toFixed(digits), median.toFixed(digits), target]);
    return [
      `Startup and memory: whole process (node, compiled CLI), ${RUNS} runs; sim runs ${program}, also linked into the riscv-tests RAM`,
      formatTable(header, rows, figuresAlign(header)),
    ].join('\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
