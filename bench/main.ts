// `npm run bench`: speed figures as tables, with the machine they were measured on.
import { benchHdlSimulation } from './hdl-sim';
import { machineLine } from './machine';

const sections = [benchHdlSimulation];
console.log(machineLine());
for (const section of sections) console.log(`\n${section()}`);
