/**
 * Running a whole program: a memory map, an ELF image loaded into it, the stack pointer, and the
 * two end-of-run conventions: the ecall exit of sim/core/environment.ts, and the riscv-tests
 * `tohost` mailbox (a non-zero word stored to the ELF symbol `tohost` ends the run: 1 means pass,
 * exit code 0; any other value v fails with exit code v >> 1).
 */
import { hex } from '../isa/bits.js';
import type { Addr } from '../isa/types.js';
import { Hart, type HartOptions, type RunResult } from './core/hart.js';
import { MappedMemory } from './core/memory.js';
import { PULP_MEMORY_MAP, type RegionConfig } from '../isa/platform/memory-map.js';
import { SyscallEnvironment } from './core/environment.js';
import { ElfError, readElf, type ElfImage } from '../isa/elf/reader.js';

const SP = 2;

export interface ProgramOptions extends Omit<HartOptions, 'resetPc' | 'environment'> {
  readonly memoryMap?: readonly RegionConfig[];
  /** Receives what the program writes to stdout/stderr. */
  readonly output?: (text: string, fd: number) => void;
}

export interface LoadedProgram {
  readonly hart: Hart;
  readonly memory: MappedMemory;
  readonly image: ElfImage;
}

/** Copy the loadable segments into memory (zero-filling .bss); every byte must be mapped. */
export function loadImage(memory: MappedMemory, image: ElfImage): void {
  for (const segment of image.segments) {
    const end = segment.address + segment.memorySize;
    if (!memory.find(segment.address, segment.memorySize)) {
      throw new ElfError(`segment ${hex(segment.address)}..${hex(end)} is not inside one memory region of the map`);
    }
    const bytes = new Uint8Array(segment.memorySize);
    bytes.set(segment.data);
    memory.writeBytes(segment.address, bytes);
  }
}

/** Build the memory map, load the ELF file and prepare a hart at its entry point. */
export function loadProgram(elf: Uint8Array, options: ProgramOptions = {}): LoadedProgram {
  const image = readElf(elf);
  const regions = options.memoryMap ?? PULP_MEMORY_MAP;
  const memory = new MappedMemory(regions);
  loadImage(memory, image);
  const hart = new Hart(memory, { ...options, resetPc: image.entry, environment: new SyscallEnvironment(options.output) });
  hart.regs[SP] = initialStack(memory, image.entry);
  const tohost = image.symbols.get('tohost');
  if (tohost !== undefined) {
    memory.watchWord(tohost, (value) => {
      if (value !== 0) hart.halt({ kind: 'exit', code: value === 1 ? 0 : value >>> 1 });
    });
  }
  return { hart, memory, image };
}

/** The top of the region holding the entry point, 16-byte aligned: a stack for programs that set none. */
function initialStack(memory: MappedMemory, entry: Addr): number {
  const region = memory.find(entry, 1) ?? memory.regions[0]!;
  return (region.end - 16) & ~15;
}

export function runElf(elf: Uint8Array, options: ProgramOptions & { readonly maxCycles?: number } = {}): RunResult & LoadedProgram {
  const loaded = loadProgram(elf, options);
  return { ...loaded.hart.run(options.maxCycles), ...loaded };
}
