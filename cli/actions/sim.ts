// `nmsparse sim`: read or assemble the program, run it on one core or the cluster, report.
import { message } from '../messages.js';
import { simulate, type ImplementedRows, type SimulateOptions } from '../../sim/index.js';
import { ElfError } from '../../isa/elf/reader.js';
import { TRAP_POLICIES, type TrapPolicy } from '../../isa/fault.js';
import { CV32E40P_XNMSPARSE_TABLE } from '../../isa/tables/xnmsparse.js';
import { runCommand, UsageError } from '../errors.js';
import { parseChoice, parseCount } from '../options.js';
import { executableOf, readProgramFile } from '../program-file.js';
import type { RtlReference } from './sim-rtl.js';

export interface SimOptions {
  cores: string;
  xnmsparse?: boolean;
  strictCore?: boolean;
  trace?: boolean;
  stats?: boolean;
  maxCycles: string;
  interpret?: boolean;
  engine: string;
  rtl?: string;
  traps?: string;
  reference?: string;
}

const ENGINES = ['iss', 'rtl', 'verilator', 'cv32e40p', 'compare'] as const;
type Engine = (typeof ENGINES)[number];
const REFERENCES = ['rtl', 'verilator', 'cv32e40p'] as const;

/** The engine, and for the RTL engines the core they run, refusing options they do not take. */
function engineOf(options: SimOptions): { engine: Engine; reference?: RtlReference } {
  const engine = parseChoice(options.engine, '--engine', ENGINES);
  if (options.reference !== undefined && engine !== 'compare') throw new UsageError('--reference is for --engine compare');
  const kind = engine === 'compare'
    ? options.reference === undefined ? (options.rtl === undefined ? 'rtl' : 'cv32e40p') : parseChoice(options.reference, '--reference', REFERENCES)
    : engine;
  if (kind === 'iss') {
    if (options.rtl !== undefined) throw new UsageError('--rtl is for --engine cv32e40p or compare');
    return { engine };
  }
  const what = options.reference !== undefined ? `--engine compare --reference ${kind}` : `--engine ${engine}`;
  const refused = (taken: readonly (keyof SimOptions)[], runs: string): void => {
    const flags: [keyof SimOptions, string, boolean][] = [
      ['cores', '--cores', options.cores !== '1'],
      ['xnmsparse', '--xnmsparse', options.xnmsparse === true],
      ['trace', '--trace', options.trace === true],
      ['stats', '--stats', options.stats === true],
      ['interpret', '--interpret', options.interpret === true],
      ['strictCore', '--strict-core', options.strictCore === true],
    ];
    const given = flags.filter(([key, , set]) => set && !taken.includes(key)).map(([, flag]) => flag);
    if (given.length > 0) throw new UsageError(`${what} runs ${runs} and does not take ${given.join(', ')}`);
  };
  if (kind === 'cv32e40p') {
    if (options.rtl === undefined) throw new UsageError(`${what} needs --rtl <path to a checkout of openhwgroup/cv32e40p>`);
    refused([], 'one plain CV32E40P core');
    return { engine, reference: { kind, rtl: options.rtl } };
  }
  if (options.rtl !== undefined) throw new UsageError(`--rtl is for the CV32E40P; ${what} runs the nmsparse core`);
  refused(engine === 'compare' ? ['xnmsparse'] : ['xnmsparse', 'stats'], 'one nmsparse core');
  return { engine, reference: { kind, extension: options.xnmsparse === true } };
}

/** `--strict-core`: the rows of the project's core, with Xnmsparse revision 2 when the run has the extension. */
async function coreImplemented(xnmsparse: boolean): Promise<ImplementedRows> {
  const { coreRows } = await import('../../hw/core/control.js');
  const machine = xnmsparse ? "the project's core with Xnmsparse revision 2 (--strict-core)" : "the project's core (--strict-core)";
  return { rows: new Set(coreRows(xnmsparse)), machine };
}

/** --traps, 'auto' unless given; the cluster's cores stop at every fault, so it takes no other. */
function trapsOf(options: SimOptions, cores: number): TrapPolicy {
  if (options.traps === undefined) return 'auto';
  const traps = parseChoice(options.traps, '--traps', TRAP_POLICIES);
  if (cores > 1 && traps !== 'stop') throw new UsageError(`--traps ${traps} needs --cores 1: the cluster's cores stop at every fault`);
  return traps;
}

const stderrLine = (text: string): void => {
  process.stderr.write(message(text));
};

/**
 * Run `action` with a signal that Ctrl-C (SIGINT) or SIGTERM aborts, the signal's name as the
 * reason, so that the simulation stops and reports instead of the process dying. Each handler
 * is removed when it fires: a second Ctrl-C ends the process at once.
 */
async function stoppedBySignals<T>(action: (interrupt: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (signal: NodeJS.Signals): void => controller.abort(signal);
  process.once('SIGINT', stop).once('SIGTERM', stop);
  try {
    return await action(controller.signal);
  } finally {
    process.off('SIGINT', stop).off('SIGTERM', stop);
  }
}

export function sim(file: string, options: SimOptions): Promise<void> {
  return runCommand(async () => {
    // Options are checked before the program is read or assembled.
    const cores = parseCount(options.cores, '--cores', 1, 16);
    const maxCycles = parseCount(options.maxCycles, '--max-cycles');
    const { engine, reference } = engineOf(options);
    const traps = trapsOf(options, cores);
    const table = options.xnmsparse ? CV32E40P_XNMSPARSE_TABLE : undefined;
    const elf = executableOf(readProgramFile(file), table, (message) => stderrLine(`warning: ${message}`));
    if (reference !== undefined) {
      const { runRtlEngine, compareEngines } = await import('./sim-rtl.js');
      const outcome = await (engine === 'compare' ? compareEngines : runRtlEngine)(elf, { reference, maxCycles, stats: options.stats === true, traps });
      process.stdout.write(outcome.output);
      if (outcome.stats !== undefined) process.stderr.write(`${outcome.stats}\n`);
      stderrLine(outcome.summary);
      process.exitCode = outcome.exitCode;
      return;
    }
    const settings: SimulateOptions = {
      cores,
      maxCycles,
      interpret: options.interpret === true,
      traps,
      ...(table ? { table } : {}),
      ...(options.strictCore ? { implemented: await coreImplemented(options.xnmsparse === true) } : {}),
      ...(options.trace ? { trace: (line: string) => process.stderr.write(`${line}\n`) } : {}),
      output: (text, fd) => (fd === 2 ? process.stderr : process.stdout).write(text),
    };
    const report = await stoppedBySignals((interrupt) => simulate(elf, { ...settings, interrupt }));
    if (options.stats && report.stats) process.stderr.write(`${report.stats}\n`);
    // A program the simulator cannot load is named, as any file the user gave.
    stderrLine(report.error instanceof ElfError ? `${file}: ${report.summary}` : report.summary);
    process.exitCode = report.exitCode;
  });
}
