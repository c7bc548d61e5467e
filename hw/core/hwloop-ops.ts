// The `op` of the hardware-loop registers (hw/core/hwloop-regs.ts) for each Xcvhwlp row: where the
// row takes the value it writes into each of the loop's three registers (isa/tables/xcv-hwloop.ts).
// `end` is the address of the first instruction after the body, as in the rows and the ISS.
import type { InstructionDef } from '../../isa/definition.js';
import { XCV_HWLOOP } from '../../isa/tables/xcv-hwloop.js';
import type { OperandSlots } from '../../isa/types.js';

/** Sources of a loop's start address. */
export const START_FROM = { none: 0, pcOffset: 1, rs1: 2, nextPc: 3 } as const;
/** Sources of a loop's end address. */
export const END_FROM = { none: 0, pcOffset: 1, rs1: 2 } as const;
/** Sources of a loop's count. */
export const COUNT_FROM = { none: 0, imm2: 1, rs1: 2 } as const;

/** Bit positions of the three source fields in `op`, two bits each. */
export const HWLOOP_OP_FIELDS = { start: 0, end: 2, count: 4 } as const;
export const HWLOOP_OP_WIDTH = 6;

interface LoopWrites {
  /** pcOffset: pc + imm; nextPc: pc + 4, the instruction after the setup instruction. */
  readonly start?: Exclude<keyof typeof START_FROM, 'none'>;
  readonly end?: Exclude<keyof typeof END_FROM, 'none'>;
  /** imm2: the immediate count of cv.counti and cv.setupi. */
  readonly count?: Exclude<keyof typeof COUNT_FROM, 'none'>;
}

const HWLOOP_ROWS: Readonly<Record<string, LoopWrites>> = {
  'cv.starti': { start: 'pcOffset' },
  'cv.start': { start: 'rs1' },
  'cv.endi': { end: 'pcOffset' },
  'cv.end': { end: 'rs1' },
  'cv.counti': { count: 'imm2' },
  'cv.count': { count: 'rs1' },
  'cv.setupi': { start: 'nextPc', end: 'pcOffset', count: 'imm2' },
  'cv.setup': { start: 'nextPc', end: 'pcOffset', count: 'rs1' },
};

/** The `op` of an Xcvhwlp row, or undefined for any other row. */
export function hwloopControl(def: InstructionDef): number | undefined {
  const writes = def.extension === 'Xcvhwlp' ? HWLOOP_ROWS[def.mnemonic] : undefined;
  if (!writes) return undefined;
  return (
    (START_FROM[writes.start ?? 'none'] << HWLOOP_OP_FIELDS.start) |
    (END_FROM[writes.end ?? 'none'] << HWLOOP_OP_FIELDS.end) |
    (COUNT_FROM[writes.count ?? 'none'] << HWLOOP_OP_FIELDS.count)
  );
}

/**
 * How many low bits of a slot any Xcvhwlp row can set: the rows' immediates (offsets, counts) are
 * all unsigned, so the unit's adder and count mux need no more than these bits of imm and imm2.
 */
function slotBits(slot: keyof OperandSlots): number {
  const operands = XCV_HWLOOP.flatMap((def) => def.format.operands.filter((operand) => operand.slot === slot));
  if (operands.some((operand) => operand.min < 0)) throw new Error(`internal: an Xcvhwlp ${slot} operand is signed`);
  return Math.ceil(Math.log2(Math.max(...operands.map((operand) => operand.max)) + 1));
}

export const HWLOOP_IMM_BITS = slotBits('imm');
export const HWLOOP_IMM2_BITS = slotBits('imm2');
