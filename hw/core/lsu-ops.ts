// The load-store unit's control fields for each load and store row of the instruction table
// (RV32I and Xcvmem): what the decoder drives into CoreLsu, and which operand the pipeline feeds
// to its `offset` input. The width and signedness come from the mnemonic, the addressing
// (post-increment or not, offset from the immediate, rs2 or rs3) from the row's format, and the
// direction from the row's declared memory effect: nothing is read from a second copy of the
// encodings. nm.mac4 / nm.mul4 of Xnmsparse revision 2 load through the unit too.
import type { InstructionDef } from '../../isa/definition.js';
import { FORMATS, type Format } from '../../isa/formats.js';
import { macControl } from './mac-ops.js';

/** Values of CoreLsu's `size` input. */
export const LSU_SIZE = { byte: 0, half: 1, word: 2 } as const;
export type LsuSize = (typeof LSU_SIZE)[keyof typeof LSU_SIZE];

/**
 * The operand the pipeline drives into `offset`: the decoded immediate, the value of rs2 or rs3, or
 * the zero-extended 16-bit half of rs2 that the immediate selects (nm.mac4).
 */
export type LsuOffset = 'imm' | 'rs2' | 'rs3' | 'rs2_half';

export interface LsuControl {
  /** A store (CoreLsu `we`). */
  readonly we: boolean;
  readonly size: LsuSize;
  /** A load that sign-extends its byte or halfword (`sign_ext`); false for stores. */
  readonly signExt: boolean;
  /** The access is at rs1 and rs1 is written with rs1 + offset from EX (`post_increment`). */
  readonly postIncrement: boolean;
  readonly offset: LsuOffset;
}

/** Width and extension, by the mnemonic without its `cv.` prefix (`lb` and `cv.lb` alike). */
const WIDTHS: Readonly<Record<string, { readonly size: LsuSize; readonly signExt: boolean }>> = {
  lb: { size: LSU_SIZE.byte, signExt: true },
  lbu: { size: LSU_SIZE.byte, signExt: false },
  lh: { size: LSU_SIZE.half, signExt: true },
  lhu: { size: LSU_SIZE.half, signExt: false },
  lw: { size: LSU_SIZE.word, signExt: false },
  sb: { size: LSU_SIZE.byte, signExt: false },
  sh: { size: LSU_SIZE.half, signExt: false },
  sw: { size: LSU_SIZE.word, signExt: false },
};

/** How each load and store format forms the address (isa/formats.ts). */
const ADDRESSING = new Map<Format, { readonly postIncrement: boolean; readonly offset: LsuOffset }>([
  [FORMATS.load, { postIncrement: false, offset: 'imm' }],
  [FORMATS.store, { postIncrement: false, offset: 'imm' }],
  [FORMATS.loadPostImm, { postIncrement: true, offset: 'imm' }],
  [FORMATS.loadPostReg, { postIncrement: true, offset: 'rs2' }],
  [FORMATS.loadIndexed, { postIncrement: false, offset: 'rs2' }],
  [FORMATS.storePostImm, { postIncrement: true, offset: 'imm' }],
  [FORMATS.storePostReg, { postIncrement: true, offset: 'rs3' }],
  [FORMATS.storeIndexed, { postIncrement: false, offset: 'rs3' }],
]);

/** The unit's own rows: the base ISA's and the CORE-V post-increment and indexed ones. */
const EXTENSIONS: ReadonlySet<InstructionDef['extension']> = new Set(['I', 'Xcvmem']);

/**
 * nm.mac4 / nm.mul4: a word at rs1 + the selected offset half; its data goes to the sum adders, not
 * to a register, and a misaligned address traps instead of splitting (the core sees to both).
 */
const MAC4_ACCESS: LsuControl = { we: false, size: LSU_SIZE.word, signExt: false, postIncrement: false, offset: 'rs2_half' };

/**
 * CoreLsu's control fields for `def`, or undefined when the row is not a load or store of RV32I or
 * Xcvmem, nor an nm.mac4 / nm.mul4.
 */
export function lsuControl(def: InstructionDef): LsuControl | undefined {
  if (macControl(def)) return MAC4_ACCESS;
  if (!EXTENSIONS.has(def.extension) || def.effects.memory === 'none') return undefined;
  const width = WIDTHS[def.mnemonic.replace(/^cv\./, '')];
  const addressing = ADDRESSING.get(def.format);
  if (!width || !addressing) return undefined;
  return { we: def.effects.memory === 'store', ...width, ...addressing };
}
