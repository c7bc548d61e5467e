/** Public API of the shared instruction-set layer: the instruction table and everything derived from it, ELF files, the Xnmsparse golden model. */
export { CV32E40P_TABLE, buildInstructionTable, InstructionTable } from './table.js';
export { decode } from './decoder.js';
export { disassemble, formatInstruction, instructionHex } from './disassembler.js';
export { instruction, DecodedInstruction, type InstructionDef, type Execute, type TimingClass } from './definition.js';
export { EXTENSION_SPACE } from './extension.js';
export { FORMATS } from './formats.js';
export type { Addr, Cycles, Word, HartContext } from './types.js';
export { readElf, ElfError, type ElfImage } from './elf/reader.js';
export { Fault, type FaultKind } from './fault.js';
export { writeElf } from './elf/writer.js';
export { PULP_MEMORY_MAP, SPIKE_MEMORY_MAP, PULP_L1, PULP_L2, PULP_L3, PERIPHERALS_BASE, PERIPHERALS_SIZE, PERIPHERAL, CORE_STACK_BYTES, type RegionConfig } from './platform/memory-map.js';
export { type Effects, isRegisterOnly } from './effects.js';
export { assemblerEquates, platformSymbolGroups, type PlatformSymbol, type SymbolGroup } from './platform/symbols.js';
