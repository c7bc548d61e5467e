// `npm run bench`: speed and area figures as tables, with the machine they were measured on.
import { benchExtensionArea } from './area.js';
import { benchCoreSimulation } from './core-sim.js';
import { benchHdlSimulation } from './hdl-sim.js';
import { benchIss } from './iss.js';
import { benchWorkload } from './iss-workload.js';
import { machineLine } from './machine.js';
import { benchStartup } from './startup.js';

const sections: (() => string | Promise<string>)[] = [benchStartup, benchIss, benchWorkload, benchHdlSimulation, benchCoreSimulation, benchExtensionArea];
console.log(machineLine());
for (const section of sections) console.log(`\n${await section()}`);
