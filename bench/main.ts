// `npm run bench`: speed and area figures as tables, with the machine they were measured on.
import { benchExtensionArea } from './area';
import { benchHdlSimulation } from './hdl-sim';
import { machineLine } from './machine';

const sections: (() => string | Promise<string>)[] = [benchHdlSimulation, benchExtensionArea];
console.log(machineLine());
for (const section of sections) console.log(`\n${await section()}`);
