// The C test programs build with generated copies of the platform facts (isa/platform/c-files.ts):
// they must be what the generator makes of the memory map now.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLATFORM_FILES_DIR, platformCFiles, REGENERATE_COMMAND } from '../../isa/platform/c-files.js';
import { PLATFORM_FILES } from './support/gcc.js';
import { assemblerEquates, platformSymbolGroups } from '../../isa/platform/symbols.js';
import { assemble } from '../../sw/asm/assembler.js';

describe('generated platform files', () => {
  it.each(platformCFiles().map((f) => [f.name, f.text]))(`${PLATFORM_FILES_DIR}/%s is up to date`, (name, text) => {
    expect(readFileSync(join(PLATFORM_FILES, name), 'utf8'), `${PLATFORM_FILES_DIR}/${name} is stale: run ${REGENERATE_COMMAND}`).toBe(text);
  });

  it('defines the addresses the C programs use, for C and for assembly through cpp', () => {
    const header = platformCFiles().find((f) => f.name === 'nmsparse_platform.h')!.text;
    expect(header).toMatch(/^#define PULP_L1_END +0x10010000$/m);
    expect(header).toMatch(/^#define PERIPHERAL_BARRIER +0x10200000$/m);
    // Plain literals: GNU as takes no integer suffixes or casts.
    const addresses = header.split('\n').filter((line) => /^#define (PULP|PERIPHERAL)/.test(line));
    expect(addresses.length).toBeGreaterThan(10);
    for (const line of addresses) expect(line).toMatch(/^#define \w+ +0x[0-9a-f]{8}$/);
  });

  it('gives the project assembler the same names and values as the C header', () => {
    const program = assemble(`${assemblerEquates()}  .text\n  .globl _start\n_start:\n  nop\n`, { file: 'equates.S' });
    const header = platformCFiles().find((f) => f.name === 'nmsparse_platform.h')!.text;
    for (const { name, value } of platformSymbolGroups().flatMap((group) => group.symbols)) {
      expect(program.symbols.find((s) => s.name === name)?.value, name).toBe(value);
      expect(header).toMatch(new RegExp(`^#define ${name} +0x${value.toString(16).padStart(8, '0')}$`, 'm'));
    }
  });
});
