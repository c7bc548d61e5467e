/** Public API of the instruction-set simulator. */
export { Hart, type HartOptions, type RunResult, type RunStop } from './core/hart.js';
export type { ImplementedRows } from './core/code-cache.js';
export { MappedMemory } from './core/memory.js';
export { MemoryRegion } from './core/memory-region.js';
export { CoreStats, CV32E40P_TIMING, TimingModel, type TimingConfig } from './core/timing.js';
export { SyscallEnvironment, SYSCALL, type Environment, type HaltReason } from './core/environment.js';
export {
  IssError, IllegalInstructionError, MemoryAccessError, MisalignedAccessError,
  HwLoopConstraintError, EnvironmentError, describeSite, type FaultSite,
} from './core/errors.js';
export type { RetireEvent, RetireHook, RegisterWrite, DataAccess, TrapEvent, TrapHook } from './core/retire.js';
export {
  simulate, coreCountError, formatRetire, formatTrap, formatStats, type SimulateOptions, type SimulationReport, type SimulationStop,
} from './simulate.js';
export { loadProgram, runElf, loadImage, type LoadTarget } from './program.js';
export { Cluster, type ClusterOptions, type ClusterResult, type CoreReport } from './cluster/cluster.js';
export { PortStats } from './cluster/core-port.js';
export { PULP_CLUSTER, type ClusterConfig } from './cluster/config.js';
export { DEFAULT_MAX_CYCLES } from './limits.js';
