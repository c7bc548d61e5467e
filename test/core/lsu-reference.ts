// The other side of the load-store unit's tests: real instruction words for the load and store
// rows (encoded, then decoded for the operand slots the pipeline would hand the unit), and the
// instruction-set simulator's hart running them, over the same data, with the same grant delays,
// for the loaded value, the incremented base, the memory contents and the cycles.
import { expect } from 'vitest';
import { lsuControl, type LsuControl } from '../../hw/core/lsu-ops.js';
import { decode } from '../../isa/decoder.js';
import type { InstructionDef } from '../../isa/definition.js';
import { encodeChecked } from '../../isa/encoder.js';
import type { GrantDelay } from '../../isa/platform/grant-delay.js';
import type { RegionConfig } from '../../isa/platform/memory-map.js';
import { CV32E40P_TABLE } from '../../isa/table.js';
import { RV32I } from '../../isa/tables/rv32i.js';
import { XCV_MEM } from '../../isa/tables/xcv-mem.js';
import type { AccessSize } from '../../isa/types.js';
import { DelayedGrantBus } from '../../sim/core/delayed-bus.js';
import { Hart } from '../../sim/core/hart.js';
import { MappedMemory } from '../../sim/core/memory.js';
import type { Random } from '../../util/random.js';
import type { LsuAccess } from './lsu-driver.js';

export const CODE: RegionConfig = { name: 'code', base: 0x1_0000, size: 0x8000 };
export const DATA: RegionConfig = { name: 'data', base: 0x4_0000, size: 0x400 };

/** Every load and store row the unit serves, with its control fields. */
export const LSU_ROWS: readonly { readonly def: InstructionDef; readonly control: LsuControl }[] = [...RV32I, ...XCV_MEM].flatMap((def) => {
  const control = lsuControl(def);
  return control ? [{ def, control }] : [];
});

/** Bytes an access of `control` moves. */
export const accessBytes = (control: LsuControl): AccessSize => (1 << control.size) as AccessSize;

export interface LsuCase {
  readonly def: InstructionDef;
  readonly control: LsuControl;
  /** The address the instruction accesses. */
  readonly target: number;
  readonly pc: number;
  readonly word: number;
  readonly rd: number;
  readonly rs1: number;
  /** Register values before the instruction (x-number, value). */
  readonly regs: ReadonlyMap<number, number>;
  /** What the pipeline hands the unit for this instruction. */
  readonly access: LsuAccess;
}

/**
 * `def` encoded at `pc` to access `target`, with random registers (sources in x1..x15, the loaded
 * register in x16..x31, so that neither a load-use stall nor rd = rs1 enters the comparison), a
 * random immediate and random offset and data registers; the base is what reaches `target`.
 */
export function makeCase(random: Random, row: (typeof LSU_ROWS)[number], target: number, pc: number, bubbles: number): LsuCase {
  const { def, control } = row;
  const sources = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const take = (): number => sources.splice(random.below(sources.length), 1)[0]!;
  const slots = { rd: 16 + random.below(16), rs1: take(), rs2: take(), rs3: take() };
  const immKind = def.format.operands.find((o) => o.slot === 'imm');
  const imm = immKind ? immKind.min + random.below(immKind.max - immKind.min + 1) : 0;
  const word = encodeChecked(def, { ...slots, imm });
  const decoded = decode(CV32E40P_TABLE, word, pc);
  expect(decoded?.def, `${def.mnemonic} decodes to its own row`).toBe(def);
  const regs = new Map([[slots.rs2, random.uint32() | 0], [slots.rs3, random.uint32() | 0]]);
  // (nm.mac4's offset half is not among these rows: test/core/extension.test.ts runs it.)
  if (control.offset === 'rs2_half') throw new Error(`makeCase: ${def.mnemonic} is no RV32I or Xcvmem access`);
  const offset = control.offset === 'imm' ? decoded!.imm : regs.get(decoded![control.offset])!;
  const base = control.postIncrement ? target : (target - offset) | 0;
  regs.set(slots.rs1, base);
  return {
    def, control, target, pc, word, rd: decoded!.rd, rs1: decoded!.rs1, regs,
    access: { control, base, offset, wdata: regs.get(decoded!.rs2)!, bubbles },
  };
}

export interface IssOutcome {
  readonly cycles: number;
  /** rd after the instruction, unsigned. */
  readonly rd: number;
  /** rs1 after the instruction, unsigned. */
  readonly rs1: number;
}

/** The ISS's hart with a code and a data region, data-port grants delayed by `delay`. */
export class IssReference {
  readonly memory: MappedMemory;
  private readonly hart: Hart;

  constructor(dataBytes: Uint8Array, delay: GrantDelay) {
    this.memory = new MappedMemory([CODE, DATA]);
    this.memory.writeBytes(DATA.base, dataBytes);
    const bus = new DelayedGrantBus(this.memory, delay);
    this.hart = new Hart(bus, { resetPc: CODE.base, blocks: false });
    bus.hart = this.hart;
  }

  /** Run the instruction of `c` (placed at its pc) on the registers of `c`. */
  run(c: LsuCase): IssOutcome {
    const hart = this.hart;
    this.memory.write(c.pc, 4, c.word);
    for (const [reg, value] of c.regs) hart.regs[reg] = value;
    hart.pc = c.pc;
    const before = hart.stats.cycles;
    hart.step();
    expect(hart.stats.loadUseStalls, 'no hazard between the instructions').toBe(0);
    return { cycles: hart.stats.cycles - before, rd: hart.regs[c.rd]! >>> 0, rs1: hart.regs[c.rs1]! >>> 0 };
  }
}
