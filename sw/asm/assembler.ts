/**
 * GNU-style two-pass assembler for everything in the instruction table. Sizing passes (`walk.ts`)
 * size every statement and define the labels; the sections are then placed. Sizing repeats while
 * relaxed branches change size (`instruction-sizes.ts`). The emitting pass then evaluates every
 * expression with final addresses and writes the bytes. One walk serves both kinds of pass, so
 * they cannot disagree on layout.
 */
import { CV32E40P_TABLE, type InstructionTable } from '../../isa/table.js';
import type { Addr } from '../../isa/types.js';
import { PULP_L2 } from '../../isa/platform/memory-map.js';
import type { AssembledProgram } from '../../isa/elf/image.js';
import { InstructionSizes, type PassLayout } from './instruction-sizes.js';
import { assembledProgram } from './output.js';
import { Sections } from './sections.js';
import { parseSource } from './source.js';
import { SymbolAttributes } from './symbol-attributes.js';
import { SymbolTable } from './symbols.js';
import { walk, type Assembly } from './walk.js';

export interface AssembleOptions {
  /** Name used in error messages. */
  readonly file?: string;
  /** Address of the first section not placed explicitly (default: the base of PULP L2). */
  readonly base?: Addr;
  /** Fixed addresses for named sections, e.g. { '.l1': 0x10000000 }. */
  readonly sectionAddresses?: Readonly<Record<string, Addr>>;
  readonly table?: InstructionTable;
}

export function assemble(source: string, options: AssembleOptions = {}): AssembledProgram {
  const file = options.file ?? '<input>';
  const assembly: Assembly = {
    statements: parseSource(source, file),
    file,
    table: options.table ?? CV32E40P_TABLE,
    sections: new Sections(),
    symbols: new SymbolTable(),
    attributes: new SymbolAttributes(),
    sizes: new InstructionSizes(),
  };
  const sizingPass = (previous: PassLayout | undefined): PassLayout => {
    walk(assembly, { kind: 'sizing', previous });
    assembly.sections.place(options.base ?? PULP_L2.base, options.sectionAddresses);
    return assembly.sizes.layout(assembly.symbols.layout());
  };
  // The first pass has no layout to try branches at; repeat until no instruction changes size.
  let layout = sizingPass(undefined);
  let before: string;
  do {
    before = assembly.sizes.signature();
    layout = sizingPass(layout);
  } while (assembly.sizes.signature() !== before);
  assembly.sections.allocate();
  const end = walk(assembly, { kind: 'emitting', layout: layout.symbols });
  return assembledProgram(assembly, end);
}
