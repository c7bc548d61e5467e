// nmsparse command-line interface.
import { Command } from 'commander';
import { registerGen } from './commands/gen.js';
import { registerList } from './commands/list.js';
import { registerReproduce } from './commands/reproduce.js';
import { registerSim } from './commands/sim.js';
import { registerSynth } from './commands/synth.js';

const program = new Command();
program.name('nmsparse').description('HW/SW co-design toolkit for N:M-sparse inference on multicore RISC-V microcontrollers');
registerList(program);
registerGen(program);
registerSynth(program);
registerSim(program);
registerReproduce(program);
await program.parseAsync(process.argv);
