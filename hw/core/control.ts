// Which rows of the instruction table the core implements, and the control fields its decoder
// produces for them: the pipeline's own (pipeline-fields.ts) and each execution unit's op, taken
// from the unit's own control function. A row no unit claims is illegal on the core; the ISS's
// --strict-core rejects the same rows (coreRows).
import type { InstructionDef } from '../../isa/definition.js';
import { BASE_INSTRUCTIONS } from '../../isa/table.js';
import { XNMSPARSE_MAC } from '../../isa/tables/xnmsparse-mac.js';
import { ALU_OP_ADD, ALU_OP_WIDTH, aluControl } from './alu-ops.js';
import { CSR_OP, CSR_OP_WIDTH, csrControl } from './csr-ops.js';
import type { ControlField, DecodeTable } from './decode-table.js';
import { DIVIDER_OP_WIDTH, dividerControl } from './divider.js';
import { ExUnit, type ExUnitName } from './ex-unit.js';
import { HWLOOP_OP_WIDTH, hwloopControl } from './hwloop-ops.js';
import { LSU_SIZE, lsuControl } from './lsu-ops.js';
import { macControl } from './mac-ops.js';
import { macLanesOp, MULTIPLIER_OP_WIDTH, multiplierControl } from './multiplier-ops.js';
import { PIPELINE_FIELDS } from './pipeline-fields.js';

/** The multiplier's op of an nm.mac4 / nm.mul4 row, 0 for any other row. */
function macOp(def: InstructionDef): number {
  const mac = macControl(def);
  return mac ? macLanesOp(mac.signed) : 0;
}

const isLinkingJump = (def: InstructionDef): boolean => (def.timing === 'jump' || def.timing === 'jumpRegister') && def.effects.system === 'none';

/** The unit a row occupies in EX, or undefined when the core does not implement the row. */
function unitOf(def: InstructionDef): ExUnitName | undefined {
  if (aluControl(def) !== undefined || def.mnemonic === 'auipc' || isLinkingJump(def)) return 'alu';
  if (multiplierControl(def) !== undefined) return 'multiplier';
  if (dividerControl(def) !== undefined) return 'divider';
  if (lsuControl(def) !== undefined) return 'lsu';
  if (csrControl(def) !== undefined) return 'csr';
  if (hwloopControl(def) !== undefined || def.timing === 'fence' || def.effects.system !== 'none') return 'none';
  return undefined;
}

export function coreRows(extension: boolean): readonly InstructionDef[] {
  return [...BASE_INSTRUCTIONS, ...(extension ? XNMSPARSE_MAC : [])].filter((def) => unitOf(def) !== undefined);
}

const LSU_OFFSET = { imm: 0, rs2: 1, rs3: 2, rs2_half: 3 } as const;

const UNIT_FIELDS: readonly ControlField[] = [
  { name: 'ex_unit', width: 3, value: (def) => ExUnit[unitOf(def) ?? 'none'] },
  { name: 'alu_op', width: ALU_OP_WIDTH, value: (def) => aluControl(def) ?? (unitOf(def) === 'alu' ? ALU_OP_ADD : 0) },
  // nm.mac4 / nm.mul4 leave theirs in EX's register for the multiplier's lanes in their WB.
  { name: 'mult_op', width: MULTIPLIER_OP_WIDTH, value: (def) => multiplierControl(def) ?? macOp(def) },
  { name: 'div_op', width: DIVIDER_OP_WIDTH, value: (def) => dividerControl(def) ?? 0 },
  { name: 'lsu_we', width: 1, value: (def) => Number(lsuControl(def)?.we ?? false) },
  { name: 'lsu_size', width: 2, value: (def) => lsuControl(def)?.size ?? LSU_SIZE.byte },
  { name: 'lsu_sign_ext', width: 1, value: (def) => Number(lsuControl(def)?.signExt ?? false) },
  { name: 'lsu_post_increment', width: 1, value: (def) => Number(lsuControl(def)?.postIncrement ?? false) },
  { name: 'lsu_offset', width: 2, value: (def) => LSU_OFFSET[lsuControl(def)?.offset ?? 'imm'] },
  { name: 'csr_op', width: CSR_OP_WIDTH, value: (def) => csrControl(def) ?? CSR_OP.read },
  { name: 'csr_imm', width: 1, value: (def) => Number(def.timing === 'csr' && def.format.operands.some((o) => o.name === 'zimm5')) },
  { name: 'is_hwloop', width: 1, value: (def) => Number(hwloopControl(def) !== undefined) },
  { name: 'hwloop_op', width: HWLOOP_OP_WIDTH, value: (def) => hwloopControl(def) ?? 0 },
  // nm.mac4 / nm.mul4 go through the load-store unit; these bits steer the sums in WB.
  { name: 'is_mac', width: 1, value: (def) => Number(macControl(def) !== undefined) },
  { name: 'mac_start', width: 1, value: (def) => Number(macControl(def)?.start ?? false) },
];

const fields: readonly ControlField[] = [...PIPELINE_FIELDS, ...UNIT_FIELDS];

export function coreDecodeTable(extension: boolean): DecodeTable {
  return { rows: coreRows(extension), fields };
}

export { LSU_OFFSET };

/** The unit fields the pipeline carries from ID into EX (csr_op after its rs1 = 0 rule). */
export const CARRIED_FIELDS: readonly string[] = UNIT_FIELDS.map((f) => f.name).filter((n) => !['ex_unit', 'csr_op', 'is_hwloop', 'hwloop_op'].includes(n));
