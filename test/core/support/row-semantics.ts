/**
 * Runs one instruction row's own semantics (its `execute`) on a stub HartContext, so that a core
 * unit can be compared with the ISA table rather than with a second model of it. The registers the
 * row's format reads hold the given operand values: rs1 = a, rs2 = b, and c in rd when the format
 * reads rd, else in rs3 (as the pipeline feeds the core's units). Anything but register reads,
 * register writes and a jump (a taken branch) is refused: those rows are not a unit's to compute.
 */
import type { DecodedInstruction } from '../../../isa/definition.js';
import type { RegSlot } from '../../../isa/formats.js';
import type { Addr, HartContext } from '../../../isa/types.js';

export interface OperandValues {
  /** Value of rs1. */
  readonly a: number;
  /** Value of rs2. */
  readonly b: number;
  /** Value of rd when the format reads rd, else of rs3. */
  readonly c: number;
}

export interface RowOutcome {
  /** rd after the instruction (0 when the format writes no rd). */
  readonly rd: number;
  /** Target of the jump the row made (a taken branch), or undefined. */
  readonly jumpedTo: Addr | undefined;
}

/** The operand each read register slot holds. */
function valueOf(slot: RegSlot, readsRd: boolean, values: OperandValues): number {
  switch (slot) {
    case 'rs1':
      return values.a;
    case 'rs2':
      return values.b;
    case 'rd':
      return values.c;
    case 'rs3':
      if (readsRd) throw new Error('row-semantics: a format that reads both rd and rs3 has no single c');
      return values.c;
  }
}

function refuse(what: string): never {
  throw new Error(`row-semantics: the row called ${what}, which a register-only stub does not provide`);
}

/**
 * Execute the decoded instruction's row with its source registers holding `values`. Two read slots
 * naming one register must be given the same value, and x0 the value 0: otherwise the registers
 * could not hold what the caller asks, and this throws.
 */
export function runRowSemantics(insn: DecodedInstruction, values: OperandValues, pc: Addr = 0x1000): RowOutcome {
  const format = insn.def.format;
  const readsRd = format.reads.includes('rd');
  const regs = new Int32Array(32);
  const assigned = new Map<number, number>([[0, 0]]);
  for (const slot of format.reads) {
    const reg = insn[slot];
    const value = valueOf(slot, readsRd, values) | 0;
    const earlier = assigned.get(reg);
    if (earlier !== undefined && earlier !== value) {
      throw new Error(`row-semantics: ${insn.def.mnemonic} reads x${reg} as ${slot}, which already holds ${earlier}, not ${value}`);
    }
    assigned.set(reg, value);
    regs[reg] = value;
  }
  let jumpedTo: Addr | undefined;
  const hart: HartContext = {
    regs,
    pc,
    npc: pc + insn.length,
    jump: (target) => { jumpedTo = target; },
    load: () => refuse('load'),
    store: () => refuse('store'),
    csrRead: () => refuse('csrRead'),
    csrWrite: () => refuse('csrWrite'),
    get hwloop() { return refuse('hwloop'); },
    get accumulators() { return refuse('accumulators'); },
    hwloopChanged: () => refuse('hwloopChanged'),
    ecall: () => refuse('ecall'),
    ebreak: () => refuse('ebreak'),
    mret: () => refuse('mret'),
    wfi: () => refuse('wfi'),
    fence: () => refuse('fence'),
  };
  insn.execute(hart, insn);
  regs[0] = 0;
  return { rd: format.writes.includes('rd') ? regs[insn.rd]! : 0, jumpedTo };
}
