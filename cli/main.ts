// nmsparse command-line interface.
import { Command } from 'commander';
import { registerGen } from './commands/gen';
import { registerList } from './commands/list';
import { registerReproduce } from './commands/reproduce';
import { registerSim } from './commands/sim';
import { registerSynth } from './commands/synth';

const program = new Command();
program.name('nmsparse').description('HW/SW co-design toolkit for N:M-sparse inference on multicore RISC-V microcontrollers');
registerList(program);
registerGen(program);
registerSynth(program);
registerSim(program);
registerReproduce(program);
await program.parseAsync(process.argv);
