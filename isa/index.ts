/** Public API of the shared instruction-set layer: the instruction table and everything derived from it, ELF files, the Xnmsparse golden model. */
export { CV32E40P_TABLE, buildInstructionTable, InstructionTable } from './table';
export { decode } from './decoder';
export { disassemble, formatInstruction, instructionHex } from './disassembler';
export { instruction, DecodedInstruction, type InstructionDef, type Execute, type TimingClass } from './definition';
export { EXTENSION_SPACE } from './extension';
export { FORMATS } from './formats';
export type { Addr, Cycles, Word, HartContext } from './types';
export { readElf, ElfError, type ElfImage } from './elf/reader';
export { Fault, type FaultKind } from './fault';
export { writeElf } from './elf/writer';
export { PULP_MEMORY_MAP, SPIKE_MEMORY_MAP, PULP_L1, PULP_L2, PERIPHERALS_BASE, PERIPHERALS_SIZE, PERIPHERAL, CORE_STACK_BYTES, type RegionConfig } from './platform/memory-map';
export { type Effects, isRegisterOnly } from './effects';
export { assemblerEquates, platformSymbolGroups, type PlatformSymbol, type SymbolGroup } from './platform/symbols';
