/** Public API of the instruction-set simulator. */
export { Hart, type HartOptions, type RunResult, type RunStop } from './core/hart';
export { MappedMemory } from './core/memory';
export { MemoryRegion } from './core/memory-region';
export { CoreStats, CV32E40P_TIMING, TimingModel, type TimingConfig } from './core/timing';
export { SyscallEnvironment, SYSCALL, type Environment, type HaltReason } from './core/environment';
export {
  IssError, IllegalInstructionError, MemoryAccessError, MisalignedAccessError,
  HwLoopConstraintError, EnvironmentError, type FaultSite,
} from './core/errors';
export type { RetireEvent, RetireHook, RegisterWrite, DataAccess } from './core/retire';
export { simulate, coreCountError, formatRetire, formatStats, type SimulateOptions, type SimulationReport } from './simulate';
export { loadProgram, runElf, loadImage } from './program';
export { Cluster, type ClusterOptions, type ClusterResult } from './cluster/cluster';
export { PULP_CLUSTER, type ClusterConfig } from './cluster/config';
