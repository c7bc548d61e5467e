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
import { initialStackPointer, PULP_MEMORY_MAP, type RegionConfig } from '../isa/platform/memory-map.js';
import { SyscallEnvironment } from './core/environment.js';
import { PF_X } from '../isa/elf/format.js';
import { ElfError, readElf, type ElfImage } from '../isa/elf/reader.js';
import type { GrantDelay } from '../isa/platform/grant-delay.js';
import { DelayedGrantBus } from './core/delayed-bus.js';
import { Clint } from '../isa/platform/clint.js';
import { ClintDevice } from './core/clint-device.js';

const SP = 2;

export interface ProgramOptions extends Omit<HartOptions, 'resetPc' | 'environment'> {
  readonly memoryMap?: readonly RegionConfig[];
  /** Receives what the program writes to stdout/stderr. */
  readonly output?: (text: string, fd: number) => void;
  /** Grant delays on the data port (docs/cv32e40p.md#checking-against-the-rtl); none unless given. */
  readonly grantDelay?: GrantDelay;
}

export interface LoadedProgram {
  readonly hart: Hart;
  readonly memory: MappedMemory;
  readonly image: ElfImage;
}

/** Where a program is loaded: a MappedMemory, or the cluster's memories with its L3. */
export interface LoadTarget {
  readonly regions: readonly RegionConfig[];
  /** The region holding all of [addr, addr + size), or undefined. */
  find(addr: Addr, size: number): RegionConfig | undefined;
  writeBytes(addr: Addr, data: Uint8Array): void;
}

/**
 * Copy the loadable segments into memory (zero-filling .bss). Refuses, with an ElfError, a program
 * that does not fit the memory map, has no code, or whose entry point is not in its code: such a
 * program would only fail at its first fetch, with a message about an address.
 */
export function loadImage(memory: LoadTarget, image: ElfImage): void {
  for (const segment of image.segments) {
    if (!memory.find(segment.address, segment.memorySize)) {
      const map = memory.regions.map((r) => `${r.name} ${span(r.base, r.size)}`).join(', ');
      throw new ElfError(`segment ${span(segment.address, segment.memorySize)} is outside the memory map (${map}): link the program for it`);
    }
  }
  const code = image.segments.filter((s) => (s.flags & PF_X) !== 0);
  if (code.length === 0) throw new ElfError('the program has no code (no executable segment)');
  if (!code.some((s) => image.entry >= s.address && image.entry < s.address + s.memorySize)) {
    throw new ElfError(`entry point ${hex(image.entry)} is outside the program's code (${code.map((s) => span(s.address, s.memorySize)).join(', ')})`);
  }
  for (const segment of image.segments) {
    const bytes = new Uint8Array(segment.memorySize);
    bytes.set(segment.data);
    memory.writeBytes(segment.address, bytes);
  }
}

/** `0x1c000000..0x1c000100`: the bytes from `base`, end exclusive. */
function span(base: Addr, size: number): string {
  return `${hex(base)}..${hex(base + size)}`;
}

/** Build the memory map, load the ELF file and prepare a hart at its entry point. */
export function loadProgram(elf: Uint8Array, options: ProgramOptions = {}): LoadedProgram {
  const image = readElf(elf);
  const regions = options.memoryMap ?? PULP_MEMORY_MAP;
  const memory = new MappedMemory(regions);
  loadImage(memory, image);
  // The platform's CLINT in its window, behind the grant delays, which it waits for like memory.
  const clint = new ClintDevice(new Clint(1));
  memory.attachDevice(clint);
  const delayedBus = options.grantDelay === undefined ? undefined : new DelayedGrantBus(memory, options.grantDelay);
  const hart = new Hart(delayedBus ?? memory, { ...options, resetPc: image.entry, environment: new SyscallEnvironment(options.output) });
  if (delayedBus) delayedBus.hart = hart;
  clint.hart = hart;
  hart.attachInterrupts(clint.clint);
  hart.regs[SP] = initialStackPointer(regions, image.entry);
  const tohost = image.symbols.get('tohost');
  if (tohost !== undefined) {
    memory.watchWord(tohost, (value) => {
      if (value !== 0) hart.halt({ kind: 'exit', code: value === 1 ? 0 : value >>> 1 });
    });
  }
  return { hart, memory, image };
}

export function runElf(elf: Uint8Array, options: ProgramOptions & { readonly maxCycles?: number } = {}): RunResult & LoadedProgram {
  const loaded = loadProgram(elf, options);
  return { ...loaded.hart.run(options.maxCycles), ...loaded };
}
