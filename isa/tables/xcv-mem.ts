/**
 * CORE-V post-increment and register-indexed loads and stores (Xcvmem; docs/cv32e40p.md#encodings):
 * immediate loads in custom-0, everything else in custom-1.
 */
import { instruction, withAccess, type InstructionDef } from '../definition.js';
import { FORMATS as F } from '../formats.js';
import type { AccessSize } from '../types.js';

const CUSTOM_0 = 0x0b;
const CUSTOM_1 = 0x2b;
/** funct7 bit that turns a register post-increment access into an indexed one (no increment). */
const INDEXED = 0b0000100;

interface LoadKind {
  readonly suffix: string;
  readonly size: AccessSize;
  readonly signed: boolean;
  /** funct3 of the immediate form. */
  readonly immFunct3: number;
  /** funct7 of the register post-increment form. */
  readonly regFunct7: number;
}

const LOADS: readonly LoadKind[] = [
  { suffix: 'b', size: 1, signed: true, immFunct3: 0b000, regFunct7: 0b0000000 },
  { suffix: 'h', size: 2, signed: true, immFunct3: 0b001, regFunct7: 0b0000001 },
  { suffix: 'w', size: 4, signed: true, immFunct3: 0b010, regFunct7: 0b0000010 },
  { suffix: 'bu', size: 1, signed: false, immFunct3: 0b100, regFunct7: 0b0001000 },
  { suffix: 'hu', size: 2, signed: false, immFunct3: 0b101, regFunct7: 0b0001001 },
];

const STORES: readonly { suffix: string; size: AccessSize; funct3: number; regFunct7: number }[] = [
  { suffix: 'b', size: 1, funct3: 0b000, regFunct7: 0b0010000 },
  { suffix: 'h', size: 2, funct3: 0b001, regFunct7: 0b0010001 },
  { suffix: 'w', size: 4, funct3: 0b010, regFunct7: 0b0010010 },
];

function loads({ suffix, size, signed, immFunct3, regFunct7 }: LoadKind): InstructionDef[] {
  const name = `cv.l${suffix}`;
  return [
    // rs1 is updated before rd is written, so with rd == rs1 the loaded value wins.
    {
      ...instruction(name, 'Xcvmem', { opcode: CUSTOM_0, funct3: immFunct3 }, F.loadPostImm, 'load', withAccess((h, d) => {
        const base = h.regs[d.rs1]!;
        const value = h.load(base >>> 0, size, signed);
        h.regs[d.rs1] = (base + d.imm) | 0;
        h.regs[d.rd] = value;
      }, { kind: 'load', size, signed, mode: 'postIncrement', offset: 'imm' })),
      incrementedBase: (d, _regs, base) => (base + d.imm) | 0,
    },
    {
      ...instruction(name, 'Xcvmem', { opcode: CUSTOM_1, funct3: 0b011, funct7: regFunct7 }, F.loadPostReg, 'load', withAccess((h, d) => {
        const base = h.regs[d.rs1]!;
        const step = h.regs[d.rs2]!;
        const value = h.load(base >>> 0, size, signed);
        h.regs[d.rs1] = (base + step) | 0;
        h.regs[d.rd] = value;
      }, { kind: 'load', size, signed, mode: 'postIncrement', offset: 'rs2' })),
      // With rs2 == rd == rs1 the step was the old base, which the load has overwritten.
      incrementedBase: (d, regs, base) => (base + (d.rs2 === d.rd ? base : regs[d.rs2]!)) | 0,
    },
    instruction(name, 'Xcvmem', { opcode: CUSTOM_1, funct3: 0b011, funct7: regFunct7 | INDEXED }, F.loadIndexed, 'load', withAccess((h, d) => {
      h.regs[d.rd] = h.load((h.regs[d.rs1]! + h.regs[d.rs2]!) >>> 0, size, signed);
    }, { kind: 'load', size, signed, mode: 'offset', offset: 'rs2' })),
  ];
}

function stores({ suffix, size, funct3, regFunct7 }: (typeof STORES)[number]): InstructionDef[] {
  const name = `cv.s${suffix}`;
  return [
    instruction(name, 'Xcvmem', { opcode: CUSTOM_1, funct3 }, F.storePostImm, 'store', withAccess((h, d) => {
      const base = h.regs[d.rs1]!;
      h.store(base >>> 0, size, h.regs[d.rs2]!);
      h.regs[d.rs1] = (base + d.imm) | 0;
    }, { kind: 'store', size, signed: false, mode: 'postIncrement', offset: 'imm' })),
    instruction(name, 'Xcvmem', { opcode: CUSTOM_1, funct3: 0b011, funct7: regFunct7 }, F.storePostReg, 'store', withAccess((h, d) => {
      const base = h.regs[d.rs1]!;
      const step = h.regs[d.rs3]!;
      h.store(base >>> 0, size, h.regs[d.rs2]!);
      h.regs[d.rs1] = (base + step) | 0;
    }, { kind: 'store', size, signed: false, mode: 'postIncrement', offset: 'rs3' })),
    instruction(name, 'Xcvmem', { opcode: CUSTOM_1, funct3: 0b011, funct7: regFunct7 | INDEXED }, F.storeIndexed, 'store', withAccess((h, d) => {
      h.store((h.regs[d.rs1]! + h.regs[d.rs3]!) >>> 0, size, h.regs[d.rs2]!);
    }, { kind: 'store', size, signed: false, mode: 'offset', offset: 'rs3' })),
  ];
}

export const XCV_MEM: readonly InstructionDef[] = [...LOADS.flatMap(loads), ...STORES.flatMap(stores)];
