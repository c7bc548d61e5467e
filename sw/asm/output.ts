/**
 * The assembled program, from what the emitting pass left: the non-empty sections with their
 * bytes, the symbol table (labels and `.equ` symbols with their declared binding, type and size)
 * and the entry point.
 */
import type { AssembledProgram, AssembledSymbol } from '../../isa/elf/image.js';
import { AsmError, atLocation } from './errors.js';
import type { Site } from './symbols.js';
import type { Assembly } from './walk.js';

/** `end`: the site where the emitting pass ended, at which `.size` and `.equ` values are taken. */
export function assembledProgram(assembly: Assembly, end: Site): AssembledProgram {
  const { statements, sections, symbols, attributes } = assembly;
  for (const [name, location] of attributes.globalDeclarations()) {
    if (!symbols.isDefined(name)) throw new AsmError(location, `global symbol '${name}' is never defined`);
  }
  const placed = sections.nonEmpty().map((s) => s.output());
  const sizeOf = (name: string): number => {
    const size = attributes.size(name);
    return size === undefined ? 0 : atLocation(size.location, () => symbols.required(size.expr, end));
  };
  const table: AssembledSymbol[] = [
    ...symbols.labelEntries().map(([name, label]) => ({
      name, value: label.section.address + label.offset, section: label.section.name,
      global: attributes.isGlobal(name), kind: attributes.kind(name), size: sizeOf(name),
    })),
    ...symbols.equateEntries().map(([name, index]) => ({
      name, value: atLocation(statements[index]!.location, () => symbols.required(name, end)), section: undefined,
      global: attributes.isGlobal(name), kind: 'none' as const, size: 0,
    })),
  ];
  const start = symbols.label('_start');
  const text = placed.find((s) => s.flags.exec);
  return { sections: placed, symbols: table, entry: start ? start.section.address + start.offset : text?.address ?? 0 };
}
