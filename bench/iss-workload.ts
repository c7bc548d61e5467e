/**
 * The ISS on a long C workload (bench/programs/workload.c: int8 matrix product, sort and binary
 * search, CRC-32, a tokenizer, a linked list; about 480 M instructions), compiled by Debian's
 * riscv64-unknown-elf-gcc for rv32imc, on one core with the full CV32E40P timing, beside QEMU's user
 * mode (`qemu-riscv32`, Debian's qemu-user: no timing) on the same ELF file. Both must print the
 * same checksum. Without the cross compiler the section says so; without QEMU it prints the ISS
 * alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { figuresAlign, formatTable } from '../gen/text-table.js';
import { findTool } from '../gen/tools.js';
import { PLATFORM_FILES_DIR } from '../isa/platform/c-files.js';
import { runElf } from '../sim/program.js';
import { fastest } from './machine.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const WORKLOAD_SOURCE = 'bench/programs/workload.c';
const COMPILER = 'riscv64-unknown-elf-gcc';
const QEMU = 'qemu-riscv32';
/** Runs of each engine; the best is reported (a shared machine slows some runs). */
const RUNS = 3;

export interface EngineRun {
  readonly seconds: number;
  readonly output: string;
}

/**
 * The workload as an rv32imc ELF file in `work`, linked at the base of PULP L2 with its own
 * start-up code; `rounds` of its loop (the source's ROUNDS unless given: a test takes a few).
 */
export function buildWorkload(work: string, rounds?: number): Uint8Array {
  const elf = path.join(work, 'workload.elf');
  const define = rounds === undefined ? [] : [`-DROUNDS=${rounds}`];
  const args = ['-march=rv32imc', '-mabi=ilp32', '-O2', ...define, '-nostdlib', '-ffreestanding', '-static', '-T', `${PLATFORM_FILES_DIR}/link.ld`, WORKLOAD_SOURCE, '-lgcc', '-o', elf];
  const build = spawnSync(COMPILER, args, { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`${COMPILER} ${args.join(' ')} failed: ${build.stderr}`);
  return readFileSync(elf);
}

/** One run of the workload's ELF file on one simulated core: what it printed, its counts, the host time. */
export function runIss(elf: Uint8Array): EngineRun & { readonly instructions: number; readonly cycles: number } {
  let output = '';
  const start = process.hrtime.bigint();
  const result = runElf(elf, { output: (text) => (output += text) });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.stop.kind !== 'exit' || result.stop.code !== 0) throw new Error(`the ISS stopped the workload with ${JSON.stringify(result.stop)}`);
  return { seconds, output, instructions: result.instret, cycles: result.cycles };
}

function runQemu(qemu: string, elf: string): EngineRun {
  const start = process.hrtime.bigint();
  const run = spawnSync(qemu, [elf], { encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`${qemu} ${elf} exited with ${run.status}: ${run.stderr}`);
  return { seconds, output: run.stdout };
}

export function benchWorkload(): string {
  const title = `ISS on a long C workload (${WORKLOAD_SOURCE}, rv32imc -O2), one core with CV32E40P timing, beside QEMU user mode (no timing); best of ${RUNS}`;
  if (findTool(COMPILER) === undefined) return `${title}\nnot measured: ${COMPILER} is not installed (Debian: gcc-riscv64-unknown-elf)`;
  const work = mkdtempSync(path.join(tmpdir(), 'nmsparse-workload-'));
  try {
    const elf = buildWorkload(work);
    const iss = fastest(RUNS, () => runIss(elf));
    const header = ['engine', 'instructions', 'seconds', 'MIPS', 'checksum'];
    const mips = (seconds: number): number => iss.instructions / seconds / 1e6;
    const rows = [['nmsparse ISS (1 core, CV32E40P timing)', String(iss.instructions), iss.seconds.toFixed(2), mips(iss.seconds).toFixed(1), iss.output.trim()]];
    const lines = [title];
    const qemu = findTool(QEMU);
    if (qemu === undefined) {
      lines.push(formatTable(header, rows, figuresAlign(header)), `QEMU not measured: ${QEMU} is not installed (Debian: qemu-user)`);
    } else {
      const reference = fastest(RUNS, () => runQemu(qemu, path.join(work, 'workload.elf')));
      if (reference.output !== iss.output) throw new Error(`QEMU printed ${JSON.stringify(reference.output)}, the ISS ${JSON.stringify(iss.output)}`);
      rows.push([`QEMU ${QEMU} (no timing)`, String(iss.instructions), reference.seconds.toFixed(2), mips(reference.seconds).toFixed(1), reference.output.trim()]);
      lines.push(formatTable(header, rows, figuresAlign(header)), `QEMU / ISS time: ${(iss.seconds / reference.seconds).toFixed(1)}x; ISS target: at least 150 MIPS; ${iss.cycles} simulated cycles`);
    }
    return lines.join('\n');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
