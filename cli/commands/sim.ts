import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { simulate, type ProgramInput } from '../../sim';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse';
import { runCommand, UsageError } from '../errors';

interface SimOptions {
  cores: string;
  xnmsparse?: boolean;
  trace?: boolean;
  stats?: boolean;
  maxCycles?: string;
  interpret?: boolean;
}

function integer(text: string, what: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${what} must be a positive integer, got '${text}'`);
  return value;
}

function readProgram(file: string): ProgramInput {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new UsageError(`cannot read program '${file}': ${(e as Error).message}`);
  }
  return /\.s$/i.test(file) ? { kind: 'assembly', source: bytes.toString('utf8'), file } : { kind: 'elf', bytes };
}

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('run a RISC-V program (ELF, or assembly .S/.s) on one CV32E40P-class core or on the cluster')
    .argument('<program>', 'ELF executable or assembly source')
    .option('--cores <n>', 'cores: 1 runs one hart with single-cycle memory, 2..16 the cluster', '1')
    .option('--xnmsparse', 'cores implement the Xnmsparse sparse-gather extension (docs/isa-extension.md)')
    .option('--trace', 'print every retired instruction (to stderr, as Spike does)')
    .option('--stats', 'print where each core spent its cycles (to stderr)')
    .option('--max-cycles <n>', 'stop a runaway program after this many cycles')
    .option('--interpret', 'interpret every instruction and schedule cores one instruction at a time (the slow reference engine; same results)')
    .action((file: string, options: SimOptions) =>
      runCommand(() => {
        const input = readProgram(file);
        const report = simulate(input, {
          cores: integer(options.cores, '--cores'),
          interpret: options.interpret === true,
          ...(options.xnmsparse ? { table: CV32E40P_XNMSPARSE_TABLE } : {}),
          ...(options.maxCycles ? { maxCycles: integer(options.maxCycles, '--max-cycles') } : {}),
          ...(options.trace ? { trace: (line: string) => process.stderr.write(`${line}\n`) } : {}),
          output: (text, fd) => (fd === 2 ? process.stderr : process.stdout).write(text),
        });
        if (options.stats && report.stats) process.stderr.write(`${report.stats}\n`);
        process.stderr.write(`nmsparse: ${report.summary}\n`);
        process.exitCode = report.exitCode;
      }),
    );
}
