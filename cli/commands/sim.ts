import type { Command } from 'commander';
import type { SimOptions } from '../actions/sim.js';
import { DEFAULT_MAX_CYCLES } from '../../sim/limits.js';

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('run a RISC-V program (ELF, or assembly .S/.s) on one CV32E40P-class core or on the cluster')
    .argument('<program>', 'ELF executable or assembly source')
    .option('--cores <n>', 'cores: 1 runs one hart with single-cycle memory, 2..16 the cluster', '1')
    .option('--xnmsparse', 'cores implement the Xnmsparse extension, both revisions (docs/isa-extension.md)')
    .option('--strict-core', "reject, as illegal, every instruction the project's own core (hw/core) does not implement (with --xnmsparse: revision 1's gathers)")
    .option('--trace', 'print every retired instruction (to stderr, as Spike does)')
    .option('--stats', 'print where each core spent its cycles (to stderr)')
    .option('--max-cycles <n>', 'stop a runaway program after this many cycles; 0: no limit', String(DEFAULT_MAX_CYCLES))
    .option('--engine <engine>', "iss: the simulator; rtl: the nmsparse core's HDL simulation; verilator: its Verilog under Verilator (built once, cached); cv32e40p: the real core from --rtl, built with Verilator (cached); compare: the ISS and --reference, reporting the first divergence", 'iss')
    .option('--reference <core>', 'for --engine compare: rtl, verilator (the nmsparse core, with --xnmsparse its extension) or cv32e40p (needs --rtl); default cv32e40p with --rtl, else rtl')
    .option('--rtl <path>', 'a checkout of openhwgroup/cv32e40p (v2), for --engine cv32e40p or --reference cv32e40p')
    .option('--traps <policy>', "what an exception does (illegal instruction, ebreak, an ecall other than exit and write, an access outside memory): stop (end the run, naming pc and instruction), take (trap to mtvec as the CV32E40P does), auto (stop until the program writes mtvec, then take); default auto, the cluster always stops")
    .option('--interpret', 'interpret every instruction and schedule cores one instruction at a time (the slow reference engine; same results)')
    .action(async (file: string, options: SimOptions) => (await import('../actions/sim.js')).sim(file, options));
}
