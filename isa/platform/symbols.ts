/**
 * The platform facts of `memory-map.ts` as named integers, for programs: the C header of
 * `c-files.ts` defines them as macros, and `assemblerEquates` as `.equ` lines for the project's
 * assembler (which has no preprocessor), so C, assembly through cpp, and generated kernels all use
 * one set of names for one set of values.
 */
import {
  CLINT, CLINT_BASE, CORE_STACK_BYTES, PERIPHERAL, PERIPHERALS_BASE, PERIPHERALS_SIZE, PULP_L3, PULP_MEMORY_MAP, regionEnd,
} from './memory-map.js';

export interface PlatformSymbol {
  readonly name: string;
  readonly value: number;
}

export interface SymbolGroup {
  /** What the group's symbols are, as a comment above them. */
  readonly title: string;
  readonly symbols: readonly PlatformSymbol[];
}

/** Every platform symbol, in groups. */
export function platformSymbolGroups(): readonly SymbolGroup[] {
  const regions = [...PULP_MEMORY_MAP, PULP_L3].map((region) => {
    const prefix = `PULP_${region.name.toUpperCase()}`;
    return {
      title: `PULP ${region.name.toUpperCase()}: base, size in bytes, first address past the end.`,
      symbols: [
        { name: `${prefix}_BASE`, value: region.base },
        { name: `${prefix}_SIZE`, value: region.size },
        { name: `${prefix}_END`, value: regionEnd(region) },
      ],
    };
  });
  const registers = Object.entries(PERIPHERAL);
  return [
    ...regions,
    { title: 'Stack bytes per cluster core, from the top of L1 down.', symbols: [{ name: 'CORE_STACK_BYTES', value: CORE_STACK_BYTES }] },
    {
      title: 'The cluster peripherals (barrier, DMA, timer): 32-bit registers, by address.',
      symbols: [
        { name: 'PERIPHERALS_BASE', value: PERIPHERALS_BASE },
        { name: 'PERIPHERALS_SIZE', value: PERIPHERALS_SIZE },
        ...registers.map(([name, offset]) => ({ name: `PERIPHERAL_${name}`, value: PERIPHERALS_BASE + offset })),
      ],
    },
    {
      title: 'The same registers as offsets from PERIPHERALS_BASE, for base-register addressing.',
      symbols: registers.map(([name, offset]) => ({ name: `PERIPHERAL_${name}_OFFSET`, value: offset })),
    },
    {
      title: "The CLINT (timer and software interrupts), hart 0's registers by address; hart h's msip at +4h, mtimecmp at +8h (64 bits, low word first).",
      symbols: [
        { name: 'CLINT_BASE', value: CLINT_BASE },
        ...Object.entries(CLINT).map(([name, offset]) => ({ name: `CLINT_${name}`, value: CLINT_BASE + offset })),
      ],
    },
  ];
}

/** The platform symbols as `.equ` directives, to put in front of assembly for sw/asm. */
export function assemblerEquates(): string {
  return platformSymbolGroups()
    .flatMap((group) => [`  # ${group.title}`, ...group.symbols.map((s) => `  .equ ${s.name}, ${s.value}`)])
    .join('\n') + '\n';
}
