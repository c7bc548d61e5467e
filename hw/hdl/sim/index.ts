export { Simulator, SimError, type Trace } from './simulator';
