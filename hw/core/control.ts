// Which rows of the instruction table the core implements, and the control fields its decoder
// produces for them: the pipeline's own (pipeline-fields.ts) and each execution unit's op.
import type { InstructionDef } from '../../isa/definition.js';
import { BASE_INSTRUCTIONS } from '../../isa/table.js';
import { XNMSPARSE_MAC } from '../../isa/tables/xnmsparse-mac.js';
import type { ControlField, DecodeTable } from './decode-table.js';
import { PIPELINE_FIELDS } from './pipeline-fields.js';

export function coreRows(extension: boolean): readonly InstructionDef[] {
  return [...BASE_INSTRUCTIONS, ...(extension ? XNMSPARSE_MAC : [])];
}

const fields: readonly ControlField[] = [...PIPELINE_FIELDS];

export function coreDecodeTable(extension: boolean): DecodeTable {
  return { rows: coreRows(extension), fields };
}
