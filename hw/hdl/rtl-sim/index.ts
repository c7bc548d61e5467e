export { RtlSimulator, RtlSimError, type Trace } from './simulator.js';
