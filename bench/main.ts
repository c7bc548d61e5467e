// `npm run bench`: speed and area figures as tables, with the machine they were measured on.
import { benchExtensionArea } from './area.js';
import { benchHdlSimulation } from './hdl-sim.js';
import { benchIss } from './iss.js';
import { machineLine } from './machine.js';

const sections: (() => string | Promise<string>)[] = [benchIss, benchHdlSimulation, benchExtensionArea];
console.log(machineLine());
for (const section of sections) console.log(`\n${await section()}`);
