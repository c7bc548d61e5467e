/** Public API of the instruction-set simulator. */
export { Hart, type HartOptions, type RunResult, type RunStop } from './core/hart';
export { Memory, MemoryRegion, type RegionConfig } from './core/memory';
export { CoreStats, CV32E40P_TIMING, TimingModel, type TimingConfig } from './core/timing';
export { SyscallEnvironment, SYSCALL, type Environment, type HaltReason } from './core/environment';
export {
  SimulationError, IllegalInstructionError, MemoryAccessError, MisalignedAccessError,
  HwLoopConstraintError, EnvironmentError, type FaultKind, type FaultSite,
} from './core/errors';
export type { RetireEvent, RetireHook, RegisterWrite, DataAccess } from './core/retire';
export { CV32E40P_TABLE, buildInstructionTable, InstructionTable } from './isa/table';
export { decode } from './isa/decoder';
export { disassemble, formatInstruction, instructionHex } from './isa/disassembler';
export { instruction, DecodedInstruction, type InstructionDef, type Execute, type TimingClass } from './isa/definition';
export { EXTENSION_SPACE } from './isa/extension';
export { FORMATS } from './isa/formats';
export type { Addr, Cycles, Word, HartContext } from './isa/types';
export { simulate, formatRetire, formatStats, type ProgramInput, type SimulateOptions, type SimulationReport } from './simulate';
export { loadProgram, runElf, loadImage, PULP_MEMORY_MAP, SPIKE_MEMORY_MAP } from './program';
export { readElf, ElfError, type ElfImage } from './elf/reader';
export { Cluster, type ClusterOptions, type ClusterResult } from './cluster/cluster';
export { PULP_CLUSTER, PERIPHERAL, type ClusterConfig } from './cluster/config';
export { measureSpeed, type SpeedFigure } from './benchmark';
