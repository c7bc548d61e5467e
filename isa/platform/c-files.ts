/**
 * The PULP platform facts of `memory-map.ts`, named in `symbols.ts`, for programs built with GNU
 * tools, generated so they cannot drift from the one definition: a C header of macros and a GNU
 * ld linker script. The
 * macros are plain integer literals (no casts, no suffixes), so assembly sources run through cpp
 * (`.S`) can use them as well as C. The package ships checked-in copies in `PLATFORM_FILES_DIR`,
 * beside the start-up files, and a test compares them with what this file generates.
 */
import { hex } from '../bits.js';
import { PULP_L1, PULP_L2, PULP_L3, regionEnd } from './memory-map.js';
import { platformSymbolGroups, type PlatformSymbol } from './symbols.js';

export interface GeneratedFile {
  readonly name: string;
  readonly text: string;
}

/** Where the package ships the platform files for C programs, relative to the package root. */
export const PLATFORM_FILES_DIR = 'sw/platform';

/** The command that rewrites the checked-in copies. */
export const REGENERATE_COMMAND = 'npm run gen:platform';

const BANNER = '/* Generated from isa/platform/memory-map.ts by isa/platform/c-files.ts: do not edit.\n'
  + ` * \`${REGENERATE_COMMAND}\` rewrites the checked-in copies. */\n`;

/** Every platform symbol (symbols.ts) as a macro. */
export function platformHeader(): GeneratedFile {
  const groups = platformSymbolGroups();
  const width = Math.max(...groups.flatMap((group) => group.symbols.map((s) => s.name.length)));
  const define = (s: PlatformSymbol): string => `#define ${s.name.padEnd(width)} ${hex(s.value)}`;
  const lines = groups.flatMap((group) => [`/* ${group.title} */`, ...group.symbols.map(define), '']);
  const text = ['#ifndef NMSPARSE_PLATFORM_H', '#define NMSPARSE_PLATFORM_H', '', ...lines, '#endif'].join('\n');
  return { name: 'nmsparse_platform.h', text: `${BANNER}${text}\n` };
}

/**
 * A program in PULP L2: code, read-only data, data and .bss in that order from the base of L2
 * (`__bss_start` / `__bss_end` for the start-up code to clear), `__stack_top` at the end of L2,
 * the `.l1` sections (isL1Section) from the base of L1 and the `.l3` sections (isL3Section) from
 * the base of L3, which only the cluster's DMA reaches.
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
    `  .l1 ${hex(PULP_L1.base)} : { *(.l1) *(.l1.*) }`,
    `  .l3 ${hex(PULP_L3.base)} : { *(.l3) *(.l3.*) }`,
    '}',
  ];
  return { name: 'link.ld', text: BANNER + '/* Programs in PULP L2; the stack grows down from its end; .l1 sections in the cluster L1, .l3 sections in L3 (DMA only). */\n' + lines.join('\n') + '\n' };
}

/** Every generated file. */
export function platformCFiles(): GeneratedFile[] {
  return [platformHeader(), linkerScript()];
}
