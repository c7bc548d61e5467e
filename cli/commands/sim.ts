import type { Command } from 'commander';
import { coreCountError, simulate, type SimulateOptions } from '../../sim/index.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { runCommand, UsageError } from '../errors.js';
import { executableOf, readProgramFile } from '../program-file.js';

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
        const program = readProgramFile(file);
        const cores = integer(options.cores, '--cores');
        const table = options.xnmsparse ? CV32E40P_XNMSPARSE_TABLE : undefined;
        const settings: SimulateOptions = {
          cores,
          interpret: options.interpret === true,
          ...(table ? { table } : {}),
          ...(options.maxCycles ? { maxCycles: integer(options.maxCycles, '--max-cycles') } : {}),
          ...(options.trace ? { trace: (line: string) => process.stderr.write(`${line}\n`) } : {}),
          output: (text, fd) => (fd === 2 ? process.stderr : process.stdout).write(text),
        };
        // A wrong core count is reported before any assembly error.
        const badCores = coreCountError(cores);
        if (badCores !== undefined) throw new UsageError(badCores);
        const report = simulate(executableOf(program, table), settings);
        if (options.stats && report.stats) process.stderr.write(`${report.stats}\n`);
        process.stderr.write(`nmsparse: ${report.summary}\n`);
        process.exitCode = report.exitCode;
      }),
    );
}
