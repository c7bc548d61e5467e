/**
 * The PULP platform facts of `memory-map.ts` for programs built with GNU tools, generated so they
 * cannot drift from the one definition: a C header of macros and a GNU ld linker script. The
 * macros are plain integer literals (no casts, no suffixes), so assembly sources run through cpp
 * (`.S`) can use them as well as C. test/sim/c/ holds checked-in copies that a test compares with
 * what this file generates.
 */
import { hex } from '../bits';
import { CORE_STACK_BYTES, PERIPHERAL, PERIPHERALS_BASE, PERIPHERALS_SIZE, PULP_L2, PULP_MEMORY_MAP, regionEnd } from './memory-map';

export interface GeneratedFile {
  readonly name: string;
  readonly text: string;
}

/** The command that rewrites the checked-in copies. */
export const REGENERATE_COMMAND = 'npm run gen:platform';

const BANNER = '/* Generated from isa/platform/memory-map.ts by isa/platform/c-files.ts: do not edit.\n'
  + ` * \`${REGENERATE_COMMAND}\` rewrites the checked-in copies. */\n`;

const define = (name: string, value: number): string => `#define ${name.padEnd(26)} ${hex(value)}`;

/** Region bases, sizes and ends; the peripheral block; the address of every peripheral register. */
export function platformHeader(): GeneratedFile {
  const regions = PULP_MEMORY_MAP.flatMap((region) => {
    const prefix = `PULP_${region.name.toUpperCase()}`;
    return [define(`${prefix}_BASE`, region.base), define(`${prefix}_SIZE`, region.size), define(`${prefix}_END`, regionEnd(region)), ''];
  });
  const registers = Object.entries(PERIPHERAL).map(([name, offset]) => define(`PERIPHERAL_${name}`, PERIPHERALS_BASE + offset));
  const lines = [
    '#ifndef NMSPARSE_PLATFORM_H',
    '#define NMSPARSE_PLATFORM_H',
    '',
    '/* PULP memory regions: base, size in bytes, first address past the end. */',
    ...regions,
    '/* Stack bytes per cluster core, from the top of L1 down. */',
    define('CORE_STACK_BYTES', CORE_STACK_BYTES),
    '',
    '/* The cluster peripherals (barrier, DMA, timer): 32-bit registers, by address. */',
    define('PERIPHERALS_BASE', PERIPHERALS_BASE),
    define('PERIPHERALS_SIZE', PERIPHERALS_SIZE),
    ...registers,
    '',
    '#endif',
  ];
  return { name: 'nmsparse_platform.h', text: BANNER + lines.join('\n') + '\n' };
}

/**
 * A program in PULP L2: code, read-only data, data and .bss in that order from the base of L2
 * (`__bss_start` / `__bss_end` for the start-up code to clear), and `__stack_top` at the end of L2.
 */
export function linkerScript(): GeneratedFile {
  const lines = [
    'ENTRY(_start)',
    'SECTIONS {',
    `  . = ${hex(PULP_L2.base)};`,
    '  .text : { *(.text.init) *(.text*) }',
    '  .rodata : { *(.rodata*) *(.srodata*) }',
    '  .data : { *(.data*) *(.sdata*) }',
    '  . = ALIGN(4);',
    '  __bss_start = .;',
    '  .bss : { *(.bss*) *(.sbss*) *(COMMON) }',
    '  . = ALIGN(4);',
    '  __bss_end = .;',
    `  __stack_top = ${hex(regionEnd(PULP_L2))};`,
    '}',
  ];
  return { name: 'link.ld', text: BANNER + '/* Programs in PULP L2; the stack grows down from its end. */\n' + lines.join('\n') + '\n' };
}

/** Every generated file. */
export function platformCFiles(): GeneratedFile[] {
  return [platformHeader(), linkerScript()];
}
