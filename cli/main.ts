// nmsparse command-line interface. Only commander and the command declarations load at start;
// each command imports its implementation (the HDL, Yosys, the simulator) when it runs, so that
// `--help`, `--version` and a mistyped option answer at once.
import { Command, CommanderError } from 'commander';
import { registerBench } from './commands/bench.js';
import { registerGen } from './commands/gen.js';
import { registerKernel } from './commands/kernel.js';
import { registerList } from './commands/list.js';
import { registerNetwork } from './commands/network.js';
import { registerReproduce } from './commands/reproduce.js';
import { registerSim } from './commands/sim.js';
import { registerSynth } from './commands/synth.js';
import { registerTrain } from './commands/train.js';
import { registerZoo } from './commands/zoo.js';
import { ExitCode } from '../util/exit-codes.js';
import { reportInternalError } from './internal-error.js';
import { messageLine } from './messages.js';
import { packageVersion } from './version.js';

const program = new Command()
  .name('nmsparse')
  .description('HW/SW co-design toolkit for N:M-sparse inference on multicore RISC-V microcontrollers')
  .version(packageVersion(), '-V, --version', 'print the version of nmsparse')
  // Commander's own errors (unknown option or command, missing argument, conflicting options) in
  // nmsparse's one-line form; the commands below inherit both settings.
  .configureOutput({ outputError: (text, write) => write(messageLine(text.replace(/^error: /, ''))) })
  .exitOverride();
registerList(program);
registerGen(program);
registerSynth(program);
registerSim(program);
registerKernel(program);
registerNetwork(program);
registerZoo(program);
registerTrain(program);
registerReproduce(program);
registerBench(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) process.exitCode = e.exitCode === 0 ? ExitCode.success : ExitCode.userError;
  else process.exitCode = reportInternalError(e);
}
