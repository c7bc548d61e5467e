// `npm run bench`: speed and area figures as tables, with the machine they were measured on.
import { benchExtensionArea } from './area';
import { benchHdlSimulation } from './hdl-sim';
import { benchIss } from './iss';
import { machineLine } from './machine';

const sections: (() => string | Promise<string>)[] = [benchIss, benchHdlSimulation, benchExtensionArea];
console.log(machineLine());
for (const section of sections) console.log(`\n${await section()}`);
