/** RV32I base integer instructions, plus fence/fence.i and the machine-mode system instructions. */
import { instruction, type InstructionDef } from '../definition.js';
import { FORMATS as F } from '../formats.js';
import { loadOffset, regImm, regReg, storeOffset } from './semantics.js';

const OP = 0x33;
const OP_IMM = 0x13;
const LOAD = 0x03;
const STORE = 0x23;
const BRANCH = 0x63;
const SYSTEM = 0x73;
const MISC_MEM = 0x0f;

const add = (a: number, b: number): number => (a + b) | 0;
const sub = (a: number, b: number): number => (a - b) | 0;
const slt = (a: number, b: number): number => (a < b ? 1 : 0);
const sltu = (a: number, b: number): number => (a >>> 0 < b >>> 0 ? 1 : 0);
const xor = (a: number, b: number): number => a ^ b;
const or = (a: number, b: number): number => a | b;
const and = (a: number, b: number): number => a & b;
const sll = (a: number, b: number): number => a << (b & 31);
const srl = (a: number, b: number): number => (a >>> (b & 31)) | 0;
const sra = (a: number, b: number): number => a >> (b & 31);

type Condition = (a: number, b: number) => boolean;

function branch(mnemonic: string, funct3: number, taken: Condition): InstructionDef {
  return instruction(mnemonic, 'I', { opcode: BRANCH, funct3 }, F.branch, 'branch', (h, d) => {
    if (taken(h.regs[d.rs1]!, h.regs[d.rs2]!)) h.jump((h.pc + d.imm) >>> 0);
  });
}

export const RV32I: readonly InstructionDef[] = [
  instruction('lui', 'I', { opcode: 0x37 }, F.u, 'alu', (h, d) => {
    h.regs[d.rd] = d.imm;
  }),
  instruction('auipc', 'I', { opcode: 0x17 }, F.u, 'alu', (h, d) => {
    h.regs[d.rd] = (h.pc + d.imm) | 0;
  }),
  instruction('jal', 'I', { opcode: 0x6f }, F.jal, 'jump', (h, d) => {
    h.regs[d.rd] = (h.pc + d.length) | 0;
    h.jump((h.pc + d.imm) >>> 0);
  }),
  instruction('jalr', 'I', { opcode: 0x67, funct3: 0 }, F.jalr, 'jumpRegister', (h, d) => {
    const target = ((h.regs[d.rs1]! + d.imm) & ~1) >>> 0; // read rs1 before rd may overwrite it
    h.regs[d.rd] = (h.pc + d.length) | 0;
    h.jump(target);
  }),

  branch('beq', 0, (a, b) => a === b),
  branch('bne', 1, (a, b) => a !== b),
  branch('blt', 4, (a, b) => a < b),
  branch('bge', 5, (a, b) => a >= b),
  branch('bltu', 6, (a, b) => a >>> 0 < b >>> 0),
  branch('bgeu', 7, (a, b) => a >>> 0 >= b >>> 0),

  instruction('lb', 'I', { opcode: LOAD, funct3: 0 }, F.load, 'load', loadOffset(1, true)),
  instruction('lh', 'I', { opcode: LOAD, funct3: 1 }, F.load, 'load', loadOffset(2, true)),
  instruction('lw', 'I', { opcode: LOAD, funct3: 2 }, F.load, 'load', loadOffset(4, true)),
  instruction('lbu', 'I', { opcode: LOAD, funct3: 4 }, F.load, 'load', loadOffset(1, false)),
  instruction('lhu', 'I', { opcode: LOAD, funct3: 5 }, F.load, 'load', loadOffset(2, false)),
  instruction('sb', 'I', { opcode: STORE, funct3: 0 }, F.store, 'store', storeOffset(1)),
  instruction('sh', 'I', { opcode: STORE, funct3: 1 }, F.store, 'store', storeOffset(2)),
  instruction('sw', 'I', { opcode: STORE, funct3: 2 }, F.store, 'store', storeOffset(4)),

  instruction('addi', 'I', { opcode: OP_IMM, funct3: 0 }, F.i, 'alu', regImm(add)),
  instruction('slti', 'I', { opcode: OP_IMM, funct3: 2 }, F.i, 'alu', regImm(slt)),
  instruction('sltiu', 'I', { opcode: OP_IMM, funct3: 3 }, F.i, 'alu', regImm(sltu)),
  instruction('xori', 'I', { opcode: OP_IMM, funct3: 4 }, F.i, 'alu', regImm(xor)),
  instruction('ori', 'I', { opcode: OP_IMM, funct3: 6 }, F.i, 'alu', regImm(or)),
  instruction('andi', 'I', { opcode: OP_IMM, funct3: 7 }, F.i, 'alu', regImm(and)),
  instruction('slli', 'I', { opcode: OP_IMM, funct3: 1, funct7: 0x00 }, F.shift, 'alu', regImm(sll)),
  instruction('srli', 'I', { opcode: OP_IMM, funct3: 5, funct7: 0x00 }, F.shift, 'alu', regImm(srl)),
  instruction('srai', 'I', { opcode: OP_IMM, funct3: 5, funct7: 0x20 }, F.shift, 'alu', regImm(sra)),

  instruction('add', 'I', { opcode: OP, funct3: 0, funct7: 0x00 }, F.r, 'alu', regReg(add)),
  instruction('sub', 'I', { opcode: OP, funct3: 0, funct7: 0x20 }, F.r, 'alu', regReg(sub)),
  instruction('sll', 'I', { opcode: OP, funct3: 1, funct7: 0x00 }, F.r, 'alu', regReg(sll)),
  instruction('slt', 'I', { opcode: OP, funct3: 2, funct7: 0x00 }, F.r, 'alu', regReg(slt)),
  instruction('sltu', 'I', { opcode: OP, funct3: 3, funct7: 0x00 }, F.r, 'alu', regReg(sltu)),
  instruction('xor', 'I', { opcode: OP, funct3: 4, funct7: 0x00 }, F.r, 'alu', regReg(xor)),
  instruction('srl', 'I', { opcode: OP, funct3: 5, funct7: 0x00 }, F.r, 'alu', regReg(srl)),
  instruction('sra', 'I', { opcode: OP, funct3: 5, funct7: 0x20 }, F.r, 'alu', regReg(sra)),
  instruction('or', 'I', { opcode: OP, funct3: 6, funct7: 0x00 }, F.r, 'alu', regReg(or)),
  instruction('and', 'I', { opcode: OP, funct3: 7, funct7: 0x00 }, F.r, 'alu', regReg(and)),

  // The CV32E40P executes fence as fence.i (a jump to the next instruction that flushes the fetch).
  instruction('fence', 'I', { opcode: MISC_MEM, funct3: 0 }, F.fence, 'fence', (h) => h.fence()),
  instruction('fence.i', 'Zifencei', { opcode: MISC_MEM, funct3: 1 }, F.none, 'fence', (h) => h.fence()),

  instruction('ecall', 'I', { opcode: SYSTEM, imm12: 0x000, rs1: 0, funct3: 0, rd: 0 }, F.none, 'system', (h) => h.ecall(), { system: 'ecall' }),
  instruction('ebreak', 'I', { opcode: SYSTEM, imm12: 0x001, rs1: 0, funct3: 0, rd: 0 }, F.none, 'system', (h) => h.ebreak(), { system: 'ebreak' }),
  instruction('mret', 'I', { opcode: SYSTEM, imm12: 0x302, rs1: 0, funct3: 0, rd: 0 }, F.none, 'jump', (h) => h.mret(), { system: 'mret' }),
  instruction('wfi', 'I', { opcode: SYSTEM, imm12: 0x105, rs1: 0, funct3: 0, rd: 0 }, F.none, 'system', (h) => h.wfi(), { system: 'wfi' }),
];
